"""Who may read and change the directory.

Reading active offers is public (no login): the directory exists to make the offer visible to
patients and professionals alike. Changing it is the regional editors' job (ONCO AURA); a
provider may only propose a change to its own offers.
"""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.directory.models import Offer, OfferChangeProposal

EDITOR_ROLES = (RoleCode.DIRECTORY_EDITOR, RoleCode.ADMIN)


def can_edit_directory(actor: Membership | None) -> bool:
    return has_role(actor, *EDITOR_ROLES)


def can_view_coverage(actor: Membership | None) -> bool:
    return has_role(actor, *EDITOR_ROLES, RoleCode.ARS_ANALYST)


def is_offer_provider(actor: Membership | None, offer: Offer) -> bool:
    """Any member of the provider organisation (whatever the role), or the provider professional."""
    if actor is None:
        return False
    if offer.provider_organisation_id is not None and acts_for(
        actor, offer.provider_organisation_id
    ):
        return True
    return offer.provider_professional_id is not None and (
        actor.user_id == offer.provider_professional_id
    )


def can_propose_offer_change(actor: Membership | None, offer: Offer) -> bool:
    return offer.archived_at is None and is_offer_provider(actor, offer)


def can_view_offer(actor: Membership | None, offer: Offer) -> bool:
    return offer.archived_at is None or can_edit_directory(actor)


def access_offer(actor: Membership | None, public_id: UUID | str) -> Offer:
    """The offer, or 404 when it does not exist or is archived and the actor is no editor."""
    from oncoparcours.directory.selectors import offer_detail

    offer = offer_detail(public_id, include_archived=True)
    if offer is None or not can_view_offer(actor, offer):
        raise Http404
    return offer


def access_proposal(actor: Membership | None, public_id: UUID | str) -> OfferChangeProposal:
    if not can_edit_directory(actor):
        raise Http404
    try:
        return OfferChangeProposal.objects.select_related(
            "offer__commune", "proposed_by__user", "proposed_by__organisation"
        ).get(public_id=public_id)
    except (OfferChangeProposal.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
