"""Patients for hospital systems and partners: create (idempotent), read, search, change, and
record or withdraw consents. Every rule is the services'; this module maps JSON to them."""

from datetime import date, datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.params import HeaderEx, P
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.patients import services
from oncoparcours.patients.models import Consent, Patient
from oncoparcours.patients.permissions import (
    access_patient,
    can_create_patient,
    can_edit_patient,
    can_list_patients,
    can_manage_consents,
    can_view_patient,
)
from oncoparcours.patients.selectors import consent_list, patient_list_for

router = Router(tags=["Patients"])


class PatientOut(Schema):
    id: UUID
    birth_name: str
    first_given_name: str
    birth_given_names: str
    used_name: str
    birth_date: date
    sex: str
    sex_label: str
    birth_place_insee_code: str
    ins_matricule: str
    ins_kind: str
    ins_oid: str
    identity_status: str
    identity_status_label: str
    ins_qualified: bool
    phone: str
    email: str
    address: str
    commune_insee: str
    commune_name: str
    gp_name: str
    gp_rpps: str
    ald_cancer: bool
    ald_start_date: date | None
    cancer_site: str
    diagnosis_date: date | None
    active_treatment_end_date: date | None
    treatment_types: list[str]
    structure_id: UUID | None
    archived_at: datetime | None

    @staticmethod
    def resolve_id(obj: Patient) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_sex_label(obj: Patient) -> str:
        return str(obj.get_sex_display())

    @staticmethod
    def resolve_identity_status_label(obj: Patient) -> str:
        return str(obj.get_identity_status_display())

    @staticmethod
    def resolve_ins_qualified(obj: Patient) -> bool:
        return obj.ins_is_qualified

    @staticmethod
    def resolve_commune_insee(obj: Patient) -> str:
        return obj.commune.insee_code

    @staticmethod
    def resolve_commune_name(obj: Patient) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_structure_id(obj: Patient) -> UUID | None:
        return obj.structure.public_id if obj.structure else None


class ConsentOut(Schema):
    id: UUID
    scope: str
    scope_label: str
    given_at: date
    given_by: str
    representative_name: str
    note: str
    withdrawn_at: date | None
    withdrawal_note: str
    recorded_at: datetime

    @staticmethod
    def resolve_id(obj: Consent) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_scope_label(obj: Consent) -> str:
        return str(obj.get_scope_display())


class PatientDetailOut(PatientOut):
    consents: list[ConsentOut]

    @staticmethod
    def resolve_consents(obj: Patient) -> list[Consent]:
        return list(consent_list(obj))


class PatientIn(Schema):
    birth_name: str
    first_given_name: str
    birth_date: date
    sex: str
    commune_insee: str
    birth_given_names: str = ""
    used_name: str = ""
    birth_place_insee_code: str = ""
    ins_matricule: str = ""
    ins_kind: str = ""
    identity_status: str = "provisional"
    phone: str = ""
    email: str = ""
    address: str = ""
    gp_name: str = ""
    gp_rpps: str = ""
    ald_cancer: bool = False
    ald_start_date: date | None = None
    cancer_site: str = ""
    diagnosis_date: date | None = None
    active_treatment_end_date: date | None = None
    treatment_types: list[str] = []
    confirm_not_duplicate: bool = False


class PatientPatch(Schema):
    """Only the fields sent are changed: send "" to clear a text, null to clear a date."""

    birth_name: str | None = None
    first_given_name: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    commune_insee: str | None = None
    birth_given_names: str | None = None
    used_name: str | None = None
    birth_place_insee_code: str | None = None
    ins_matricule: str | None = None
    ins_kind: str | None = None
    identity_status: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    gp_name: str | None = None
    gp_rpps: str | None = None
    ald_cancer: bool | None = None
    ald_start_date: date | None = None
    cancer_site: str | None = None
    diagnosis_date: date | None = None
    active_treatment_end_date: date | None = None
    treatment_types: list[str] | None = None
    confirm_not_duplicate: bool = False


# Fields a PATCH may set to null (clearing them); for the others null means "unchanged".
_NULLABLE = frozenset({"ald_start_date", "diagnosis_date", "active_treatment_end_date"})


class PatientFilters(Schema):
    q: str | None = None
    family_name: str | None = None
    ins: str | None = None
    birth_date: date | None = None


class ConsentIn(Schema):
    scope: str
    given_at: date
    given_by: str = "patient"
    representative_name: str = ""
    note: str = ""


class WithdrawalIn(Schema):
    withdrawn_at: date | None = None
    note: str = ""


def _actor(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_list_patients(current):
        raise forbidden()
    return current


def _patient(request: HttpRequest, patient_id: UUID) -> Patient:
    current = _actor(request)
    try:
        return access_patient(current, patient_id)
    except Http404:
        raise not_found() from None


@router.get(
    "",
    response=list[PatientOut],
    summary="Patients de la structure : recherche par nom de famille, INS, date de naissance",
    description="`family_name` : début du nom de naissance ou d'usage, sans tenir compte des "
    "accents ; `ins` : matricule exact (espaces ignorés) ; `birth_date` : AAAA-MM-JJ ; "
    "`q` : recherche libre comme dans l'écran (nom, INS, jj/mm/aaaa, commune).",
)
@paginate(PageNumberPagination)
def patient_list(request: HttpRequest, filters: Query[PatientFilters]) -> QuerySet[Patient]:
    return patient_list_for(
        _actor(request),
        q=filters.q,
        family_name=filters.family_name,
        ins=filters.ins,
        birth_date=filters.birth_date,
    )


@router.post(
    "",
    response={201: PatientDetailOut},
    summary="Créer un patient (idempotent avec l'en-tête Idempotency-Key)",
    description="Refusé (400) si un patient porte déjà ce matricule INS "
    "(`patient.duplicate_ins`), ou a les mêmes traits stricts (`patient.possible_duplicate`) "
    "sauf `confirm_not_duplicate: true`. Avec un en-tête `Idempotency-Key`, une requête "
    "rejouée avec la même clé et le même corps renvoie le patient déjà créé (201) sans en "
    "créer un second ; la même clé avec un autre corps est refusée (`idempotency.key_reused`).",
)
def patient_create(
    request: HttpRequest,
    payload: PatientIn,
    idempotency_key: HeaderEx[
        str | None,
        P(alias="Idempotency-Key", description="Clé choisie par le client (1 à 255 caractères)."),
    ] = None,
) -> Status[Patient]:
    current = _actor(request)
    if not can_create_patient(current):
        raise forbidden()
    fields = payload.model_dump()
    if idempotency_key is None:
        patient = services.patient_create(by=current, structure=current.organisation, **fields)
    else:
        patient, created = services.patient_create_once(
            by=current,
            structure=current.organisation,
            idempotency_key=idempotency_key,
            **fields,
        )
        if not created and not can_view_patient(current, patient):
            raise not_found()  # followed by another structure since the first request
    return Status(201, patient)


@router.get("/{patient_id}", response=PatientDetailOut, summary="Un patient de la structure")
def patient_get(request: HttpRequest, patient_id: UUID) -> Patient:
    return _patient(request, patient_id)


@router.patch("/{patient_id}", response=PatientDetailOut, summary="Modifier un patient")
def patient_update(request: HttpRequest, patient_id: UUID, payload: PatientPatch) -> Patient:
    patient = _patient(request, patient_id)
    current = actor(request)
    if not can_edit_patient(current, patient):
        raise forbidden()
    sent = payload.model_dump(exclude_unset=True)
    confirm = bool(sent.pop("confirm_not_duplicate", False))
    changes = {k: v for k, v in sent.items() if v is not None or k in _NULLABLE}
    return services.patient_update(
        by=current, patient=patient, confirm_not_duplicate=confirm, **changes
    )


@router.post(
    "/{patient_id}/consents",
    response={201: ConsentOut},
    summary="Enregistrer un consentement (représentant légal obligatoire pour un mineur)",
)
def consent_create(request: HttpRequest, patient_id: UUID, payload: ConsentIn) -> Status[Consent]:
    patient = _patient(request, patient_id)
    current = actor(request)
    if not can_manage_consents(current, patient):
        raise forbidden()
    consent = services.consent_record(by=current, patient=patient, **payload.model_dump())
    return Status(201, consent)


@router.post(
    "/{patient_id}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Retirer un consentement (il reste dans l'historique)",
)
def consent_withdraw(
    request: HttpRequest, patient_id: UUID, consent_id: UUID, payload: WithdrawalIn
) -> Consent:
    patient = _patient(request, patient_id)
    current = actor(request)
    if not can_manage_consents(current, patient):
        raise forbidden()
    consent = consent_list(patient).filter(public_id=consent_id).first()
    if consent is None:
        raise not_found()
    return services.consent_withdraw(
        by=current, consent=consent, withdrawn_at=payload.withdrawn_at, note=payload.note
    )
