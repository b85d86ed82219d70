from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways import services
from oncoparcours.pathways.forms import CloseForm, OverrideForm, PaperPrescriptionForm
from oncoparcours.pathways.models import Channel, Pathway
from oncoparcours.pathways.permissions import access_pathway, can_act_on_pathway, can_list_pathways
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.selectors import pathway_worklist_for
from oncoparcours.pathways.states import EVENT_LABELS, STATUS_CHOICES, EventKind, PathwayStatus
from oncoparcours.patients.selectors import patient_list_for

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not can_list_pathways(membership):
        raise PermissionDenied
    return membership


@login_required
def pathway_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "")
    if status not in {s.value for s in PathwayStatus}:
        status = ""
    q = request.GET.get("q", "").strip()
    pathways = pathway_worklist_for(actor, status=status or None, q=q)
    page = Paginator(pathways, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "q": q,
        "status": status,
        "status_choices": STATUS_CHOICES,
        "can_receive": has_role(actor, RoleCode.COORDINATOR),
    }
    return render(request, "pathways/list.html", ctx)


def _candidates(pathway: Pathway) -> list[tuple[Organisation | None, float | None]]:
    """The structures orientation weighed, with distances, as recorded in the event."""
    events = [e for e in pathway.events.all() if e.kind == EventKind.ORIENTED]
    if not events:
        return []
    recorded = events[-1].data.get("candidates", [])
    ids = [c["structure"] for c in recorded]
    structures = {str(o.public_id): o for o in Organisation.objects.filter(public_id__in=ids)}
    return [(structures.get(c["structure"]), c["distance_km"]) for c in recorded]


def _detail(
    request: HttpRequest, actor: Membership, pathway: Pathway, **forms_: forms.Form
) -> HttpResponse:
    can_act = can_act_on_pathway(actor, pathway)
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
        "close_form": forms_.get("close_form") or CloseForm(),
    }
    return render(request, "pathways/detail.html", ctx)


@login_required
def pathway_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    return _detail(request, actor, access_pathway(actor, public_id))


def _actable(request: HttpRequest, public_id: UUID) -> tuple[Membership, Pathway]:
    actor = _actor(request)
    pathway = access_pathway(actor, public_id)
    if not can_act_on_pathway(actor, pathway):
        raise PermissionDenied
    return actor, pathway


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def pathway_override(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = _actable(request, public_id)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.eligibility_override(
                by=actor, pathway=pathway, justification=form.cleaned_data["justification"]
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Dérogation enregistrée : le parcours est éligible."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return _detail(request, actor, access_pathway(actor, public_id), override_form=form)


@login_required
@require_POST
def pathway_contacted(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = _actable(request, public_id)
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
    actor, pathway = _actable(request, public_id)
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
            _add_errors(form, exc)
        else:
            messages.success(request, _("Parcours clos."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return _detail(request, actor, access_pathway(actor, public_id), close_form=form)


@login_required
def prescription_create(request: HttpRequest) -> HttpResponse:
    """A coordinator keys in a paper prescription for one of the structure's patients."""
    actor = _actor(request)
    if not has_role(actor, RoleCode.COORDINATOR):
        raise PermissionDenied
    form = PaperPrescriptionForm(
        request.POST or None,
        request.FILES or None,
        patients=patient_list_for(actor).filter(archived_at__isnull=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pathway = services.prescription_receive(
                by=actor,
                patient=data["patient"],
                prescriber=None,
                prescriber_name=data["prescriber_name"],
                prescriber_rpps=data["prescriber_rpps"],
                prescriber_specialty=data["prescriber_specialty"],
                prescription_date=data["prescription_date"],
                items=list(data["items"]),
                channel=Channel.PAPER,
                document=data["document"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if pathway.status == PathwayStatus.REFUSED:
                messages.warning(
                    request,
                    _("Prescription enregistrée mais non éligible : voir les motifs ci-dessous."),
                )
            else:
                messages.success(request, _("Prescription enregistrée : le parcours est ouvert."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return render(request, "pathways/prescription_form.html", {"form": form})
