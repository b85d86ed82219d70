"""The APA project: write (or revise) one for a pathway, read it, download the patient's PDF."""

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.apa_project.documents import apa_project_pdf
from oncoparcours.assessments.apa_project.permissions import (
    access_apa_project,
    can_use_apa_projects,
    can_write_apa_project,
)
from oncoparcours.assessments.apa_project.selectors import apa_project_detail
from oncoparcours.assessments.apa_project.services import apa_project_write
from oncoparcours.assessments.models import ApaProject, Assessment
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.core.errors import Errors
from oncoparcours.directory.models import Offer
from oncoparcours.pathways.permissions import access_pathway
from oncoparcours.reports.api.base import router
from oncoparcours.reports.api.schemas import ApaProjectIn, ApaProjectOut


def _apa_member(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_use_apa_projects(current):
        raise forbidden()
    return current


def _project(request: HttpRequest, project_id: UUID) -> ApaProject:
    try:
        return access_apa_project(_apa_member(request), project_id)
    except Http404:
        raise not_found() from None


@router.post(
    "/pathways/{pathway_id}/apa-project",
    response={201: ApaProjectOut},
    summary="Rédiger ou réviser le projet d'activité physique adaptée d'un parcours",
    description="Par le professionnel qui a réalisé le bilan d'activité physique "
    "(`assessment_id`) ou la coordination. Une révision remplace le projet en cours. Refus : "
    "400 avec le code `apa_project.*` (1 à 7 séances par semaine, 10 à 180 minutes, au moins un "
    "type d'activité, objectifs requis).",
)
def apa_project_create(
    request: HttpRequest, pathway_id: UUID, payload: ApaProjectIn
) -> Status[Any]:
    current = _apa_member(request)
    try:
        pathway = access_pathway(current, pathway_id)
    except Http404:
        raise not_found() from None
    errors = Errors()
    assessment = None
    if payload.assessment_id is not None:
        assessment = (
            Assessment.objects.select_related("submitted_by")
            .filter(public_id=payload.assessment_id, pathway=pathway)
            .first()
        )
        if assessment is None:
            errors.new(
                "assessment_id",
                _("Ce bilan n'appartient pas à ce parcours."),
                "apa_project.assessment.unknown",
            )
    if not can_write_apa_project(current, pathway, assessment) and not errors.by_field:
        raise forbidden()
    wanted = list(dict.fromkeys(payload.suggested_offer_ids))
    offers = list(Offer.objects.filter(public_id__in=wanted))
    if len(offers) != len(wanted):
        errors.new(
            "suggested_offer_ids",
            _("Offre inconnue au répertoire."),
            "apa_project.offer.unknown",
        )
    errors.raise_if_any(where="api.apa_project_create", by=current)
    project = apa_project_write(
        by=current,
        pathway=pathway,
        assessment=assessment,
        goals=payload.goals,
        activity_types=payload.activity_types,
        sessions_per_week=payload.sessions_per_week,
        intensity=payload.intensity,
        session_minutes=payload.session_minutes,
        precautions=payload.precautions,
        suggested_offers=offers,
        other_suggestions=payload.other_suggestions,
    )
    fresh = apa_project_detail(project.public_id)
    return Status(201, fresh)


@router.get(
    "/apa-projects/{project_id}",
    response=ApaProjectOut,
    summary="Un projet d'activité physique adaptée",
)
def apa_project_get(request: HttpRequest, project_id: UUID) -> ApaProject:
    return _project(request, project_id)


@router.get(
    "/apa-projects/{project_id}/pdf",
    response={200: None},
    summary="Le projet d'activité physique adaptée en PDF, pour le patient",
)
def apa_project_pdf_download(request: HttpRequest, project_id: UUID) -> HttpResponse:
    project = _project(request, project_id)
    response = HttpResponse(apa_project_pdf(project), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="projet-apa-{project.public_id}.pdf"'
    return response
