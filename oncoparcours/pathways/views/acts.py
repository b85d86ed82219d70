"""Assessments and consultations: book, reschedule, cancel, complete, no-show."""

from collections.abc import Callable
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.pathways import services
from oncoparcours.pathways.forms import (
    ActCancelForm,
    ActRescheduleForm,
)
from oncoparcours.pathways.models import Act
from oncoparcours.pathways.permissions import (
    access_act,
    access_pathway,
    can_act_on_pathway,
    can_complete_act,
    can_manage_acts,
)
from oncoparcours.pathways.views.base import (
    actable_pathway,
    add_errors,
)
from oncoparcours.pathways.views.detail import book_form_for, render_detail

# The rules name the act's day "date"; the form asks for a date and time.
ACT_FIELD_ALIASES = {"date": "starts_at"}


@login_required
@require_POST
def act_book(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = actable_pathway(request, public_id)
    form = book_form_for(pathway, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.act_book(
                by=actor,
                pathway=pathway,
                kind=data["kind"],
                professional=data["professional"],
                starts_at=data["starts_at"],
                mode=data["mode"],
                place=data["place"],
                amount=data["amount"],
            )
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                # Not about the form (e.g. the pathway is closed): the page may not show it.
                messages.error(request, " ".join(exc.messages))
                return redirect("pathways:detail", public_id=pathway.public_id)
            add_errors(form, exc, ACT_FIELD_ALIASES)
        else:
            messages.success(request, _("Rendez-vous réservé ; le patient en est informé."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render_detail(request, actor, access_pathway(actor, public_id), book_form=form)


def _act_for(request: HttpRequest, act_id: UUID, *, manage: bool) -> tuple[Membership, Act]:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    act = access_act(membership, act_id)
    allowed = (
        can_manage_acts(membership, act.pathway) if manage else can_complete_act(membership, act)
    )
    if not allowed:
        raise PermissionDenied
    return membership, act


def _after_act(actor: Membership, act: Act) -> HttpResponse:
    if can_act_on_pathway(actor, act.pathway):
        return redirect("pathways:detail", public_id=act.pathway.public_id)
    return redirect("pathways:agenda")


@login_required
@require_POST
def act_complete(request: HttpRequest, act_id: UUID) -> HttpResponse:
    actor, act = _act_for(request, act_id, manage=False)
    try:
        services.act_complete(by=actor, act=act)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Prestation indiquée comme réalisée."))
    return _after_act(actor, act)


@login_required
@require_POST
def act_no_show(request: HttpRequest, act_id: UUID) -> HttpResponse:
    actor, act = _act_for(request, act_id, manage=False)
    try:
        services.act_no_show(by=actor, act=act)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Absence du patient enregistrée ; le montant est libéré."))
    return _after_act(actor, act)


def _cancel_with_reason(
    request: HttpRequest,
    act_id: UUID,
    cancel: Callable[..., object],
    success: str,
) -> HttpResponse:
    """Cancelling a booked act or voiding a done one: the coordinator gives a reason."""
    actor, act = _act_for(request, act_id, manage=True)
    form = ActCancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                _("Indiquez le motif de l'annulation."), code="act.reason_required"
            )
        cancel(by=actor, act=act, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return _after_act(actor, act)


@login_required
@require_POST
def act_cancel(request: HttpRequest, act_id: UUID) -> HttpResponse:
    return _cancel_with_reason(
        request, act_id, services.act_cancel, _("Rendez-vous annulé ; le montant est libéré.")
    )


@login_required
@require_POST
def act_reschedule(request: HttpRequest, act_id: UUID) -> HttpResponse:
    """Move a booked act: the rules are checked again at the new date (PSG-06)."""
    actor, act = _act_for(request, act_id, manage=True)
    form = ActRescheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                _("Indiquez la nouvelle date et l'heure du rendez-vous."),
                code="act.starts_at_required",
            )
        services.act_reschedule(by=actor, act=act, starts_at=form.cleaned_data["starts_at"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rendez-vous déplacé ; le patient en est informé."))
    return _after_act(actor, act)


@login_required
@require_POST
def act_void(request: HttpRequest, act_id: UUID) -> HttpResponse:
    """A done act declared by mistake: cancelled, its amount released, its payment reversed."""
    return _cancel_with_reason(
        request,
        act_id,
        services.act_void,
        _("Prestation annulée ; le montant est libéré et son paiement sera corrigé."),
    )
