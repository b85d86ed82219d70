"""Lists: the coordinator worklist, the prescriber's prescriptions, the professional's agenda."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.pathways.forms import (
    WorklistFilterForm,
)
from oncoparcours.pathways.permissions import (
    can_list_own_prescriptions,
    can_prescribe,
    can_view_agenda,
)
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.selectors import (
    WORKLIST_BUCKETS,
    agenda_for,
    pathway_worklist_for,
    prescriptions_of,
    worklist_bucket_counts,
)
from oncoparcours.pathways.states import STATUS_CHOICES
from oncoparcours.pathways.views.base import PAGE_SIZE, acting_member, patient_initials
from oncoparcours.regulation.selectors import psgac_parameters_at


@login_required
def pathway_list(request: HttpRequest) -> HttpResponse:
    """The coordinator's worklist: bucket tabs with their counts, filters, search, 50 a page."""
    actor = acting_member(request)
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
    # Each pathway page is open to its prescriber (permissions.can_view_pathway).
    ctx = {"page": page, "rows": rows, "can_prescribe": can_prescribe(membership)}
    return render(request, "pathways/prescriptions.html", ctx)


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
