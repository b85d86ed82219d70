"""Who may see and record the ARS's conventions, envelopes, allocations and payments.

The ARS analyst of an ARS (not of the DSRC) manages those of their own ARS; a structure's
coordinator reads their own structure's signed conventions, allocations and due/paid figures;
every other role is refused (403), and another ARS's or structure's record does not exist for
the actor (404).
"""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.funding.models import (
    Convention,
    ConventionStatus,
    FundingEnvelope,
)
from oncoparcours.organisations.models import Organisation


def is_funding_manager(actor: Membership | None) -> bool:
    return (
        has_role(actor, RoleCode.ARS_ANALYST)
        and actor is not None
        and actor.organisation.kind == OrgKind.ARS
    )


def is_structure_coordinator(actor: Membership | None) -> bool:
    return (
        has_role(actor, RoleCode.COORDINATOR)
        and actor is not None
        and actor.organisation.kind == OrgKind.STRUCTURE_PORTEUSE
    )


def can_use_funding(actor: Membership | None) -> bool:
    """The pages and endpoints of the app at all (403 otherwise)."""
    return is_funding_manager(actor) or is_structure_coordinator(actor)


def can_manage_funding(actor: Membership | None) -> bool:
    return is_funding_manager(actor)


def can_view_structure_funding(actor: Membership | None, structure: Organisation) -> bool:
    if structure.kind != OrgKind.STRUCTURE_PORTEUSE:
        return False
    return is_funding_manager(actor) or (
        is_structure_coordinator(actor) and acts_for(actor, structure.pk)
    )


def can_view_convention(actor: Membership | None, convention: Convention) -> bool:
    if is_funding_manager(actor):
        return acts_for(actor, convention.ars_id)
    # A draft is the ARS's working document until it is signed.
    return (
        is_structure_coordinator(actor)
        and acts_for(actor, convention.structure_id)
        and convention.status != ConventionStatus.DRAFT
    )


def can_sign_convention(actor: Membership | None, convention: Convention) -> bool:
    return is_funding_manager(actor) and acts_for(actor, convention.ars_id)


def can_end_convention(actor: Membership | None, convention: Convention) -> bool:
    return can_sign_convention(actor, convention)


def access_convention(actor: Membership | None, public_id: UUID | str) -> Convention:
    convention = (
        Convention.objects.select_related("ars", "structure", "amends")
        .filter(public_id=public_id)
        .first()
    )
    if convention is None or not can_view_convention(actor, convention):
        raise Http404
    return convention


def access_envelope(actor: Membership | None, public_id: UUID | str) -> FundingEnvelope:
    """Envelopes are the ARS's: a coordinator sees their allocations on the structure page."""
    envelope = FundingEnvelope.objects.filter(public_id=public_id).first()
    if envelope is None or not (is_funding_manager(actor) and acts_for(actor, envelope.ars_id)):
        raise Http404
    return envelope


def access_structure(actor: Membership | None, public_id: UUID | str) -> Organisation:
    structure = Organisation.objects.filter(
        public_id=public_id, kind=OrgKind.STRUCTURE_PORTEUSE
    ).first()
    if structure is None or not can_view_structure_funding(actor, structure):
        raise Http404
    return structure
