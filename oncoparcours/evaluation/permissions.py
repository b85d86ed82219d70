"""Who may read the evaluation (issue 6; domain §8.6: the ARS sees aggregates only).

The ARS analysts and ONCO AURA (the DSRC's directory editors) see every scope of the region; a
structure's coordinator sees the same indicators locked to their own structure; everyone else
is refused (403). Nothing here is patient-level, except the pseudonymised export (H6): the ARS
analyst only.
"""

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.evaluation.models import AnnualReport, EvaluationJob, JobKind

if TYPE_CHECKING:
    from oncoparcours.evaluation.selectors import Scope

# Regional readers: the ARS and ONCO AURA (DSRC) steer the pathway in the whole region.
REGIONAL_EVALUATION_ROLES = (RoleCode.ARS_ANALYST, RoleCode.DIRECTORY_EDITOR)


def can_view_regional_indicators(actor: Membership | None) -> bool:
    return has_role(actor, *REGIONAL_EVALUATION_ROLES)


def can_view_indicators(actor: Membership | None) -> bool:
    """Regional readers, or a coordinator (for their own structure only)."""
    return can_view_regional_indicators(actor) or has_role(actor, RoleCode.COORDINATOR)


def can_view_structure_indicators(actor: Membership | None, structure_id: int) -> bool:
    if can_view_regional_indicators(actor):
        return True
    return (
        actor is not None
        and has_role(actor, RoleCode.COORDINATOR)
        and actor.organisation_id == structure_id
    )


# Patient-level rows, even pseudonymised (issue 6 §5, domain §8.6): the ARS analyst only.
def can_export_pseudonymised(actor: Membership | None) -> bool:
    return actor is not None and has_role(actor, RoleCode.ARS_ANALYST) and actor.is_active


def can_view_job(actor: Membership | None, job: EvaluationJob) -> bool:
    """A job is its organisation's: the analysts of the ARS share their exports."""
    return can_export_pseudonymised(actor) and (
        actor is not None and job.requested_by.organisation_id == actor.organisation_id
    )


def access_job(actor: Membership | None, public_id: UUID) -> EvaluationJob:
    """403 for a role that may not use evaluation jobs, 404 for another organisation's job."""
    if not can_export_pseudonymised(actor):
        raise PermissionDenied
    job = (
        EvaluationJob.objects.select_related("requested_by__organisation", "requested_by__user")
        .filter(public_id=public_id)
        .first()
    )
    if job is None or not can_view_job(actor, job):
        raise Http404
    return job


def access_indicator_scope(actor: Membership | None, level: str, key: str) -> "Scope":
    """The scope of an indicator request, enforced: 403 for a role that may not read
    indicators or a coordinator asking for more than their structure, 404 for a structure or
    territory that does not exist or is another structure's (for a coordinator)."""
    from oncoparcours.evaluation import selectors
    from oncoparcours.evaluation.indicators.filters import ScopeLevel

    if not can_view_indicators(actor):
        raise PermissionDenied
    assert actor is not None
    regional = can_view_regional_indicators(actor)
    if not level:
        level = ScopeLevel.REGION if regional else ScopeLevel.STRUCTURE
        if not regional:
            key = str(actor.organisation.public_id)
    scope: Scope | None
    if level == ScopeLevel.REGION:
        if not regional:
            raise PermissionDenied
        return selectors.region_scope()
    if level == ScopeLevel.DEPARTMENT:
        if not regional:
            raise PermissionDenied
        scope = selectors.department_scope(key)
    elif level == ScopeLevel.STRUCTURE:
        scope = selectors.structure_scope(key)
        if (
            scope is not None
            and scope.structure is not None
            and not can_view_structure_indicators(actor, scope.structure.pk)
        ):
            scope = None
    elif level == ScopeLevel.TERRITORY:
        scope = selectors.territory_scope(key)
        if (
            scope is not None
            and scope.territory is not None
            and not can_view_structure_indicators(actor, scope.territory.structure_id)
        ):
            scope = None
    else:
        raise Http404
    if scope is None:
        raise Http404
    return scope


# --- annual reports (PSG-17, issue 6 §4) --------------------------------------------------------
# A structure's coordinator generates, comments, submits and corrects their structure's report;
# the ARS analyst reads the submitted versions of every structure, never a draft.


def can_manage_annual_reports(actor: Membership | None) -> bool:
    return actor is not None and has_role(actor, RoleCode.COORDINATOR) and actor.is_active


def can_read_submitted_annual_reports(actor: Membership | None) -> bool:
    return actor is not None and has_role(actor, RoleCode.ARS_ANALYST) and actor.is_active


def can_use_annual_reports(actor: Membership | None) -> bool:
    return can_manage_annual_reports(actor) or can_read_submitted_annual_reports(actor)


def can_edit_annual_report(actor: Membership | None, report: AnnualReport) -> bool:
    """Comment, submit or correct: the coordinator of the report's structure (the service
    refuses what the status forbids)."""
    return (
        can_manage_annual_reports(actor)
        and actor is not None
        and actor.organisation_id == report.structure_id
    )


def can_view_annual_report(actor: Membership | None, report: AnnualReport) -> bool:
    if can_edit_annual_report(actor, report):
        return True
    return can_read_submitted_annual_reports(actor) and report.is_locked


def access_annual_report(actor: Membership | None, public_id: UUID) -> AnnualReport:
    """403 for a role that may not use annual reports; 404 for another structure's report, or a
    draft for the ARS."""
    if not can_use_annual_reports(actor):
        raise PermissionDenied
    report = (
        AnnualReport.objects.select_related(
            "structure", "submitted_by__user", "created_by__user", "supersedes"
        )
        .filter(public_id=public_id)
        .first()
    )
    if report is None or not can_view_annual_report(actor, report):
        raise Http404
    return report


def access_annual_report_job(actor: Membership | None, public_id: UUID) -> EvaluationJob:
    """A generation job is its structure's: 403 for other roles, 404 for another structure's."""
    if not can_manage_annual_reports(actor):
        raise PermissionDenied
    assert actor is not None
    job = (
        EvaluationJob.objects.select_related("annual_report")
        .filter(public_id=public_id, kind=JobKind.ANNUAL_REPORT)
        .first()
    )
    if job is None or job.parameters.get("structure") != str(actor.organisation.public_id):
        raise Http404
    return job
