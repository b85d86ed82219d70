from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways import services
from oncoparcours.pathways.forms import (
    ActBookForm,
    ActCancelForm,
    CloseForm,
    OverrideForm,
    PaperPrescriptionForm,
    WorklistFilterForm,
)
from oncoparcours.pathways.models import Act, Channel, Pathway
from oncoparcours.pathways.permissions import (
    access_act,
    access_pathway,
    can_act_on_pathway,
    can_complete_act,
    can_list_own_prescriptions,
    can_list_pathways,
    can_manage_acts,
    can_view_agenda,
)
from oncoparcours.pathways.rules.budget import ActStatus, euros
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.selectors import (
    WORKLIST_BUCKETS,
    act_professional_choices,
    agenda_for,
    pathway_ledger,
    pathway_worklist_for,
    prescriptions_of,
    worklist_bucket_counts,
)
from oncoparcours.pathways.services.acts import OPEN_STATUSES
from oncoparcours.pathways.states import EVENT_LABELS, STATUS_CHOICES, EventKind, PathwayStatus
from oncoparcours.patients.models import Patient
from oncoparcours.patients.selectors import patient_list_for
from oncoparcours.regulation.parameters import ParameterNotInForce
from oncoparcours.regulation.selectors import psgac_parameters_at

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not can_list_pathways(membership):
        raise PermissionDenied
    return membership


@login_required
def pathway_list(request: HttpRequest) -> HttpResponse:
    """The coordinator's worklist: bucket tabs with their counts, filters, search, 50 a page."""
    actor = _actor(request)
    form = WorklistFilterForm(request.GET)
    filters = form.filters()
    today = timezone.localdate()
    params = psgac_parameters_at(today)
    counts = worklist_bucket_counts(actor, q=filters["q"], params=params, today=today)
    pathways = pathway_worklist_for(
        actor,
        status=filters["status"] or None,
        q=filters["q"],
        bucket=filters["bucket"] or None,
        params=params,
        today=today,
    )
    page = Paginator(pathways, PAGE_SIZE).get_page(request.GET.get("page"))
    buckets = [(code, label, counts[code]) for code, label in WORKLIST_BUCKETS.items()]
    ctx = {
        "page": page,
        "form": form,
        "q": filters["q"],
        "status": filters["status"],
        "bucket": filters["bucket"],
        "buckets": buckets,
        "status_choices": STATUS_CHOICES,
        "can_receive": has_role(actor, RoleCode.COORDINATOR),
    }
    return render(request, "pathways/list.html", ctx)


def patient_initials(patient: Patient) -> str:
    """Initials only ("M. D."): the prescriber's list may be read on a shared screen."""
    family = patient.used_name or patient.birth_name
    return f"{patient.first_given_name[:1].upper()}. {family[:1].upper()}."


@login_required
def prescriptions_mine(request: HttpRequest) -> HttpResponse:
    """The logged-in prescriber's own prescriptions and where each stands."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not can_list_own_prescriptions(membership):
        raise PermissionDenied
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(prescriptions_of(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "prescription": prescription,
            "pathway": prescription.pathway,
            "patient": patient_initials(prescription.patient),
            "birth_year": prescription.patient.birth_date.year,
            "items": [
                PRESTATIONS[code].label for code in prescription.items if code in PRESTATIONS
            ],
        }
        for prescription in page
    ]
    # The pathway page is open to the prescriber role (permissions.can_view_pathway).
    ctx = {"page": page, "rows": rows, "can_open": has_role(membership, RoleCode.PRESCRIBER)}
    return render(request, "pathways/prescriptions.html", ctx)


def _candidates(pathway: Pathway) -> list[tuple[Organisation | None, float | None]]:
    """The structures orientation weighed, with distances, as recorded in the event."""
    events = [e for e in pathway.events.all() if e.kind == EventKind.ORIENTED]
    if not events:
        return []
    recorded = events[-1].data.get("candidates", [])
    ids = [c["structure"] for c in recorded]
    structures = {str(o.public_id): o for o in Organisation.objects.filter(public_id__in=ids)}
    return [(structures.get(c["structure"]), c["distance_km"]) for c in recorded]


def _book_form(pathway: Pathway, data: Any = None) -> ActBookForm:
    try:
        params = psgac_parameters_at(pathway.prescription.prescription_date)
    except ParameterNotInForce:
        params = None
    return ActBookForm(
        data,
        items=list(pathway.prescription.items),
        professionals=act_professional_choices(pathway),
        params=params,
    )


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


def _detail(
    request: HttpRequest, actor: Membership, pathway: Pathway, **forms_: forms.Form
) -> HttpResponse:
    can_act = can_act_on_pathway(actor, pathway)
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
        "close_form": forms_.get("close_form") or CloseForm(),
        "acts": [
            (act, PRESTATIONS[act.kind].label, acts_open and act.status == ActStatus.BOOKED)
            for act in pathway.acts.all()
        ],
        "budget": _budget(pathway),
        "can_book": acts_open,
        "book_form": (forms_.get("book_form") or _book_form(pathway)) if acts_open else None,
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


def _add_errors(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            field = (aliases or {}).get(field, field)
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


# The rules name the act's day "date"; the form asks for a date and time.
ACT_FIELD_ALIASES = {"date": "starts_at"}


@login_required
@require_POST
def act_book(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, pathway = _actable(request, public_id)
    form = _book_form(pathway, request.POST)
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
            _add_errors(form, exc, ACT_FIELD_ALIASES)
        else:
            messages.success(request, _("Rendez-vous réservé ; le patient en est informé."))
            return redirect("pathways:detail", public_id=pathway.public_id)
    return _detail(request, actor, access_pathway(actor, public_id), book_form=form)


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


@login_required
@require_POST
def act_cancel(request: HttpRequest, act_id: UUID) -> HttpResponse:
    actor, act = _act_for(request, act_id, manage=True)
    form = ActCancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                _("Indiquez le motif de l'annulation."), code="act.reason_required"
            )
        services.act_cancel(by=actor, act=act, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Rendez-vous annulé ; le montant est libéré."))
    return _after_act(actor, act)


@login_required
def agenda(request: HttpRequest) -> HttpResponse:
    """The logged-in professional's booked acts, soonest first. The patient appears by first
    name and the initial of the family name only."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not can_view_agenda(membership):
        raise PermissionDenied
    user: User = request.user  # type: ignore[assignment]
    page = Paginator(agenda_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for act in page:
        patient = act.pathway.patient
        family = patient.used_name or patient.birth_name
        rows.append((act, PRESTATIONS[act.kind].label, f"{patient.first_given_name} {family[:1]}."))
    return render(request, "pathways/agenda.html", {"page": page, "rows": rows})
