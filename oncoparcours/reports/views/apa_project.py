"""The APA project's pages: the form (written or revised by the APA professional who did the APA
assessment, or by the coordinator), its page and the PDF handed to the patient."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.assessments.apa_project.documents import (
    activity_labels,
    apa_project_pdf,
    distance_from,
    rhythm,
    suggested_offers,
)
from oncoparcours.assessments.apa_project.forms import ApaProjectForm
from oncoparcours.assessments.apa_project.permissions import (
    access_apa_project,
    can_use_apa_projects,
    can_view_apa_project,
)
from oncoparcours.assessments.apa_project.selectors import (
    OfferChoice,
    apa_assessments_of,
    apa_offer_choices,
    current_apa_project,
)
from oncoparcours.assessments.apa_project.services import apa_project_write
from oncoparcours.assessments.models import ApaProject, Assessment
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import access_pathway, can_act_on_pathway


def _apa_member(request: HttpRequest) -> Membership:
    actor = acting_membership(request)
    if not can_use_apa_projects(actor):
        raise PermissionDenied
    return actor


def writable_assessments(actor: Membership, pathway: Pathway) -> list[Assessment] | None:
    """The APA assessments the actor may base a project on; None: they may not write one."""
    if can_use_apa_projects(actor) is False:
        return None
    assessments = list(apa_assessments_of(pathway))
    if can_act_on_pathway(actor, pathway):
        return assessments
    own = [a for a in assessments if a.submitted_by.user_id == actor.user_id]
    return own or None


def apa_project_context(actor: Membership, pathway: Pathway) -> dict[str, Any]:
    """The pathway page's APA project block: the current project (if the actor may read it)
    and whether they may write one."""
    if not can_use_apa_projects(actor):
        return {"apa_project": None, "can_write_apa_project": False}
    project = current_apa_project(pathway)
    if project is not None and not can_view_apa_project(actor, project):
        project = None
    if can_act_on_pathway(actor, pathway):
        can_write = True
    else:
        can_write = apa_assessments_of(pathway).filter(submitted_by__user_id=actor.user_id).exists()
    return {"apa_project": project, "can_write_apa_project": can_write}


def _offer_choices(pathway: Pathway, current: ApaProject | None) -> list[OfferChoice]:
    choices = apa_offer_choices(pathway)
    if current is not None:
        # A revision keeps the offers suggested before, even if no longer among the nearest.
        shown = {c.offer.pk for c in choices}
        home = pathway.patient.commune
        choices += [
            OfferChoice(o, distance_from(home, o))
            for o in current.suggested_offers.all()
            if o.pk not in shown and o.archived_at is None
        ]
    return choices


@login_required
def apa_project_form(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _apa_member(request)
    pathway = access_pathway(actor, public_id)
    assessments = writable_assessments(actor, pathway)
    if assessments is None:
        raise PermissionDenied
    current = current_apa_project(pathway)
    offers = _offer_choices(pathway, current)
    if request.method == "POST":
        form = ApaProjectForm(request.POST, assessments=assessments, offers=offers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = apa_project_write(
                    by=actor,
                    pathway=pathway,
                    assessment=form.chosen_assessment(),
                    goals=data["goals"],
                    activity_types=data["activity_types"],
                    sessions_per_week=data["sessions_per_week"],
                    intensity=data["intensity"],
                    session_minutes=data["session_minutes"],
                    precautions=data["precautions"],
                    suggested_offers=form.chosen_offers(),
                    other_suggestions=data["other_suggestions"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("Projet d'activité physique adaptée enregistré."))
                return redirect("reports:apa-project", public_id=project.public_id)
    else:
        initial = ApaProjectForm.initial_from(current, assessments[0] if assessments else None)
        form = ApaProjectForm(initial=initial, assessments=assessments, offers=offers)
    ctx = {"form": form, "pathway": pathway, "patient": pathway.patient, "current_project": current}
    return render(request, "reports/apa_project_form.html", ctx)


@login_required
def apa_project_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _apa_member(request)
    project = access_apa_project(actor, public_id)
    ctx = {
        "project": project,
        "pathway": project.pathway,
        "patient": project.pathway.patient,
        "activities": activity_labels(project),
        "rhythm": rhythm(project),
        "offers": suggested_offers(project),
        "can_revise": project.superseded_at is None
        and writable_assessments(actor, project.pathway) is not None,
    }
    return render(request, "reports/apa_project_detail.html", ctx)


@login_required
def apa_project_file(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _apa_member(request)
    project = access_apa_project(actor, public_id)
    response = HttpResponse(apa_project_pdf(project), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="projet-apa-{project.public_id}.pdf"'
    return response
