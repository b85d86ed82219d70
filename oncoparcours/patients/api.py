from datetime import date, datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.patients.models import Patient
from oncoparcours.patients.permissions import access_patient, can_list_patients
from oncoparcours.patients.selectors import patient_list_for

router = Router(tags=["Patients"])


class PatientOut(Schema):
    id: UUID
    birth_name: str
    first_given_name: str
    used_name: str
    birth_date: date
    sex: str
    sex_label: str
    commune_insee: str
    commune_name: str
    structure_id: UUID
    archived_at: datetime | None

    @staticmethod
    def resolve_id(obj: Patient) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_sex_label(obj: Patient) -> str:
        return str(obj.get_sex_display())

    @staticmethod
    def resolve_commune_insee(obj: Patient) -> str:
        return obj.commune.insee_code

    @staticmethod
    def resolve_commune_name(obj: Patient) -> str:
        return obj.commune.name

    @staticmethod
    def resolve_structure_id(obj: Patient) -> UUID:
        return obj.structure.public_id


def _actor(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_list_patients(current):
        raise forbidden()
    return current


@router.get(
    "",
    response=list[PatientOut],
    summary="Patients de la structure (recherche par nom, sans tenir compte des accents)",
)
@paginate(PageNumberPagination)
def patient_list(request: HttpRequest, q: str | None = None) -> QuerySet[Patient]:
    return patient_list_for(_actor(request), q=q)


@router.get("/{patient_id}", response=PatientOut, summary="Un patient de la structure")
def patient_get(request: HttpRequest, patient_id: UUID) -> Patient:
    current = _actor(request)
    try:
        return access_patient(current, patient_id)
    except Http404:
        raise not_found() from None
