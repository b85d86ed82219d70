"""How far each demo pathway got: the scenarios played after intake, through the services
(contact, acts booked and done, cancellations, closure), and the demo-only backdating of the
stamps the services take from the clock (see ``pathways``)."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.demo.base import LoaderBase
from oncoparcours.pathways.models import Act, ActMode, Pathway, PathwayEvent
from oncoparcours.pathways.rules.dates import add_months
from oncoparcours.pathways.rules.prestations import PRESTATIONS, is_assessment
from oncoparcours.pathways.services import (
    act_book,
    act_cancel,
    act_complete,
    pathway_close,
    pathway_mark_contacted,
)
from oncoparcours.pathways.states import PathwayStatus

# Rates agreed with each professional, at most the maxima of PSG-07/08.
ASSESSMENT_RATES = (Decimal("30.00"), Decimal("35.00"), Decimal("40.00"), Decimal("45.00"))
FOLLOWUP_RATES = (Decimal("17.50"), Decimal("20.00"), Decimal("22.50"))
# Regular active pathways stay below the budget reminder's threshold; "near_cap" ones do not.
REGULAR_BUDGET_SHARE = Decimal("0.78")
ASSESSMENTS = [code for code in PRESTATIONS if is_assessment(code)]
FOLLOWUPS = [code for code in PRESTATIONS if not is_assessment(code)]


@dataclass
class Team:
    coordinator: Membership
    by_profession: dict[str, list[User]] = field(default_factory=dict)

    def performer(self, kind: str, rng: random.Random) -> User | None:
        qualified = [
            user
            for profession in sorted(PRESTATIONS[kind].professions)
            for user in self.by_profession.get(profession, [])
        ]
        return rng.choice(qualified) if qualified else None


class ScenariosMixin(LoaderBase):
    prng: random.Random
    # When the load started: what the services stamp at or after it is to be backdated.
    clock: datetime
    received: dict[int, date]
    last_stamp: dict[int, datetime]
    teams: dict[int, Team]

    def _days(self, low: int, high: int) -> timedelta:
        return timedelta(days=self.prng.randint(low, max(low, high)))

    def _play(self, pathway: Pathway, scenario: str) -> None:
        if pathway.structure_id is None or pathway.structure_id not in self.teams:
            return
        team = self.teams[pathway.structure_id]
        if scenario == "to_contact":
            return
        received = self.received[pathway.pk]
        contacted = min(received + self._days(1, 5), self.today)
        pathway_mark_contacted(by=team.coordinator, pathway=pathway)
        self._backdate(pathway, contacted)
        items = pathway.prescription.items
        assessments = [k for k in ASSESSMENTS if k in items]
        if scenario == "contacted":
            if assessments and self.prng.random() < 0.6:
                self._act(pathway, team, assessments[0], contacted, self.today + self._days(3, 21))
            return
        if scenario == "expiring":
            first = self.today - self._days(336, 362)
            first = max(first, contacted)
        else:
            first = contacted + self._days(5, 20)
        if scenario == "withdrawn":
            if assessments and self.prng.random() < 0.5:
                self._act(pathway, team, assessments[0], contacted, first, done=first < self.today)
            close = min(first + self._days(5, 30), self.today)
            self._close(pathway, team, PathwayStatus.WITHDRAWN, close)
            return
        spent = Decimal("0.00")
        last = first
        for index, kind in enumerate(assessments):
            day = first + timedelta(days=3 * index)
            act = self._act(pathway, team, kind, contacted, day, done=day < self.today)
            if act is not None:
                spent += act.amount
                last = max(last, day)
        if spent == 0:
            return  # no qualified professional: the pathway waits for its first assessment
        last = self._followups(pathway, team, scenario, last, spent, add_months(first, 12))
        if scenario == "completed" and pathway.status == PathwayStatus.ACTIVE:
            close = min(last + self._days(7, 30), self.today - timedelta(days=1))
            self._close(pathway, team, PathwayStatus.COMPLETED, close)

    def _followups(
        self,
        pathway: Pathway,
        team: Team,
        scenario: str,
        start: date,
        spent: Decimal,
        deadline: date,
    ) -> date:
        """Follow-ups every 3-5 weeks: done in the past, then at most one booked ahead.
        Returns the day of the last one done (``start`` if none)."""
        kinds = [k for k in FOLLOWUPS if k in pathway.prescription.items]
        if not kinds:
            return start
        budget = pathway.cap if scenario == "near_cap" else pathway.cap * REGULAR_BUDGET_SHARE
        wanted = 6 if scenario == "near_cap" else self.prng.randint(1, 4)
        day, last, added, count = start, start, Decimal("0.00"), 0
        while count < wanted:
            day += self._days(21, 35)
            if day > deadline or (scenario == "completed" and day >= self.today):
                break
            amount = self.prng.choice(FOLLOWUP_RATES)
            if spent + added + amount > budget:
                break
            booked_on = max(day - self._days(7, 20), start)
            act = self._act(
                pathway,
                team,
                self.prng.choice(kinds),
                min(booked_on, self.today),
                day,
                done=day < self.today,
                amount=amount,
            )
            if act is None:
                break
            count += 1
            if day >= self.today:
                if self.prng.random() < 0.15:
                    act_cancel(
                        by=team.coordinator,
                        act=act,
                        reason=_("Le patient est hospitalisé : rendez-vous à reprogrammer."),
                    )
                    self._backdate(pathway, self.today)
                else:
                    added += amount
                break
            added += amount
            last = day
        return last

    def _act(
        self,
        pathway: Pathway,
        team: Team,
        kind: str,
        booked_on: date,
        day: date,
        *,
        done: bool = False,
        amount: Decimal | None = None,
    ) -> Act | None:
        professional = team.performer(kind, self.prng)
        if professional is None:
            return None
        video = self.prng.random() < 0.2
        structure = team.coordinator.organisation
        act = act_book(
            by=team.coordinator,
            pathway=pathway,
            kind=kind,
            professional=professional,
            starts_at=timezone.make_aware(
                datetime.combine(day, time(self.prng.randint(9, 17), self.prng.choice((0, 30))))
            ),
            mode=ActMode.VIDEO if video else ActMode.IN_PERSON,
            place="" if video else f"{structure.address}, {structure.name}",
            amount=amount or self.prng.choice(ASSESSMENT_RATES),
        )
        self._backdate(pathway, min(booked_on, day, self.today))
        if done:
            act_complete(by=team.coordinator, act=act, done_on=day)
            self._backdate(pathway, day)
        return act

    def _close(self, pathway: Pathway, team: Team, outcome: str, day: date) -> None:
        reason = (
            ""
            if outcome == PathwayStatus.COMPLETED
            else _("Le patient ne souhaite pas poursuivre le parcours pour le moment.")
        )
        pathway_close(by=team.coordinator, pathway=pathway, outcome=outcome, reason=reason)
        Pathway.objects.filter(pk=pathway.pk).update(closed_at=self._backdate(pathway, day))

    # Demo-only backdating ------------------------------------------------------------------

    def _stamp(self, day: date) -> datetime:
        """A time of ``day``, always before the load started (so never moved again)."""
        moment = time(self.prng.randint(8, 18), self.prng.randint(0, 59))
        stamp = timezone.make_aware(datetime.combine(day, moment))
        return min(stamp, self.clock - timedelta(minutes=1))

    def _backdate(self, pathway: Pathway, day: date) -> datetime:
        """Moves the events the last service call wrote (stamped now) to ``day``, never before
        the pathway's previous step, so that its timeline reads in order. Returns the stamp."""
        stamp = self._stamp(day)
        previous = self.last_stamp.get(pathway.pk)
        if previous is not None and stamp <= previous:
            stamp = min(previous + timedelta(minutes=1), self.clock - timedelta(seconds=1))
        self.last_stamp[pathway.pk] = stamp
        PathwayEvent.objects.filter(pathway=pathway, at__gte=self.clock).update(at=stamp)
        return stamp
