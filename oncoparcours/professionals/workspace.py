"""The professional's workspace (issue 4 §7): what an APA professional, dietitian or
psychologist needs on one page, in the structure they act for — agenda, patients assigned,
forms to fill, reports sent, statements.

Reads only; each list is one query whatever its length (asserted in the tests).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.models import Assessment
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.rules.budget import ActStatus
from oncoparcours.pathways.states import FINAL_STATUSES
from oncoparcours.payments.models import Statement
from oncoparcours.payments.selectors import professional_statement_list
from oncoparcours.reports.models import Report, ReportDelivery

AGENDA_SIZE = 10
RECENT_REPORTS = 10
RECENT_STATEMENTS = 6


def _own_acts(actor: Membership) -> QuerySet[Act]:
    return Act.objects.filter(
        professional_id=actor.user_id, pathway__structure_id=actor.organisation_id
    )


def upcoming_acts(actor: Membership, *, now: datetime) -> QuerySet[Act]:
    """The next booked acts, soonest first."""
    return (
        _own_acts(actor)
        .filter(status=ActStatus.BOOKED, starts_at__gt=now)
        .select_related("pathway__patient")
        .order_by("starts_at", "pk")
    )


def acts_to_document(actor: Membership, *, now: datetime) -> QuerySet[Act]:
    """Acts that took place (done, or booked and already started) without a current
    assessment: the forms still to fill, oldest first."""
    current = Assessment.objects.filter(act=OuterRef("pk"), superseded_at__isnull=True)
    return (
        _own_acts(actor)
        .filter(
            Q(status=ActStatus.DONE) | Q(status=ActStatus.BOOKED, starts_at__lte=now),
            ~Exists(current),
        )
        .select_related("pathway__patient")
        .order_by("starts_at", "pk")
    )


def assigned_pathways(actor: Membership, *, now: datetime) -> QuerySet[Pathway]:
    """Open pathways of the patients assigned to the professional (an act booked with them),
    with the date of their next booked act with this professional."""
    own = Act.objects.filter(pathway=OuterRef("pk"), professional_id=actor.user_id)
    return (
        Pathway.objects.filter(structure_id=actor.organisation_id)
        .filter(Exists(own))
        .exclude(status__in=[str(s) for s in FINAL_STATUSES])
        .select_related("patient")
        .annotate(
            next_act_at=Min(
                "acts__starts_at",
                filter=Q(
                    acts__professional_id=actor.user_id,
                    acts__status=ActStatus.BOOKED,
                    acts__starts_at__gt=now,
                ),
            )
        )
        .order_by("patient__birth_name_key", "patient__given_name_key", "pk")
    )


def reports_sent(actor: Membership) -> QuerySet[Report]:
    """Reports of the professional's own assessments, newest first, with their deliveries."""
    return (
        Report.objects.filter(
            assessment__act__professional_id=actor.user_id,
            pathway__structure_id=actor.organisation_id,
        )
        .select_related("pathway__patient")
        .prefetch_related(
            Prefetch("deliveries", queryset=ReportDelivery.objects.order_by("recipient_role"))
        )
        .order_by("-created_at", "-pk")
    )


def own_statements(actor: Membership) -> QuerySet[Statement]:
    """The professional's statements in the structure they act for, newest month first."""
    return professional_statement_list(actor.user).filter(structure_id=actor.organisation_id)


@dataclass(frozen=True)
class Workspace:
    upcoming: list[Act]
    to_document: list[Act]
    pathways: list[Pathway]
    reports: list[Report]
    statements: list[Statement]


def workspace_for(actor: Membership, *, now: datetime) -> Workspace:
    return Workspace(
        upcoming=list(upcoming_acts(actor, now=now)[:AGENDA_SIZE]),
        to_document=list(acts_to_document(actor, now=now)),
        pathways=list(assigned_pathways(actor, now=now)),
        reports=list(reports_sent(actor)[:RECENT_REPORTS]),
        statements=list(own_statements(actor)[:RECENT_STATEMENTS]),
    )
