"""Who reads reports and resends them: the coordinator of the pathway's structure and the
professional who wrote the assessment. The prescriber and the médecin traitant receive them by
secure messaging, not here; the ARS never sees a named document (domain §8.6)."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import has_role
from oncoparcours.accounts.roles import PSGAC_PROFESSIONAL_ROLES, RoleCode
from oncoparcours.assessments.models import Assessment
from oncoparcours.pathways.permissions import can_act_on_pathway
from oncoparcours.reports.models import Report, ReportDelivery
from oncoparcours.reports.selectors import delivery_detail, report_detail

# Roles that may open report pages at all (403 for the others, the ARS included).
REPORT_ROLES = (RoleCode.COORDINATOR, *PSGAC_PROFESSIONAL_ROLES)


def can_use_reports(actor: Membership | None) -> bool:
    return has_role(actor, *REPORT_ROLES)


def is_author(actor: Membership | None, assessment: Assessment) -> bool:
    """The professional who submitted the assessment, acting in the pathway's structure."""
    return (
        actor is not None
        and has_role(actor, *PSGAC_PROFESSIONAL_ROLES)
        and assessment.submitted_by.user_id == actor.user_id
        and actor.organisation_id == assessment.submitted_by.organisation_id
    )


def can_issue_report(actor: Membership | None, assessment: Assessment) -> bool:
    return can_act_on_pathway(actor, assessment.pathway) or is_author(actor, assessment)


def can_view_report(actor: Membership | None, report: Report) -> bool:
    return can_act_on_pathway(actor, report.pathway) or is_author(actor, report.assessment)


def can_resend_delivery(actor: Membership | None, delivery: ReportDelivery) -> bool:
    return can_view_report(actor, delivery.report)


def access_report(actor: Membership | None, public_id: UUID | str) -> Report:
    """The report with its deliveries, or 404 if it does not exist or is not the actor's."""
    try:
        report = report_detail(public_id)
    except ValidationError:
        report = None
    if report is None or not can_view_report(actor, report):
        raise Http404
    return report


def access_delivery(actor: Membership | None, public_id: UUID | str) -> ReportDelivery:
    try:
        delivery = delivery_detail(public_id)
    except ValidationError:
        delivery = None
    if delivery is None or not can_resend_delivery(actor, delivery):
        raise Http404
    return delivery
