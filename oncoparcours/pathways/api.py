"""Pathways for hospital systems and partners: post a prescription (idempotent), read and list
pathways, override a refusal, mark the patient contacted, close; book, reschedule, complete,
cancel an act or mark it a no-show. Every rule is the services'; this module maps JSON to
them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.params import HeaderEx, P
from ninja.responses import Status

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.core.errors import error_items_from_validation, log_refusal
from oncoparcours.pathways import services
from oncoparcours.pathways.models import Act, Channel, Pathway, PathwayEvent, Prescription
from oncoparcours.pathways.permissions import (
    access_act,
    access_pathway,
    can_act_on_pathway,
    can_complete_act,
    can_list_own_prescriptions,
    can_list_pathways,
    can_manage_acts,
    can_receive_prescription,
)
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.selectors import (
    WORKLIST_BUCKETS,
    act_detail,
    pathway_detail,
    pathway_ledger,
    pathway_worklist_for,
    prescriptions_of,
    worklist_bucket_counts,
)
from oncoparcours.pathways.states import EVENT_LABELS, PathwayStatus
from oncoparcours.patients.permissions import access_patient

router = Router(tags=["Parcours"])


class FailureOut(Schema):
    code: str
    message: str
    field: str | None = None


class PathwayOut(Schema):
    id: UUID
    status: str
    status_label: str
    patient_id: UUID
    structure_id: UUID | None
    structure_name: str | None
    uncovered: bool
    age_group: str
    eligibility: str
    failures: list[FailureOut]
    prescription_date: date
    first_assessment_date: date | None
    deadline: date | None
    cap: Decimal
    created_at: datetime
    closed_at: datetime | None
    closure_reason: str

    @staticmethod
    def resolve_id(obj: Pathway) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_patient_id(obj: Pathway) -> UUID:
        return obj.patient.public_id

    @staticmethod
    def resolve_structure_id(obj: Pathway) -> UUID | None:
        return obj.structure.public_id if obj.structure else None

    @staticmethod
    def resolve_structure_name(obj: Pathway) -> str | None:
        return obj.structure.name if obj.structure else None

    @staticmethod
    def resolve_eligibility(obj: Pathway) -> str:
        return obj.prescription.eligibility

    @staticmethod
    def resolve_failures(obj: Pathway) -> list[dict[str, Any]]:
        return list(obj.prescription.failures)

    @staticmethod
    def resolve_prescription_date(obj: Pathway) -> date:
        return obj.prescription.prescription_date


class PrescriptionOut(Schema):
    id: UUID
    prescriber_name: str
    prescriber_rpps: str
    prescriber_specialty: str
    prescription_date: date
    items: list[str]
    channel: str
    ald_cancer: bool
    active_treatment_end_date: date | None
    received_at: datetime
    override_justification: str
    override_at: datetime | None

    @staticmethod
    def resolve_id(obj: Prescription) -> UUID:
        return obj.public_id


class EventOut(Schema):
    kind: str
    kind_label: str
    at: datetime
    actor_id: UUID | None
    actor_role: str | None
    reason: str
    data: dict[str, Any]

    @staticmethod
    def resolve_kind_label(obj: PathwayEvent) -> str:
        return str(EVENT_LABELS.get(obj.kind, obj.kind))  # type: ignore[call-overload]

    @staticmethod
    def resolve_actor_id(obj: PathwayEvent) -> UUID | None:
        return obj.actor.public_id if obj.actor else None

    @staticmethod
    def resolve_actor_role(obj: PathwayEvent) -> str | None:
        return obj.actor.role if obj.actor else None


class ActOut(Schema):
    id: UUID
    pathway_id: UUID
    kind: str
    kind_label: str
    professional_id: UUID
    professional_name: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    place: str
    amount: str
    status: str
    done_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str

    @staticmethod
    def resolve_id(obj: Act) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Act) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_kind_label(obj: Act) -> str:
        return str(PRESTATIONS[obj.kind].label)

    @staticmethod
    def resolve_professional_id(obj: Act) -> UUID:
        return obj.professional.public_id

    @staticmethod
    def resolve_professional_name(obj: Act) -> str:
        return obj.professional.get_full_name()

    @staticmethod
    def resolve_amount(obj: Act) -> str:
        return f"{obj.amount:.2f}"


class BudgetOut(Schema):
    """PSG-09, to the cent: strings with two decimals, never floats."""

    cap: str
    committed: str
    spent: str
    remaining: str
    followups_used: int


class PathwayDetailOut(PathwayOut):
    prescription: PrescriptionOut
    events: list[EventOut]
    budget: BudgetOut
    acts: list[ActOut]

    @staticmethod
    def resolve_events(obj: Pathway) -> list[PathwayEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_budget(obj: Pathway) -> dict[str, Any]:
        ledger = pathway_ledger(obj)
        return {
            "cap": f"{obj.cap:.2f}",
            "committed": f"{ledger.committed:.2f}",
            "spent": f"{ledger.spent:.2f}",
            "remaining": f"{ledger.remaining:.2f}",
            "followups_used": ledger.followups_used,
        }

    @staticmethod
    def resolve_acts(obj: Pathway) -> list[Act]:
        return list(obj.acts.all())


class RefusedOut(Schema):
    errors: list[FailureOut]
    pathway_id: UUID


class PrescriptionIn(Schema):
    patient_id: UUID
    prescription_date: date
    items: list[str]
    prescriber_name: str = ""
    prescriber_rpps: str = ""
    prescriber_specialty: str = ""


class OverrideIn(Schema):
    justification: str


class CloseIn(Schema):
    outcome: str
    reason: str = ""


class ActIn(Schema):
    """``professional_id``: the professional's user id (``/api/v1/organisations/{id}/members``);
    ``amount``: the rate agreed with them, in euros, as a string ("45.00")."""

    kind: str
    professional_id: UUID
    starts_at: datetime
    mode: str
    place: str = ""
    amount: Decimal


class RescheduleIn(Schema):
    starts_at: datetime


class CompleteIn(Schema):
    done_on: date | None = None


class CancelIn(Schema):
    reason: str


class ErrorsOut(Schema):
    errors: list[FailureOut]


class PathwayFilters(Schema):
    status: str | None = None
    q: str | None = None
    bucket: str | None = None


class BucketsFilters(Schema):
    q: str | None = None


class BucketOut(Schema):
    code: str
    label: str
    count: int


class MyPrescriptionOut(Schema):
    """A prescriber's own prescription: the patient as initials and birth year only."""

    id: UUID
    pathway_id: UUID
    prescription_date: date
    received_at: datetime
    patient_initials: str
    patient_birth_year: int
    items: list[str]
    status: str
    status_label: str
    structure_name: str | None
    uncovered: bool
    failures: list[FailureOut]

    @staticmethod
    def resolve_id(obj: Prescription) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Prescription) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_patient_initials(obj: Prescription) -> str:
        patient = obj.patient
        family = patient.used_name or patient.birth_name
        return f"{patient.first_given_name[:1].upper()}. {family[:1].upper()}."

    @staticmethod
    def resolve_patient_birth_year(obj: Prescription) -> int:
        return obj.patient.birth_date.year

    @staticmethod
    def resolve_status(obj: Prescription) -> str:
        return obj.pathway.status

    @staticmethod
    def resolve_status_label(obj: Prescription) -> str:
        return obj.pathway.status_label

    @staticmethod
    def resolve_structure_name(obj: Prescription) -> str | None:
        structure = obj.pathway.structure
        return structure.name if structure else None

    @staticmethod
    def resolve_uncovered(obj: Prescription) -> bool:
        return obj.pathway.uncovered

    @staticmethod
    def resolve_failures(obj: Prescription) -> list[dict[str, Any]]:
        return list(obj.failures)


def _pathway(request: HttpRequest, pathway_id: UUID) -> Pathway:
    try:
        return access_pathway(actor(request), pathway_id)
    except Http404:
        raise not_found() from None


def _actable(request: HttpRequest, pathway_id: UUID) -> tuple[Membership, Pathway]:
    pathway = _pathway(request, pathway_id)
    current = actor(request)
    if not can_act_on_pathway(current, pathway):
        raise forbidden()
    return current, pathway


def _reloaded(pathway: Pathway) -> Pathway:
    fresh = pathway_detail(pathway.public_id)
    if fresh is None:  # deleted meanwhile: nothing is ever deleted, but say so plainly
        raise not_found()
    return fresh


@router.post(
    "/prescriptions",
    response={201: PathwayDetailOut, 422: RefusedOut},
    summary="Transmettre une prescription de parcours de soins global (idempotent)",
    description="201 avec le parcours si la prescription est éligible ; 422 avec chaque règle "
    'non respectée (`{"code": "PSG-03", "message": "…", "field": "…"}`) et `pathway_id` '
    "sinon : la prescription est conservée au statut « refused », et un coordinateur peut "
    "accorder une dérogation. Données invalides (prestation inconnue, date future…) : 400, "
    "rien n'est enregistré. Avec un en-tête `Idempotency-Key`, une requête rejouée avec la "
    "même clé et le même corps renvoie le même parcours sans en créer un second.",
)
def prescription_create(
    request: HttpRequest,
    payload: PrescriptionIn,
    idempotency_key: HeaderEx[
        str | None,
        P(alias="Idempotency-Key", description="Clé choisie par le client (1 à 255 caractères)."),
    ] = None,
) -> Status[Any]:
    current = actor(request)
    if not can_receive_prescription(current):
        raise forbidden()
    try:
        patient = access_patient(current, payload.patient_id)
    except Http404:
        raise not_found() from None
    fields: dict[str, Any] = {
        "patient": patient,
        "prescriber": current.user if current.role == RoleCode.PRESCRIBER else None,
        "prescriber_name": payload.prescriber_name,
        "prescriber_rpps": payload.prescriber_rpps,
        "prescriber_specialty": payload.prescriber_specialty,
        "prescription_date": payload.prescription_date,
        "items": payload.items,
        "channel": Channel.API,
    }
    if idempotency_key is None:
        pathway = services.prescription_receive(by=current, **fields)
    else:
        pathway, _created = services.prescription_receive_once(
            by=current,
            idempotency_key=idempotency_key,
            fingerprint_of=payload.model_dump(),
            **fields,
        )
    pathway = _reloaded(pathway)
    if pathway.status == PathwayStatus.REFUSED:
        return Status(
            422, {"errors": pathway.prescription.failures, "pathway_id": pathway.public_id}
        )
    return Status(201, pathway)


@router.get(
    "",
    response=list[PathwayOut],
    summary="Parcours de l'organisation de l'appelant (filtres : catégorie, statut, recherche)",
    description="`bucket` : une des catégories de `/pathways/buckets` (new, to_contact, "
    "waiting_first_assessment, active, expiring, near_cap, refused) ; une valeur inconnue est "
    "ignorée. `q` : nom, matricule INS (espaces ignorés) ou commune.",
)
@paginate(PageNumberPagination)
def pathway_list(request: HttpRequest, filters: Query[PathwayFilters]) -> QuerySet[Pathway]:
    current = actor(request)
    if not can_list_pathways(current):
        raise forbidden()
    bucket = filters.bucket if filters.bucket in WORKLIST_BUCKETS else None
    return pathway_worklist_for(current, status=filters.status, q=filters.q, bucket=bucket)


@router.get(
    "/buckets",
    response=list[BucketOut],
    summary="Nombre de parcours de l'appelant par catégorie de la file de travail",
)
def pathway_buckets(request: HttpRequest, filters: Query[BucketsFilters]) -> list[dict[str, Any]]:
    current = actor(request)
    if not can_list_pathways(current):
        raise forbidden()
    counts = worklist_bucket_counts(current, q=filters.q)
    return [
        {"code": code, "label": str(label), "count": counts[code]}
        for code, label in WORKLIST_BUCKETS.items()
    ]


@router.get(
    "/prescriptions/mine",
    response=list[MyPrescriptionOut],
    summary="Mes prescriptions et leur statut (prescripteur)",
    description="Le patient n'y figure que par ses initiales et son année de naissance.",
)
@paginate(PageNumberPagination)
def prescription_list_mine(request: HttpRequest) -> QuerySet[Prescription]:
    current = actor(request)
    if not can_list_own_prescriptions(current):
        raise forbidden()
    return prescriptions_of(current.user)


@router.get(
    "/{pathway_id}",
    response=PathwayDetailOut,
    summary="Lire un parcours : statut, structure, échéance, plafond, chronologie",
)
def pathway_get(request: HttpRequest, pathway_id: UUID) -> Pathway:
    return _pathway(request, pathway_id)


@router.post(
    "/{pathway_id}/override",
    response=PathwayDetailOut,
    summary="Accorder une dérogation d'éligibilité, avec justification écrite (coordinateur)",
)
def pathway_override(request: HttpRequest, pathway_id: UUID, payload: OverrideIn) -> Pathway:
    current, pathway = _actable(request, pathway_id)
    services.eligibility_override(by=current, pathway=pathway, justification=payload.justification)
    return _reloaded(pathway)


@router.post(
    "/{pathway_id}/contacted",
    response=PathwayDetailOut,
    summary="Indiquer que le patient a été contacté (coordinateur)",
)
def pathway_contacted(request: HttpRequest, pathway_id: UUID) -> Pathway:
    current, pathway = _actable(request, pathway_id)
    services.pathway_mark_contacted(by=current, pathway=pathway)
    return _reloaded(pathway)


@router.post(
    "/{pathway_id}/close",
    response=PathwayDetailOut,
    summary="Clore un parcours : terminé, abandon, perdu de vue ou décès (coordinateur)",
)
def pathway_close(request: HttpRequest, pathway_id: UUID, payload: CloseIn) -> Pathway:
    current, pathway = _actable(request, pathway_id)
    services.pathway_close(
        by=current, pathway=pathway, outcome=payload.outcome, reason=payload.reason
    )
    return _reloaded(pathway)


def _refused(exc: ValidationError) -> Status[Any]:
    """A refused act: 422 with each failed rule, its code the rule ID (PSG-05, PSG-09…). The
    service has logged the refusal."""
    return Status(422, {"errors": error_items_from_validation(exc)})


def _act(request: HttpRequest, act_id: UUID) -> tuple[Membership, Act]:
    current = actor(request)
    try:
        return current, access_act(current, act_id)
    except Http404:
        raise not_found() from None


def _act_reloaded(act: Act) -> Act:
    fresh = act_detail(act.public_id)
    if fresh is None:
        raise not_found()
    return fresh


ACT_RESPONSES: dict[int, Any] = {200: ActOut, 422: ErrorsOut}
REFUSAL = "422 avec chaque règle non respectée, son code étant l'identifiant de la règle."


@router.post(
    "/{pathway_id}/acts",
    response={201: ActOut, 422: ErrorsOut},
    summary="Réserver un bilan ou une consultation de suivi (coordinateur)",
    description="201 avec le rendez-vous ; 422 avec chaque règle non respectée "
    '(`{"code": "PSG-09", "message": "…", "field": "amount"}`) : prestation prescrite '
    "(PSG-04), délai (PSG-06), un bilan par type (PSG-10), 6 suivis au plus (PSG-05), tarif "
    "(PSG-07/08), plafond (PSG-09), qualification du professionnel (PSG-12/13). Rien n'est "
    "enregistré en cas de refus.",
)
def act_book(request: HttpRequest, pathway_id: UUID, payload: ActIn) -> Status[Any]:
    current = actor(request)
    pathway = _pathway(request, pathway_id)
    if not can_manage_acts(current, pathway):
        raise forbidden()
    professional = User.objects.filter(public_id=payload.professional_id).first()
    if professional is None:
        log_refusal(where="act_book", actor=current, codes=["act.professional_unknown"])
        return Status(
            422,
            {
                "errors": [
                    {
                        "code": "act.professional_unknown",
                        "message": _("Professionnel introuvable."),
                        "field": "professional_id",
                    }
                ]
            },
        )
    try:
        act = services.act_book(
            by=current,
            pathway=pathway,
            kind=payload.kind,
            professional=professional,
            starts_at=payload.starts_at,
            mode=payload.mode,
            place=payload.place,
            amount=payload.amount,
        )
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _act_reloaded(act))


@router.post(
    "/acts/{act_id}/reschedule",
    response=ACT_RESPONSES,
    summary="Déplacer un rendez-vous (coordinateur)",
    description=REFUSAL,
)
def act_reschedule(request: HttpRequest, act_id: UUID, payload: RescheduleIn) -> Status[Any]:
    current, act = _act(request, act_id)
    if not can_manage_acts(current, act.pathway):
        raise forbidden()
    try:
        services.act_reschedule(by=current, act=act, starts_at=payload.starts_at)
    except ValidationError as exc:
        return _refused(exc)
    return Status(200, _act_reloaded(act))


@router.post(
    "/acts/{act_id}/cancel",
    response=ACT_RESPONSES,
    summary="Annuler un rendez-vous : le montant engagé est libéré (coordinateur)",
    description=REFUSAL,
)
def act_cancel(request: HttpRequest, act_id: UUID, payload: CancelIn) -> Status[Any]:
    current, act = _act(request, act_id)
    if not can_manage_acts(current, act.pathway):
        raise forbidden()
    try:
        services.act_cancel(by=current, act=act, reason=payload.reason)
    except ValidationError as exc:
        return _refused(exc)
    return Status(200, _act_reloaded(act))


@router.post(
    "/acts/{act_id}/complete",
    response=ACT_RESPONSES,
    summary="Déclarer une prestation réalisée (coordinateur ou professionnel du rendez-vous)",
    description="Les règles sont vérifiées à nouveau à la date de réalisation (PSG-06 : "
    "délai). Le premier bilan réalisé ouvre le parcours et fixe son échéance. " + REFUSAL,
)
def act_complete(
    request: HttpRequest, act_id: UUID, payload: CompleteIn | None = None
) -> Status[Any]:
    current, act = _act(request, act_id)
    if not can_complete_act(current, act):
        raise forbidden()
    try:
        services.act_complete(by=current, act=act, done_on=payload.done_on if payload else None)
    except ValidationError as exc:
        return _refused(exc)
    return Status(200, _act_reloaded(act))


@router.post(
    "/acts/{act_id}/no-show",
    response=ACT_RESPONSES,
    summary="Indiquer que le patient ne s'est pas présenté (coordinateur ou professionnel)",
    description=REFUSAL,
)
def act_no_show(request: HttpRequest, act_id: UUID) -> Status[Any]:
    current, act = _act(request, act_id)
    if not can_complete_act(current, act):
        raise forbidden()
    try:
        services.act_no_show(by=current, act=act)
    except ValidationError as exc:
        return _refused(exc)
    return Status(200, _act_reloaded(act))
