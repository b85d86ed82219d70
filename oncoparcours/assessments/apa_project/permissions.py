"""Who writes and reads the APA project: the pathway's coordinator, the APA professional who
did the APA assessment (and wrote the project); never the ARS (it sees no named data)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.assessments.apa_project.selectors import apa_project_detail
from oncoparcours.assessments.models import ApaProject, Assessment
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import can_act_on_pathway

# Roles that may open APA project pages at all (403 for the others).
APA_PROJECT_ROLES = (RoleCode.COORDINATOR, RoleCode.APA_PROFESSIONAL)


def can_use_apa_projects(actor: Membership | None) -> bool:
    return has_role(actor, *APA_PROJECT_ROLES)


def _in_structure(actor: Membership, pathway: Pathway) -> bool:
    return pathway.structure_id is not None and actor.organisation_id == pathway.structure_id


def can_write_apa_project(
    actor: Membership | None, pathway: Pathway, assessment: Assessment | None
) -> bool:
    """The pathway's coordinator, or the APA professional who did the APA assessment."""
    if actor is None:
        return False
    if can_act_on_pathway(actor, pathway):
        return True
    return (
        has_role(actor, RoleCode.APA_PROFESSIONAL)
        and assessment is not None
        and assessment.pathway_id == pathway.pk
        and assessment.submitted_by.user_id == actor.user_id
        and _in_structure(actor, pathway)
    )


def can_view_apa_project(actor: Membership | None, project: ApaProject) -> bool:
    if actor is None:
        return False
    if can_act_on_pathway(actor, project.pathway):
        return True
    if not has_role(actor, RoleCode.APA_PROFESSIONAL) or not _in_structure(actor, project.pathway):
        return False
    if project.written_by.user_id == actor.user_id:
        return True
    assessment = project.assessment
    return assessment is not None and assessment.submitted_by.user_id == actor.user_id


def access_apa_project(actor: Membership | None, public_id: UUID | str) -> ApaProject:
    """The project with what its pages show, or 404 if it is not the actor's to see."""
    try:
        project = apa_project_detail(public_id)
    except ValidationError:
        project = None
    if project is None or not can_view_apa_project(actor, project):
        raise Http404
    return project
