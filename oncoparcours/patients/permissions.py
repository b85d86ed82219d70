"""Who may see and change patients: the coordinator of the structure that follows them.

The PSGAC issue opens reading to the treating professionals. Regional roles never see a
patient: the ARS works on aggregates only (domain §8.6).
"""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.patients.models import Patient


def can_list_patients(actor: Membership | None) -> bool:
    return has_role(actor, RoleCode.COORDINATOR)


def can_view_patient(actor: Membership | None, patient: Patient) -> bool:
    return (
        can_list_patients(actor)
        and patient.structure_id is not None
        and acts_for(actor, patient.structure_id)
    )


def can_create_patient(actor: Membership | None) -> bool:
    """In the actor's own structure: the service gives the patient the actor's organisation."""
    return can_list_patients(actor)


def can_edit_patient(actor: Membership | None, patient: Patient) -> bool:
    return can_view_patient(actor, patient)


def can_manage_consents(actor: Membership | None, patient: Patient) -> bool:
    return can_view_patient(actor, patient)


def access_patient(actor: Membership | None, public_id: UUID | str) -> Patient:
    """The patient, or 404 if they do not exist or are followed by another structure."""
    patient = (
        Patient.objects.select_related("commune__department", "structure")
        .filter(public_id=public_id)
        .first()
    )
    if patient is None or not can_view_patient(actor, patient):
        raise Http404
    return patient
