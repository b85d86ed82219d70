"""Reads of the payments: statements, their lines, monthly totals, acts left unpaid."""

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from oncoparcours.accounts.models import User
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act
from oncoparcours.pathways.rules.budget import ActStatus
from oncoparcours.payments.models import (
    FROZEN_STATUSES,
    PayableLine,
    Statement,
    StatementStatus,
)
from oncoparcours.payments.rules import next_month
from oncoparcours.professionals.models import Contract, ContractKind

ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=10, decimal_places=2)


def contract_in_force(*, professional_id: int, structure_id: int, day: date) -> Contract | None:
    """The professional's contract with the structure on that day (at most one: no overlap)."""
    return (
        Contract.objects.filter(
            professional_id=professional_id, structure_id=structure_id, start_date__lte=day
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .first()
    )


def contracts_in_force(
    *, structure_id: int, professionals: QuerySet[User], day: date
) -> list[tuple[User, Contract]]:
    """Each professional's contract with the structure on that day, when they have one, by
    name (one query)."""
    contracts = (
        Contract.objects.filter(
            structure_id=structure_id,
            professional__in=professionals.values("pk"),
            start_date__lte=day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("professional")
        .order_by("professional__last_name", "professional__first_name", "pk")
    )
    return [(c.professional, c) for c in contracts]


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The month as aware datetimes in the local time zone: [first day, first of next)."""
    start = timezone.make_aware(datetime.combine(month, time.min))
    end = timezone.make_aware(datetime.combine(next_month(month), time.min))
    return start, end


def _with_sums(statements: QuerySet[Statement]) -> QuerySet[Statement]:
    return statements.annotate(
        lines_total=Coalesce(Sum("lines__amount"), Value(ZERO), output_field=_MONEY),
        line_count=Count("lines"),
    )


def structure_statement_list(
    structure: Organisation, *, month: date | None = None
) -> QuerySet[Statement]:
    """The structure's statements (one query), with each one's line count and sum."""
    statements = Statement.objects.filter(structure=structure)
    if month is not None:
        statements = statements.filter(month=month)
    return _with_sums(statements.select_related("professional", "structure")).order_by(
        "-month", "professional__last_name", "professional__first_name", "pk"
    )


def professional_statement_list(user: User, *, month: date | None = None) -> QuerySet[Statement]:
    """The professional's own statements, every structure (one query)."""
    statements = Statement.objects.filter(professional=user)
    if month is not None:
        statements = statements.filter(month=month)
    return _with_sums(statements.select_related("professional", "structure")).order_by(
        "-month", "structure__name", "pk"
    )


@dataclass(frozen=True)
class MonthTotal:
    frozen: Decimal
    draft: Decimal

    @property
    def total(self) -> Decimal:
        return self.frozen + self.draft


def structure_month_total(structure: Organisation, month: date) -> MonthTotal:
    """Validated and paid statements' stored totals, plus the lines of the drafts (two
    queries: summing totals over a join on lines would count each total once per line)."""
    frozen = Statement.objects.filter(
        structure=structure, month=month, status__in=list(FROZEN_STATUSES)
    ).aggregate(total=Coalesce(Sum("total"), Value(ZERO), output_field=_MONEY))["total"]
    draft = PayableLine.objects.filter(
        statement__structure=structure,
        statement__month=month,
        statement__status=StatementStatus.DRAFT,
    ).aggregate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=_MONEY))["total"]
    return MonthTotal(frozen=frozen, draft=draft)


def statement_lines(statement: Statement) -> QuerySet[PayableLine]:
    """The lines with their act, pathway and patient (one query, whatever the count)."""
    return (
        PayableLine.objects.filter(statement=statement)
        .select_related("act__pathway__patient", "corrects__statement")
        .order_by("act__done_at", "act__pk", "corrects", "pk")
    )


def unattached_lines(
    *, structure: Organisation, professional_id: int | None = None, until: date
) -> QuerySet[PayableLine]:
    """Lines on no statement yet, accounted in ``until``'s month or before."""
    lines = PayableLine.objects.filter(
        structure=structure, statement__isnull=True, month__lte=until
    )
    if professional_id is not None:
        lines = lines.filter(professional_id=professional_id)
    return lines


def done_acts_without_line(
    structure: Organisation, *, before: datetime, after: datetime | None = None
) -> list[Act]:
    """Done acts of the structure's pathways that have no payable line (one query)."""
    acts = Act.objects.filter(
        pathway__structure=structure, status=ActStatus.DONE, done_at__lt=before
    ).exclude(payable_lines__isnull=False)
    if after is not None:
        acts = acts.filter(done_at__gte=after)
    return list(acts.select_related("pathway__patient", "professional").order_by("done_at", "pk"))


def acts_without_contract(structure: Organisation, month: date) -> list[Act]:
    """Acts done in the month by a professional with no contract with the structure that day:
    nothing will pay them until the coordinator records the contract (two queries)."""
    start, end = month_bounds(month)
    acts = done_acts_without_line(structure, before=end, after=start)
    contracts = list(
        Contract.objects.filter(
            structure=structure, professional_id__in={act.professional_id for act in acts}
        )
    )
    return [
        act
        for act in acts
        if not any(
            c.professional_id == act.professional_id and c.in_force_on(act.day) for c in contracts
        )
    ]


def salaried_contract(contract: Contract | None) -> bool:
    return contract is not None and contract.kind == ContractKind.SALARIED
