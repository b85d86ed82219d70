"""Assessments and consultations of a pathway: book, reschedule, cancel, complete."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.responses import Status

from oncoparcours.accounts.models import User
from oncoparcours.core.api import actor, forbidden
from oncoparcours.core.errors import log_refusal
from oncoparcours.pathways import services
from oncoparcours.pathways.api.base import (
    REFUSAL,
    refused,
    reloaded_act,
    router,
    visible_act,
    visible_pathway,
)
from oncoparcours.pathways.api.schemas import (
    ActIn,
    ActOut,
    CancelIn,
    CompleteIn,
    ErrorsOut,
    RescheduleIn,
)
from oncoparcours.pathways.permissions import (
    can_complete_act,
    can_manage_acts,
)

ACT_RESPONSES: dict[int, Any] = {200: ActOut, 422: ErrorsOut}


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
    pathway = visible_pathway(request, pathway_id)
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
        return refused(exc)
    return Status(201, reloaded_act(act))


@router.post(
    "/acts/{act_id}/reschedule",
    response=ACT_RESPONSES,
    summary="Déplacer un rendez-vous (coordinateur)",
    description=REFUSAL,
)
def act_reschedule(request: HttpRequest, act_id: UUID, payload: RescheduleIn) -> Status[Any]:
    current, act = visible_act(request, act_id)
    if not can_manage_acts(current, act.pathway):
        raise forbidden()
    try:
        services.act_reschedule(by=current, act=act, starts_at=payload.starts_at)
    except ValidationError as exc:
        return refused(exc)
    return Status(200, reloaded_act(act))


@router.post(
    "/acts/{act_id}/cancel",
    response=ACT_RESPONSES,
    summary="Annuler un rendez-vous : le montant engagé est libéré (coordinateur)",
    description=REFUSAL,
)
def act_cancel(request: HttpRequest, act_id: UUID, payload: CancelIn) -> Status[Any]:
    current, act = visible_act(request, act_id)
    if not can_manage_acts(current, act.pathway):
        raise forbidden()
    try:
        services.act_cancel(by=current, act=act, reason=payload.reason)
    except ValidationError as exc:
        return refused(exc)
    return Status(200, reloaded_act(act))


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
    current, act = visible_act(request, act_id)
    if not can_complete_act(current, act):
        raise forbidden()
    try:
        services.act_complete(by=current, act=act, done_on=payload.done_on if payload else None)
    except ValidationError as exc:
        return refused(exc)
    return Status(200, reloaded_act(act))


@router.post(
    "/acts/{act_id}/no-show",
    response=ACT_RESPONSES,
    summary="Indiquer que le patient ne s'est pas présenté (coordinateur ou professionnel)",
    description=REFUSAL,
)
def act_no_show(request: HttpRequest, act_id: UUID) -> Status[Any]:
    current, act = visible_act(request, act_id)
    if not can_complete_act(current, act):
        raise forbidden()
    try:
        services.act_no_show(by=current, act=act)
    except ValidationError as exc:
        return refused(exc)
    return Status(200, reloaded_act(act))


@router.post(
    "/acts/{act_id}/void",
    response=ACT_RESPONSES,
    summary="Annuler une prestation réalisée déclarée par erreur (coordinateur)",
    description="La prestation devient annulée, son montant est libéré et son paiement est "
    "corrigé par une ligne négative (jamais effacé). 422 `act.not_done` si elle n'est pas "
    "réalisée, `act.reason_required` sans motif.",
)
def act_void(request: HttpRequest, act_id: UUID, payload: CancelIn) -> Status[Any]:
    current, act = visible_act(request, act_id)
    if not can_manage_acts(current, act.pathway):
        raise forbidden()
    try:
        services.act_void(by=current, act=act, reason=payload.reason)
    except ValidationError as exc:
        return refused(exc)
    return Status(200, reloaded_act(act))
