"""Pages of the assessments: fill the form of an act, read a submission, and the pathway
page's section (each act's entry, the outcomes with their charts)."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.charts import line_chart
from oncoparcours.assessments.forms import form_class
from oncoparcours.assessments.measures import FORMS
from oncoparcours.assessments.permissions import (
    access_act_for_assessment,
    access_assessment,
    can_submit_assessment,
    can_view_assessments,
)
from oncoparcours.assessments.presentation import present, score_shown
from oncoparcours.assessments.selectors import (
    current_assessment_for_act,
    followup_references,
    outcomes_of,
    pathway_assessments,
)
from oncoparcours.assessments.services import assessment_submit
from oncoparcours.assessments.services.submit import patient_context
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.budget import ActStatus
from oncoparcours.pathways.rules.prestations import PRESTATIONS


def _member(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership


@login_required
def assessment_fill(request: HttpRequest, act_id: UUID) -> HttpResponse:
    """The act's form (GET), its submission (POST): the act's professional only."""
    actor = _member(request)
    act = access_act_for_assessment(actor, act_id)
    if not can_submit_assessment(actor, act):
        raise PermissionDenied
    previous = current_assessment_for_act(act.pk)
    context = patient_context(act.pathway.patient, act.day)
    form_cls = form_class(act.kind)
    if request.method == "POST":
        form = form_cls(request.POST, context=context)
        if form.is_valid():
            try:
                assessment = assessment_submit(by=actor, act=act, data=form.to_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Saisie enregistrée."))
                return redirect("assessments:detail", public_id=assessment.public_id)
    else:
        form = form_cls(context=context, previous=previous)
    ctx: dict[str, Any] = {
        "act": act,
        "pathway": act.pathway,
        "label": PRESTATIONS[act.kind].label,
        "form": form,
        "previous": previous,
        "references": followup_references(pathway_assessments(act.pathway)),
    }
    return render(request, "assessments/fill.html", ctx)


@login_required
def assessment_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _member(request)
    assessment = access_assessment(actor, public_id)
    ctx: dict[str, Any] = {
        "assessment": assessment,
        "pathway": assessment.pathway,
        "act": assessment.act,
        "label": PRESTATIONS[assessment.kind].label,
        "results": [(present(r), score_shown(r)) for r in assessment.results.all()],
        "observations": _observations(assessment.kind, assessment.observations),
        "can_correct": assessment.superseded_at is None
        and can_submit_assessment(actor, assessment.act),
    }
    return render(request, "assessments/detail.html", ctx)


def _observations(kind: str, stored: dict[str, str]) -> list[tuple[str, str]]:
    labels = dict(FORMS[kind].observations) if kind in FORMS else {}
    return [(str(labels.get(name, name)), text) for name, text in stored.items()]


def pathway_section(actor: Membership, pathway: Pathway) -> dict[str, Any]:
    """The context of ``assessments/_pathway_section.html`` on the pathway page: for each act,
    its current entry and whether the actor may fill it; the outcomes with their charts. Two
    queries (current assessments, their results); the acts are the page's prefetched ones."""
    if not can_view_assessments(actor, pathway):
        return {"visible": False}
    assessments = pathway_assessments(pathway)
    by_act = {a.act_id: a for a in assessments}
    rows = []
    for act in pathway.acts.all():
        if act.status in (ActStatus.CANCELLED, ActStatus.NO_SHOW):
            continue
        fillable = act.professional_id == actor.user_id and can_submit_assessment(actor, act)
        rows.append((act, PRESTATIONS[act.kind].label, by_act.get(act.pk), fillable))
    outcomes = [
        (outcome, line_chart([(p.on, p.value) for p in outcome.points]))
        for outcome in outcomes_of(assessments)
    ]
    return {"visible": True, "rows": rows, "outcomes": outcomes}
