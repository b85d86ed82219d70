"""Reads of the funding app: conventions, envelopes, payments and the due/paid/balance table.

What the ARS owes for the prestations is derived, never stored: for each structure, the
completed acts of its pathways in the period, each pathway limited to its cap (PSG-09, see
``rules.capped_due``). The cap is the pathway's own ``cap`` column, which the pathways app
sets at intake from the regulatory parameter in force at the prescription date
(``psgac_parameters_at``) and never rewrites: the ARS's figure and the structure's budget
ledger read the same number.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.funding.models import (
    Convention,
    ConventionStatus,
    FundingAllocation,
    FundingEnvelope,
    PaymentKind,
    StructurePayment,
)
from oncoparcours.funding.permissions import is_funding_manager
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.rules.budget import ActStatus

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _done_amount_before(bound: datetime) -> Coalesce:
    """The pathway's completed acts done before ``bound``, summed (a correlated subquery)."""
    total = (
        Act.objects.filter(pathway=OuterRef("pk"), status=ActStatus.DONE, done_at__lt=bound)
        .order_by()
        .values("pathway")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


@dataclass(frozen=True)
class DueFigures:
    due: Decimal = ZERO  # after the cap of each pathway (PSG-09)
    done: Decimal = ZERO  # completed acts of the period, before the cap
    pathways: int = 0


def due_by_structure(
    *, start: date, end: date, structure_ids: list[int] | None = None
) -> dict[int, DueFigures]:
    """What the ARS owes each structure for the acts completed from ``start`` to ``end``
    (both included, by the day the act was done), in one query.

    Per pathway: min(cap, done up to the end) - min(cap, done before the start), the SQL form of
    ``rules.capped_due``; summed per structure. Cancelled and missed acts count for nothing
    (rules.budget: they release their amount). Acts count for the pathway's structure of today
    (a reassigned pathway brings its earlier acts along).
    """
    lower, upper = _day_start(start), _day_start(end + timedelta(days=1))
    in_period = Act.objects.filter(
        pathway=OuterRef("pk"), status=ActStatus.DONE, done_at__gte=lower, done_at__lt=upper
    )
    pathways = Pathway.objects.filter(Exists(in_period), structure__isnull=False)
    if structure_ids is not None:
        pathways = pathways.filter(structure_id__in=structure_ids)
    rows = (
        pathways.alias(before=_done_amount_before(lower), through=_done_amount_before(upper))
        .order_by()
        .values("structure_id")
        .annotate(
            due=Sum(
                Least(F("cap"), F("through"), output_field=MONEY)
                - Least(F("cap"), F("before"), output_field=MONEY),
                output_field=MONEY,
            ),
            done=Sum(F("through") - F("before"), output_field=MONEY),
            pathways=Count("pk"),
        )
    )
    return {
        row["structure_id"]: DueFigures(
            due=_cents(row["due"]), done=_cents(row["done"]), pathways=row["pathways"]
        )
        for row in rows
    }


def _cents(value: Decimal | None) -> Decimal:
    return (value or ZERO).quantize(Decimal("0.01"))


@dataclass
class BalanceRow:
    structure: Organisation
    conventions: list[Convention] = field(default_factory=list)
    due: Decimal = ZERO
    done: Decimal = ZERO
    pathways: int = 0
    forfait_paid: Decimal = ZERO
    allocated: Decimal = ZERO
    coordination_paid: Decimal = ZERO

    @property
    def forfait_balance(self) -> Decimal:
        return self.due - self.forfait_paid

    @property
    def coordination_balance(self) -> Decimal:
        return self.allocated - self.coordination_paid

    @property
    def without_convention(self) -> bool:
        """Acts are due although no signed convention covers any day of the year."""
        return self.done > 0 and not self.conventions


@dataclass
class BalanceTable:
    year: int
    rows: list[BalanceRow]

    def _sum(self, name: str) -> Decimal:
        return sum((getattr(row, name) for row in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        names = (
            "due",
            "done",
            "forfait_paid",
            "forfait_balance",
            "allocated",
            "coordination_paid",
            "coordination_balance",
        )
        return {name: self._sum(name) for name in names}


def funding_balance(
    *, ars_id: int | None, year: int, structure: Organisation | None = None
) -> BalanceTable:
    """Due, paid and balance per structure for one calendar year: the forfait (acts, PSG-09)
    and the coordination funding (FIR allocations of the year's envelopes).

    Five queries whatever the number of acts: the structures, their conventions of the year,
    the due amounts (``due_by_structure``), the payments and the allocations, each grouped by
    structure. ``ars_id`` None: every ARS (a coordinator's view of their own structure).
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    if structure is not None:
        structures = [structure]
    else:
        structures = list(
            Organisation.objects.filter(kind=OrgKind.STRUCTURE_PORTEUSE)
            .filter(Q(archived_at__isnull=True) | Q(funding_conventions__ars_id=ars_id))
            .distinct()
            .order_by("name", "pk")
        )
    ids = [s.pk for s in structures]
    by_ars = Q() if ars_id is None else Q(ars_id=ars_id)
    rows = {s.pk: BalanceRow(structure=s) for s in structures}

    conventions = (
        Convention.objects.filter(by_ars, structure_id__in=ids, start_date__lte=end)
        .filter(Q(terminated_on__isnull=True, end_date__gte=start) | Q(terminated_on__gte=start))
        .exclude(status=ConventionStatus.DRAFT)
        .order_by("start_date", "pk")
    )
    for convention in conventions:
        rows[convention.structure_id].conventions.append(convention)

    for structure_id, figures in due_by_structure(start=start, end=end, structure_ids=ids).items():
        row = rows[structure_id]
        row.due, row.done, row.pathways = figures.due, figures.done, figures.pathways

    paid = (
        StructurePayment.objects.filter(by_ars, structure_id__in=ids, period_start__year=year)
        .order_by()
        .values("structure_id", "kind")
        .annotate(total=Sum("amount"))
    )
    for entry in paid:
        row = rows[entry["structure_id"]]
        if entry["kind"] == PaymentKind.FORFAIT:
            row.forfait_paid = _cents(entry["total"])
        else:
            row.coordination_paid = _cents(entry["total"])

    envelope_ars = Q() if ars_id is None else Q(envelope__ars_id=ars_id)
    allocated = (
        FundingAllocation.objects.filter(envelope_ars, structure_id__in=ids, envelope__year=year)
        .order_by()
        .values("structure_id")
        .annotate(total=Sum("amount"))
    )
    for structure_id, total in allocated.values_list("structure_id", "total"):
        rows[structure_id].allocated = _cents(total)
    return BalanceTable(year=year, rows=list(rows.values()))


def convention_list_for(actor: Membership) -> QuerySet[Convention]:
    """The ARS analyst: every convention of their ARS; a coordinator: their structure's signed
    and ended ones."""
    conventions = Convention.objects.select_related("structure", "amends")
    if is_funding_manager(actor):
        return conventions.filter(ars_id=actor.organisation_id)
    return conventions.filter(structure_id=actor.organisation_id).exclude(
        status=ConventionStatus.DRAFT
    )


def envelope_list_for(actor: Membership) -> QuerySet[FundingEnvelope]:
    """The ARS's envelopes with what is allocated of each (one query)."""
    return FundingEnvelope.objects.filter(ars_id=actor.organisation_id).annotate(
        allocated=Coalesce(Sum("allocations__amount"), Value(ZERO), output_field=MONEY)
    )


def allocation_list(envelope: FundingEnvelope) -> QuerySet[FundingAllocation]:
    """An envelope's allocations with what was paid of each (one query)."""
    return (
        envelope.allocations.select_related("structure")
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(ZERO), output_field=MONEY))
        .order_by("structure__name", "decided_on", "pk")
    )


def structure_allocation_list(
    structure: Organisation, *, ars_id: int | None
) -> QuerySet[FundingAllocation]:
    allocations = FundingAllocation.objects.filter(structure=structure)
    if ars_id is not None:
        allocations = allocations.filter(envelope__ars_id=ars_id)
    return (
        allocations.select_related("envelope")
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(ZERO), output_field=MONEY))
        .order_by("-envelope__year", "decided_on", "pk")
    )


def payment_list(
    *, ars_id: int | None, structure: Organisation | None = None, year: int | None = None
) -> QuerySet[StructurePayment]:
    payments = StructurePayment.objects.select_related(
        "structure", "convention", "allocation__envelope"
    )
    if ars_id is not None:
        payments = payments.filter(ars_id=ars_id)
    if structure is not None:
        payments = payments.filter(structure=structure)
    if year is not None:
        payments = payments.filter(period_start__year=year)
    return payments.order_by("-paid_on", "-pk")


def structure_porteuse_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True
    ).order_by("name")


def allocation_choices(actor: Membership) -> QuerySet[FundingAllocation]:
    return (
        FundingAllocation.objects.filter(envelope__ars_id=actor.organisation_id)
        .select_related("structure", "envelope")
        .order_by("-envelope__year", "structure__name", "pk")
    )


def structure_conventions(structure: Organisation, actor: Membership) -> QuerySet[Convention]:
    return convention_list_for(actor).filter(structure=structure).order_by("-start_date")
