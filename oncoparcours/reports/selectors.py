"""Reads of reports and their deliveries; each does its joins once (the pathway page and the
API list cost the same queries for 1 or 20 reports)."""

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from oncoparcours.accounts.models import Membership
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import can_act_on_pathway
from oncoparcours.reports.models import Report, ReportDelivery

_REPORT_JOINS = (
    "pathway__patient",
    "pathway__structure",
    "pathway__prescription",
    "assessment__submitted_by__user",
    "assessment__act__professional",
    "created_by__user",
)


def _reports() -> QuerySet[Report]:
    return Report.objects.select_related(*_REPORT_JOINS).prefetch_related(
        Prefetch("deliveries", queryset=ReportDelivery.objects.order_by("recipient_role"))
    )


def report_detail(public_id: UUID | str) -> Report | None:
    return _reports().filter(public_id=public_id).first()


def delivery_detail(public_id: UUID | str) -> ReportDelivery | None:
    return (
        ReportDelivery.objects.select_related(*(f"report__{join}" for join in _REPORT_JOINS))
        .filter(public_id=public_id)
        .first()
    )


def reports_for_pathway(pathway: Pathway, actor: Membership | None) -> QuerySet[Report]:
    """The pathway's reports the actor may read, newest first, with deliveries: two queries.
    The coordinator reads them all; a professional, those of their own assessments."""
    reports = _reports().filter(pathway=pathway)
    if can_act_on_pathway(actor, pathway):
        return reports
    if actor is None:
        return reports.none()
    return reports.filter(
        assessment__submitted_by__user_id=actor.user_id,
        assessment__submitted_by__organisation_id=actor.organisation_id,
    )
