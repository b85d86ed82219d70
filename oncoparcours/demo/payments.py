"""The contracted professionals' monthly statements (PSG-14), THROUGH the payments services.

The payable lines exist already: the contracts are signed before the pathways are played, so
every act completed gives its line (``payable_line_for_act``). Each structure's coordinator then
prepares the statements of the last ``HISTORY_MONTHS`` months, month after month, as the monthly
job would (the first one also takes the older lines): every month before the previous one is
validated and paid; the previous month's statements are prepared, most are
validated and one of the anchor structure's is paid; the current month's lines stay on no
statement (the next preparation takes them). Validation and payment are backdated to the
following month (demo-only), so that the history reads like a year of bookkeeping.
"""

import random
from datetime import date, datetime, time, timedelta

from django.db.models import Min
from django.utils import timezone

from oncoparcours.accounts.models import Membership
from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import DEMO_ACCOUNTS
from oncoparcours.demo.scenarios import Team
from oncoparcours.payments.models import PayableLine, Statement, StatementStatus
from oncoparcours.payments.rules import first_of_month, next_month, previous_month
from oncoparcours.payments.services import (
    statement_mark_paid,
    statement_validate,
    statements_prepare,
)

ANCHOR = "sp-69"
# Months of statements prepared on the platform; the first takes the lines of the months
# before it (the backlog of when the structure started using the platform). Each month's
# preparation re-reads the salaried professionals' acts (the catch-up), so a full year of
# statements would cost seconds of load.
HISTORY_MONTHS = 3
LAST_MONTH_VALIDATED_SHARE = 0.6
# The demo login whose statement of last month is validated and paid; the others' stay
# validated (APA) or draft (psychologist), so the three workspaces differ.
PAID_LOGIN = "dietetique"
DRAFT_LOGIN = "psychologue"


def _login(prefix: str) -> str:
    return next(a.email for a in DEMO_ACCOUNTS if a.email.startswith(f"{prefix}@"))


class PaymentsMixin(LoaderBase):
    teams: dict[int, Team]

    def _create_statements(self) -> None:
        rng = random.Random(f"{self.seed}-statements")
        teams = self.teams
        current = first_of_month(self.today)
        last = previous_month(current)
        history_start = last
        for _i in range(HISTORY_MONTHS - 1):
            history_start = previous_month(history_start)
        paid_login, draft_login = _login(PAID_LOGIN), _login(DRAFT_LOGIN)
        anchor = self.organisations.get(ANCHOR)
        counts = {"statements": 0, "statements_paid": 0, "statements_draft": 0}
        for structure_id in sorted(teams):
            coordinator: Membership = teams[structure_id].coordinator
            structure = coordinator.organisation
            first = PayableLine.objects.filter(structure=structure).aggregate(m=Min("month"))["m"]
            if first is None:
                continue
            month = max(first, history_start)
            while month <= last:
                for statement in statements_prepare(
                    by=coordinator, structure=structure, month=month
                ):
                    counts["statements"] += 1
                    email = statement.professional.email
                    if month < last or (
                        email == paid_login and structure_id == getattr(anchor, "pk", None)
                    ):
                        self._validate(coordinator, statement, paid=True)
                    elif email != draft_login and rng.random() < LAST_MONTH_VALIDATED_SHARE:
                        self._validate(coordinator, statement, paid=False)
                    else:
                        counts["statements_draft"] += 1
                month = next_month(month)
        counts["statements_paid"] = Statement.objects.filter(
            structure__in=[t.coordinator.organisation_id for t in teams.values()],
            status=StatementStatus.PAID,
        ).count()
        self.result.counts.update(counts)

    def _validate(self, coordinator: Membership, statement: Statement, *, paid: bool) -> None:
        statement = statement_validate(by=coordinator, statement=statement)
        following = next_month(statement.month)
        validated_on = min(following + timedelta(days=4), self.today)
        updates: dict[str, object] = {"validated_at": self._at(validated_on, 10)}
        if paid:
            statement_mark_paid(
                by=coordinator,
                statement=statement,
                paid_on=timezone.localdate(),
                reference=f"DEMO-VIR-{statement.month:%Y%m}-{statement.pk:05d}",
            )
            paid_on = max(min(following + timedelta(days=14), self.today), validated_on)
            updates.update(paid_on=paid_on, paid_at=self._at(paid_on, 11))
        Statement.objects.filter(pk=statement.pk).update(**updates)

    def _at(self, day: date, hour: int) -> datetime:
        return min(
            timezone.make_aware(datetime.combine(day, time(hour, 0))),
            timezone.now() - timedelta(minutes=1),
        )
