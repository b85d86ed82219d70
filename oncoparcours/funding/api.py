"""/api/v1/funding: conventions, FIR envelopes and allocations, payments, due vs paid."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.funding import services
from oncoparcours.funding.models import (
    Convention,
    FundingAllocation,
    FundingEnvelope,
    StructurePayment,
)
from oncoparcours.funding.permissions import (
    access_convention,
    access_envelope,
    access_structure,
    can_end_convention,
    can_manage_funding,
    can_sign_convention,
    can_use_funding,
    is_funding_manager,
)
from oncoparcours.funding.selectors import (
    BalanceRow,
    allocation_list,
    convention_list_for,
    envelope_list_for,
    funding_balance,
    payment_list,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import InterventionTerritory

router = Router(tags=["Financement"])
YEAR = Query(None, ge=2020, le=2100)


def _user(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_use_funding(current):
        raise forbidden()
    return current


def _manager(request: HttpRequest) -> Membership:
    current = _user(request)
    if not can_manage_funding(current):
        raise forbidden()
    return current


class ConventionOut(Schema):
    id: UUID
    reference: str
    structure_id: UUID
    amends_id: UUID | None
    status: str
    start_date: date
    end_date: date
    terminated_on: date | None
    signed_on: date | None
    expected_patients_per_year: int
    report_due_month: int
    report_due_day: int
    funding_terms: str
    information_to_doctors: str
    evaluation_data: str
    territory_ids: list[UUID]

    @staticmethod
    def resolve_id(obj: Convention) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_structure_id(obj: Convention) -> UUID:
        return obj.structure.public_id

    @staticmethod
    def resolve_amends_id(obj: Convention) -> UUID | None:
        return obj.amends.public_id if obj.amends else None

    @staticmethod
    def resolve_territory_ids(obj: Convention) -> list[UUID]:
        return [t.public_id for t in obj.territories.all()]


class ConventionIn(Schema):
    reference: str
    structure_id: UUID
    start_date: date
    end_date: date
    territory_ids: list[UUID]
    expected_patients_per_year: int
    report_due_month: int
    report_due_day: int
    funding_terms: str = ""
    information_to_doctors: str = ""
    evaluation_data: str = ""
    amends_id: UUID | None = None


class ConventionSignIn(Schema):
    signed_on: date


class ConventionEndIn(Schema):
    terminated_on: date
    reason: str


class EnvelopeOut(Schema):
    id: UUID
    year: int
    region: str
    label: str
    amount: Decimal
    source_note: str
    allocated: Decimal

    @staticmethod
    def resolve_id(obj: FundingEnvelope) -> UUID:
        return obj.public_id


class EnvelopeIn(Schema):
    year: int
    region: str
    label: str
    amount: Decimal
    source_note: str


class AllocationOut(Schema):
    id: UUID
    envelope_id: UUID
    structure_id: UUID
    amount: Decimal
    purpose: str
    decided_on: date
    paid: Decimal

    @staticmethod
    def resolve_id(obj: FundingAllocation) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_envelope_id(obj: FundingAllocation) -> UUID:
        return obj.envelope.public_id

    @staticmethod
    def resolve_structure_id(obj: FundingAllocation) -> UUID:
        return obj.structure.public_id

    @staticmethod
    def resolve_paid(obj: FundingAllocation) -> Decimal:
        return getattr(obj, "paid", Decimal("0.00"))


class EnvelopeDetailOut(EnvelopeOut):
    allocations: list[AllocationOut]


class AllocationIn(Schema):
    structure_id: UUID
    amount: Decimal
    decided_on: date
    purpose: str = ""


class PaymentOut(Schema):
    id: UUID
    structure_id: UUID
    kind: str
    convention_id: UUID | None
    allocation_id: UUID | None
    amount: Decimal
    paid_on: date
    period_start: date
    period_end: date
    reference: str

    @staticmethod
    def resolve_id(obj: StructurePayment) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_structure_id(obj: StructurePayment) -> UUID:
        return obj.structure.public_id

    @staticmethod
    def resolve_convention_id(obj: StructurePayment) -> UUID | None:
        return obj.convention.public_id if obj.convention else None

    @staticmethod
    def resolve_allocation_id(obj: StructurePayment) -> UUID | None:
        return obj.allocation.public_id if obj.allocation else None


class PaymentIn(Schema):
    structure_id: UUID
    kind: str
    amount: Decimal
    paid_on: date
    period_start: date
    period_end: date
    reference: str
    allocation_id: UUID | None = None


class BalanceRowOut(Schema):
    structure_id: UUID
    structure_name: str
    convention_references: list[str]
    pathways: int
    done: Decimal
    due: Decimal
    forfait_paid: Decimal
    forfait_balance: Decimal
    allocated: Decimal
    coordination_paid: Decimal
    coordination_balance: Decimal


class BalanceOut(Schema):
    year: int
    rows: list[BalanceRowOut]
    totals: dict[str, Decimal]


def _row_out(row: BalanceRow) -> BalanceRowOut:
    return BalanceRowOut(
        structure_id=row.structure.public_id,
        structure_name=row.structure.name,
        convention_references=[c.reference for c in row.conventions],
        pathways=row.pathways,
        done=row.done,
        due=row.due,
        forfait_paid=row.forfait_paid,
        forfait_balance=row.forfait_balance,
        allocated=row.allocated,
        coordination_paid=row.coordination_paid,
        coordination_balance=row.coordination_balance,
    )


def _convention(request: HttpRequest, convention_id: UUID) -> Convention:
    try:
        return access_convention(_user(request), convention_id)
    except Http404:
        raise not_found() from None


def _structure_or_none(structure_id: UUID) -> Organisation | None:
    return Organisation.objects.filter(public_id=structure_id).first()


@router.get("/conventions", response=list[ConventionOut], summary="Conventions ARS")
@paginate(PageNumberPagination)
def funding_convention_list(request: HttpRequest) -> QuerySet[Convention]:
    return (
        convention_list_for(_user(request))
        .prefetch_related("territories")
        .order_by("structure__name", "-start_date", "pk")
    )


@router.post(
    "/conventions",
    response={201: ConventionOut},
    summary="Créer un projet de convention ou d'avenant (PSG-15, PSG-16)",
)
def funding_convention_create(request: HttpRequest, payload: ConventionIn) -> Status[Convention]:
    current = _manager(request)
    amends = None
    if payload.amends_id is not None:
        amends = _convention(request, payload.amends_id)
    territories = list(InterventionTerritory.objects.filter(public_id__in=payload.territory_ids))
    if len(territories) != len(set(payload.territory_ids)):
        raise not_found()
    values = payload.model_dump(exclude={"structure_id", "territory_ids", "amends_id"})
    convention = services.convention_create(
        by=current,
        structure=_structure_or_none(payload.structure_id),
        territories=territories,
        amends=amends,
        **values,
    )
    return Status(201, convention)


@router.get("/conventions/{convention_id}", response=ConventionOut, summary="Une convention")
def funding_convention_get(request: HttpRequest, convention_id: UUID) -> Convention:
    return _convention(request, convention_id)


@router.post(
    "/conventions/{convention_id}/sign", response=ConventionOut, summary="Signer une convention"
)
def funding_convention_sign(
    request: HttpRequest, convention_id: UUID, payload: ConventionSignIn
) -> Convention:
    convention = _convention(request, convention_id)
    current = actor(request)
    if not can_sign_convention(current, convention):
        raise forbidden()
    return services.convention_sign(by=current, convention=convention, signed_on=payload.signed_on)


@router.post(
    "/conventions/{convention_id}/end",
    response=ConventionOut,
    summary="Mettre fin à une convention signée (elle reste conservée)",
)
def funding_convention_end(
    request: HttpRequest, convention_id: UUID, payload: ConventionEndIn
) -> Convention:
    convention = _convention(request, convention_id)
    current = actor(request)
    if not can_end_convention(current, convention):
        raise forbidden()
    return services.convention_end(
        by=current,
        convention=convention,
        terminated_on=payload.terminated_on,
        reason=payload.reason,
    )


@router.get("/envelopes", response=list[EnvelopeOut], summary="Enveloppes FIR de l'ARS")
@paginate(PageNumberPagination)
def funding_envelope_list(request: HttpRequest) -> QuerySet[FundingEnvelope]:
    return envelope_list_for(_manager(request)).order_by("-year", "label", "pk")


@router.post("/envelopes", response={201: EnvelopeOut}, summary="Créer une enveloppe FIR")
def funding_envelope_create(request: HttpRequest, payload: EnvelopeIn) -> Status[EnvelopeOut]:
    envelope = services.envelope_create(by=_manager(request), **payload.model_dump())
    return Status(201, _envelope_out(envelope, []))


def _envelope_out(
    envelope: FundingEnvelope, allocations: list[FundingAllocation]
) -> EnvelopeDetailOut:
    return EnvelopeDetailOut(
        id=envelope.public_id,
        year=envelope.year,
        region=envelope.region,
        label=envelope.label,
        amount=envelope.amount,
        source_note=envelope.source_note,
        allocated=sum((a.amount for a in allocations), Decimal("0.00")),
        allocations=[AllocationOut.from_orm(a) for a in allocations],
    )


def _envelope(request: HttpRequest, envelope_id: UUID) -> FundingEnvelope:
    try:
        return access_envelope(_manager(request), envelope_id)
    except Http404:
        raise not_found() from None


@router.get(
    "/envelopes/{envelope_id}",
    response=EnvelopeDetailOut,
    summary="Une enveloppe et ses allocations",
)
def funding_envelope_get(request: HttpRequest, envelope_id: UUID) -> EnvelopeDetailOut:
    envelope = _envelope(request, envelope_id)
    return _envelope_out(envelope, list(allocation_list(envelope)))


@router.post(
    "/envelopes/{envelope_id}/allocations",
    response={201: AllocationOut},
    summary="Allouer une part de l'enveloppe (jamais plus que l'enveloppe)",
)
def funding_allocation_create(
    request: HttpRequest, envelope_id: UUID, payload: AllocationIn
) -> Status[FundingAllocation]:
    envelope = _envelope(request, envelope_id)
    allocation = services.allocation_create(
        by=actor(request),
        envelope=envelope,
        structure=_structure_or_none(payload.structure_id),
        amount=payload.amount,
        decided_on=payload.decided_on,
        purpose=payload.purpose,
    )
    return Status(201, allocation)


@router.get("/payments", response=list[PaymentOut], summary="Versements de l'ARS")
@paginate(PageNumberPagination)
def funding_payment_list(
    request: HttpRequest, year: int | None = YEAR
) -> QuerySet[StructurePayment]:
    current = _user(request)
    if is_funding_manager(current):
        return payment_list(ars_id=current.organisation_id, year=year)
    return payment_list(ars_id=None, structure=current.organisation, year=year)


@router.post("/payments", response={201: PaymentOut}, summary="Enregistrer un versement")
def funding_payment_record(request: HttpRequest, payload: PaymentIn) -> Status[StructurePayment]:
    current = _manager(request)
    allocation = None
    if payload.allocation_id is not None:
        allocation = FundingAllocation.objects.filter(
            public_id=payload.allocation_id, envelope__ars_id=current.organisation_id
        ).first()
        if allocation is None:
            raise not_found()
    values = payload.model_dump(exclude={"structure_id", "allocation_id"})
    payment = services.payment_record(
        by=current,
        structure=_structure_or_none(payload.structure_id),
        allocation=allocation,
        **values,
    )
    return Status(201, payment)


@router.get(
    "/balance",
    response=BalanceOut,
    summary="Dû, versé et reste par structure pour une année (ARS : toutes ; coordinateur : la sienne)",
)
def funding_balance_get(request: HttpRequest, year: int | None = YEAR) -> BalanceOut:
    current = _user(request)
    year = year or timezone.localdate().year
    if is_funding_manager(current):
        table = funding_balance(ars_id=current.organisation_id, year=year)
    else:
        table = funding_balance(ars_id=None, year=year, structure=current.organisation)
    return BalanceOut(year=year, rows=[_row_out(r) for r in table.rows], totals=table.totals)


@router.get(
    "/structures/{structure_id}/balance",
    response=BalanceRowOut,
    summary="Dû, versé et reste d'une structure pour une année",
)
def funding_structure_balance(
    request: HttpRequest, structure_id: UUID, year: int | None = YEAR
) -> BalanceRowOut:
    current = _user(request)
    try:
        structure = access_structure(current, structure_id)
    except Http404:
        raise not_found() from None
    ars_id = current.organisation_id if is_funding_manager(current) else None
    table = funding_balance(
        ars_id=ars_id, year=year or timezone.localdate().year, structure=structure
    )
    return _row_out(table.rows[0])
