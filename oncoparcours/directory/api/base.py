"""The directory router and what its endpoints share: the editor check, offer access, reloads."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.directory.api.schemas import offer_out
from oncoparcours.directory.models import Offer
from oncoparcours.directory.permissions import access_offer, can_edit_directory
from oncoparcours.directory.selectors import offer_detail

router = Router(tags=["Répertoire des soins de support"])


def offer_for(request: HttpRequest, offer_id: UUID) -> Offer:
    try:
        return access_offer(actor(request), offer_id)
    except Http404:
        raise not_found() from None


def reloaded(offer: Offer) -> dict[str, Any]:
    """The offer as the public read shows it, with its joins (archived ones included)."""
    fresh = offer_detail(offer.public_id, include_archived=True)
    assert fresh is not None
    return offer_out(fresh)


def editor(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_edit_directory(current):
        raise forbidden()
    return current
