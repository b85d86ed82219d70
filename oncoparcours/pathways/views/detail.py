"""One pathway: its page, and the coordinator's decisions on it."""

from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership, User
from oncoparcours.assessments.views import pathway_section as assessment_section
from oncoparcours.directory.selectors import offer_detail
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways import services
from oncoparcours.pathways.forms import (
    ActBookForm,
    CloseForm,
    OverrideForm,
    ReassignForm,
    ReferForm,
)
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import (
    access_pathway,
    can_act_on_pathway,
    can_reassign_pathway,
    can_view_pathway,
)
from oncoparcours.pathways.rules.budget import ActStatus, euros
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.selectors import (
    act_professional_choices,
    pathway_ledger,
    reassignment_targets,
)
from oncoparcours.pathways.services.acts import OPEN_STATUSES
from oncoparcours.pathways.services.referrals import REFERRING_STATUSES
from oncoparcours.pathways.states import EVENT_LABELS, FINAL_STATUSES, EventKind, PathwayStatus
from oncoparcours.pathways.views.base import (
    actable_pathway,
    acting_member,
    add_errors,
    viewing_member,
)
from oncoparcours.payments.selectors import contracts_in_force
from oncoparcours.regulation.parameters import ParameterNotInForce
from oncoparcours.regulation.selectors import psgac_parameters_at
from oncoparcours.reports.views.reports import pathway_reports_context


def _candidates(pathway: Pathway) -> list[tuple[Organisation | None, float | None]]:
    """The structures orientation weighed, with distances, as recorded in the event."""
    events = [e for e in pathway.events.all() if e.kind == EventKind.ORIENTED]
    if not events:
        return []
    recorded = events[-1].data.get("candidates", [])
    ids = [c["structure"] for c in recorded]
    structures = {str(o.public_id): o for o in Organisation.objects.filter(public_id__in=ids)}
    return [(structures.get(c["structure"]), c["distance_km"]) for c in recorded]


def book_form_for(pathway: Pathway, data: Any = None) -> ActBookForm:
    try:
        params = psgac_parameters_at(pathway.prescription.prescription_date)
    except ParameterNotInForce:
        params = None
    professionals = act_professional_choices(pathway)
    return ActBookForm(
        data,
        items=list(pathway.prescription.items),
        professionals=professionals,
        params=params,
        contract_rates=_contract_rates(pathway, professionals),
    )


def _contract_rates(pathway: Pathway, professionals: QuerySet[User]) -> list[str]:
    """ "Tarif du contrat de …" for each professional with a contract in force today: the
    amount the booking takes when left empty (PSG-07/08)."""
    if pathway.structure_id is None:
        return []
    contracts = contracts_in_force(
        structure_id=pathway.structure_id, professionals=professionals, day=timezone.localdate()
    )
    return [
        _("Tarif du contrat de %(name)s : %(assessment)s € par bilan, %(followup)s € par suivi.")
        % {
            "name": user.get_full_name(),
            "assessment": euros(contract.assessment_rate),
            "followup": euros(contract.followup_rate),
        }
        for user, contract in contracts
    ]


def _budget(pathway: Pathway) -> dict[str, Any]:
    """The gauge: committed + spent against the cap (PSG-09), and the days left (PSG-06)."""
    ledger = pathway_ledger(pathway)
    percent = int(ledger.used * 100 / pathway.cap) if pathway.cap else 0
    days_left = (pathway.deadline - timezone.localdate()).days if pathway.deadline else None
    return {
        "ledger": ledger,
        "used": euros(ledger.used),
        "cap": euros(pathway.cap),
        "committed": euros(ledger.committed),
        "spent": euros(ledger.spent),
        "remaining": euros(ledger.remaining),
        "percent": min(max(percent, 0), 100),
        "days_left": days_left,
    }


def render_detail(
    request: HttpRequest, actor: Membership, pathway: Pathway, **forms_: forms.Form
) -> HttpResponse:
    can_act = can_act_on_pathway(actor, pathway)
    can_reassign = (
        can_reassign_pathway(actor, pathway) and PathwayStatus(pathway.status) not in FINAL_STATUSES
    )
    acts_open = can_act and pathway.status in OPEN_STATUSES
    ctx: dict[str, Any] = {
        "pathway": pathway,
        "prescription": pathway.prescription,
        "patient": pathway.patient,
        "items": [PRESTATIONS[code].label for code in pathway.prescription.items],
        "candidates": _candidates(pathway),
        "events": [(e, EVENT_LABELS.get(EventKind(e.kind), e.kind)) for e in pathway.events.all()],
        "can_act": can_act,
        "can_override": can_act and pathway.status == PathwayStatus.REFUSED,
        "can_contact": can_act and pathway.status == PathwayStatus.ELIGIBLE,
        "can_close": can_act
        and pathway.status
        in (PathwayStatus.ELIGIBLE, PathwayStatus.CONTACTED, PathwayStatus.ACTIVE),
        "override_form": forms_.get("override_form") or OverrideForm(),
        "can_reassign": can_reassign,
        "referrals": list(pathway.referrals.all()),
        "can_refer": can_act and PathwayStatus(pathway.status) in REFERRING_STATUSES,
        "refer_form": forms_.get("refer_form") or ReferForm(),
        "reassign_form": (forms_.get("reassign_form") or reassign_form_for(pathway))
        if can_reassign
        else None,
        "close_form": forms_.get("close_form") or CloseForm(),
        "acts": [
            (act, PRESTATIONS[act.kind].label, acts_open and act.status == ActStatus.BOOKED)
            for act in pathway.acts.all()
        ],
        "budget": _budget(pathway),
        # A done act declared by mistake may be voided by the coordinator (payments corrected).
        "can_void_acts": can_act,
        "can_book": acts_open,
        "book_form": (forms_.get("book_form") or book_form_for(pathway)) if acts_open else None,
        # Each act's entry and the outcomes (assessments app).
        "assessment_section": assessment_section(actor, pathway),
        # The reports, their deliveries and the APA project (reports app).
        **pathway_reports_context(actor, pathway),
    }
    return render(request, "pathways/detail.html", ctx)


@login_required
def pathway_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    # The professionals assigned to the pathway read it too (no coordinator action shown).
    actor = viewing_member(request)
    return render_detail(request, actor, access_pathway(actor, public_id))


@login_required
@require_POST
def pathway_override(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = actable_pathway(request, public_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.eligibility_override(
                by=actor, pathway=pathway, justification=form.cleaned_data["justification"]
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Dérogation enregistrée : le parcours est éligible."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render_detail(request, actor, access_pathway(actor, public_id), override_form=form)


@login_required
@require_POST
def pathway_contacted(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = actable_pathway(request, public_id)
    try:
        services.pathway_mark_contacted(by=actor, pathway=pathway)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Patient indiqué comme contacté."))
    return redirect("pathways:detail", public_id=pathway.public_id)


@login_required
@require_POST
def pathway_close(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = actable_pathway(request, public_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.pathway_close(
                by=actor,
                pathway=pathway,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Parcours clos."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render_detail(request, actor, access_pathway(actor, public_id), close_form=form)


def reassign_form_for(pathway: Pathway, data: Any = None) -> ReassignForm:
    return ReassignForm(data, structures=reassignment_targets(pathway))


@login_required
@require_POST
def pathway_reassign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Hand the pathway to another structure porteuse (or give an uncovered one a structure)."""
    actor = acting_member(request)
    pathway = access_pathway(actor, public_id)
    if not can_reassign_pathway(actor, pathway):
        raise PermissionDenied
    form = reassign_form_for(pathway, request.POST)
    if form.is_valid():
        try:
            services.pathway_reassign(
                by=actor,
                pathway=pathway,
                structure=form.cleaned_data["structure"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("Parcours confié à %(structure)s.")
                % {"structure": form.cleaned_data["structure"].name},
            )
            if can_view_pathway(actor, pathway):
                return redirect("pathways:detail", public_id=pathway.public_id)
            # Handed over: the pathway is no longer the actor's to see.
            return redirect("pathways:list")
    return render_detail(request, actor, access_pathway(actor, public_id), reassign_form=form)


@login_required
@require_POST
def pathway_refer(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Orient the patient towards supportive care: a directory offer or a named provider."""
    actor, pathway = actable_pathway(request, public_id)
    form = ReferForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        offer = offer_detail(data["offer"]) if data["offer"] else None
        try:
            if data["offer"] and offer is None:
                raise ValidationError(
                    {"offer": _("Cette offre n'est plus au répertoire.")},
                    code="referral.offer_archived",
                )
            services.pathway_refer(
                by=actor,
                pathway=pathway,
                care_type=data["care_type"],
                offer=offer,
                provider_name=data["provider_name"],
                note=data["note"],
            )
        except ValidationError as exc:
            # The offer is a hidden field: its errors are shown above the form.
            add_errors(form, exc, {"offer": NON_FIELD_ERRORS})
        else:
            messages.success(request, _("Orientation enregistrée dans le parcours."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render_detail(request, actor, access_pathway(actor, public_id), refer_form=form)
