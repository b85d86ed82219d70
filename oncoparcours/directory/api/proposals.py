"""Change proposals: a provider proposes a change to its own offer, an editor accepts or
refuses it."""

from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.directory import services
from oncoparcours.directory.api.base import editor, offer_for, reloaded, router
from oncoparcours.directory.api.schemas import DecisionIn, OfferOut, ProposalIn, ProposalOut
from oncoparcours.directory.models import OfferChangeProposal
from oncoparcours.directory.permissions import access_proposal, can_propose_offer_change
from oncoparcours.directory.selectors import proposal_list_pending


@router.post(
    "/offers/{offer_id}/proposals",
    response={201: ProposalOut},
    summary="Proposer une modification de son offre (fournisseur)",
)
def offer_change_propose(
    request: HttpRequest, offer_id: UUID, payload: ProposalIn
) -> Status[OfferChangeProposal]:
    current = actor(request)
    offer = offer_for(request, offer_id)
    if not can_propose_offer_change(current, offer):
        raise forbidden()
    proposal = services.offer_change_propose(
        by=current, offer=offer, changes=payload.changes, note=payload.note
    )
    return Status(201, proposal)


@router.get(
    "/proposals",
    response=list[ProposalOut],
    summary="Propositions en attente (éditeurs)",
)
@paginate(PageNumberPagination)
def offer_change_list(request: HttpRequest) -> QuerySet[OfferChangeProposal]:
    editor(request)
    return proposal_list_pending()


def _proposal_for(request: HttpRequest, proposal_id: UUID) -> OfferChangeProposal:
    try:
        return access_proposal(actor(request), proposal_id)
    except Http404:
        raise not_found() from None


@router.post(
    "/proposals/{proposal_id}/approve",
    response=OfferOut,
    summary="Accepter une proposition",
)
def offer_change_approve(
    request: HttpRequest, proposal_id: UUID, payload: DecisionIn | None = None
) -> dict[str, Any]:
    current = editor(request)
    proposal = _proposal_for(request, proposal_id)
    offer = services.offer_change_approve(
        by=current, proposal=proposal, note=payload.note if payload else ""
    )
    return reloaded(offer)


@router.post(
    "/proposals/{proposal_id}/reject",
    response=ProposalOut,
    summary="Refuser une proposition",
)
def offer_change_reject(
    request: HttpRequest, proposal_id: UUID, payload: DecisionIn
) -> OfferChangeProposal:
    current = editor(request)
    proposal = _proposal_for(request, proposal_id)
    return services.offer_change_reject(by=current, proposal=proposal, note=payload.note)
