"""Providers propose changes to their own offers; directory editors approve or reject them."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoparcours.directory import services
from oncoparcours.directory.forms import DecisionForm, OfferForm, ProposalForm
from oncoparcours.directory.models import OfferChangeProposal, ProposalStatus
from oncoparcours.directory.permissions import (
    access_offer,
    access_proposal,
    can_propose_offer_change,
)
from oncoparcours.directory.selectors import proposal_list_pending
from oncoparcours.directory.views._common import actor, editor


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = actor(request)
    offer = access_offer(by, public_id)
    if not can_propose_offer_change(by, offer):
        raise PermissionDenied
    current = services.offer_form_initial(offer)
    form = ProposalForm(request.POST or None, initial=OfferForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        changes = form.changes_from(current)
        if not changes:
            form.add_error(None, _("Vous n'avez rien modifié."))
        else:
            try:
                services.offer_change_propose(
                    by=by, offer=offer, changes=changes, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(
                    request,
                    _(
                        "Votre proposition a été transmise à l'équipe du répertoire : "
                        "elle s'appliquera quand elle sera acceptée."
                    ),
                )
                return redirect("directory:offer", public_id=offer.public_id)
    return render(request, "directory/proposal_form.html", {"form": form, "offer": offer})


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    editor(request)
    return render(
        request, "directory/editor/proposals.html", {"proposals": proposal_list_pending()}
    )


def _diff(proposal: OfferChangeProposal) -> list[dict[str, Any]]:
    """Each proposed field: its label, the value now, the proposed value, as people read them."""
    form = OfferForm()
    current = services.offer_form_initial(proposal.offer)
    rows = []
    for name, proposed in proposal.changes.items():
        field = form.fields.get(name)
        rows.append(
            {
                "label": field.label if field is not None else name,
                "current": _readable(field, current.get(name)),
                "proposed": _readable(field, proposed),
            }
        )
    return rows


def _readable(field: Any, value: Any) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("Oui") if value else _("Non")
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    return str(choices.get(value, value))


@login_required
@require_GET
def proposal_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    proposal = access_proposal(by, public_id)
    ctx = {
        "proposal": proposal,
        "diff": _diff(proposal),
        "form": DecisionForm(),
        "pending": proposal.status == ProposalStatus.PENDING,
    }
    return render(request, "directory/editor/proposal_detail.html", ctx)


@login_required
@require_POST
def proposal_approve(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    proposal = access_proposal(by, public_id)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.offer_change_approve(by=by, proposal=proposal, note=note)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("directory:proposal", public_id=proposal.public_id)
    messages.success(request, _("Modification acceptée et appliquée à l'offre."))
    return redirect("directory:proposals")


@login_required
@require_POST
def proposal_reject(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    proposal = access_proposal(by, public_id)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.offer_change_reject(by=by, proposal=proposal, note=form.cleaned_data["note"])
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("note", message)
        else:
            messages.success(request, _("Modification refusée."))
            return redirect("directory:proposals")
    ctx = {"proposal": proposal, "diff": _diff(proposal), "form": form, "pending": True}
    return render(request, "directory/editor/proposal_detail.html", ctx, status=400)
