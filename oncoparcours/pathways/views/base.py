"""What every pathways page shares: the acting membership, errors onto forms."""

from uuid import UUID

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership, has_role
from oncoparcours.accounts.roles import PSGAC_PROFESSIONAL_ROLES
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import (
    access_pathway,
    can_act_on_pathway,
    can_list_pathways,
)
from oncoparcours.patients.models import Patient

PAGE_SIZE = 50


def acting_member(request: HttpRequest) -> Membership:
    return acting_membership(request, can_list_pathways)


def viewing_member(request: HttpRequest) -> Membership:
    """Who may open a pathway page: the roles with a pathway list, and the professionals
    (APA, dietitian, psychologist) for the pathways they hold an act in (``access_pathway``)."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not (
        can_list_pathways(membership) or has_role(membership, *PSGAC_PROFESSIONAL_ROLES)
    ):
        raise PermissionDenied
    return membership


def actable_pathway(request: HttpRequest, public_id: UUID) -> tuple[Membership, Pathway]:
    actor = acting_member(request)
    pathway = access_pathway(actor, public_id)
    if not can_act_on_pathway(actor, pathway):
        raise PermissionDenied
    return actor, pathway


def add_errors(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def patient_initials(patient: Patient) -> str:
    """Initials only ("M. D."): the prescriber's list may be read on a shared screen."""
    family = patient.used_name or patient.birth_name
    return f"{patient.first_given_name[:1].upper()}. {family[:1].upper()}."
