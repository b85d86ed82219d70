"""The pathways router and what its endpoints share: access checks, reloads, refusals."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.core.errors import error_items_from_validation
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.permissions import (
    access_act,
    access_pathway,
    can_act_on_pathway,
)
from oncoparcours.pathways.selectors import (
    act_detail,
    pathway_detail,
)

router = Router(tags=["Parcours"])


def visible_pathway(request: HttpRequest, pathway_id: UUID) -> Pathway:
    try:
        return access_pathway(actor(request), pathway_id)
    except Http404:
        raise not_found() from None


def actable_pathway(request: HttpRequest, pathway_id: UUID) -> tuple[Membership, Pathway]:
    pathway = visible_pathway(request, pathway_id)
    current = actor(request)
    if not can_act_on_pathway(current, pathway):
        raise forbidden()
    return current, pathway


def reloaded_pathway(pathway: Pathway) -> Pathway:
    fresh = pathway_detail(pathway.public_id)
    if fresh is None:  # deleted meanwhile: nothing is ever deleted, but say so plainly
        raise not_found()
    return fresh


def refused(exc: ValidationError) -> Status[Any]:
    """A refused act: 422 with each failed rule, its code the rule ID (PSG-05, PSG-09…). The
    service has logged the refusal."""
    return Status(422, {"errors": error_items_from_validation(exc)})


def visible_act(request: HttpRequest, act_id: UUID) -> tuple[Membership, Act]:
    current = actor(request)
    try:
        return current, access_act(current, act_id)
    except Http404:
        raise not_found() from None


def reloaded_act(act: Act) -> Act:
    fresh = act_detail(act.public_id)
    if fresh is None:
        raise not_found()
    return fresh


REFUSAL = "422 avec chaque règle non respectée, son code étant l'identifiant de la règle."
