"""What the periodic jobs do (issue 3 §5), as plain functions the Celery tasks call: expire
pathways past their PSG-06 deadline, and remind coordinators through tasks (contact, deadline,
budget near the PSG-09 cap). Delays come from the regulatory parameters in force today."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import DecimalField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from oncoparcours.coordination.models import TaskKind
from oncoparcours.coordination.services import task_create_system
from oncoparcours.pathways.hooks import reference
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.budget import HOLDING, ZERO, euros
from oncoparcours.pathways.services.lifecycle import pathway_expire
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.regulation.selectors import psgac_parameters_at


@dataclass
class JobReport:
    expired: int = 0
    reminders: dict[str, int] = field(default_factory=dict)


def expire_due_pathways(*, today: date) -> int:
    due = Pathway.objects.filter(status=PathwayStatus.ACTIVE, deadline__lt=today)
    count = 0
    for pathway in due.iterator():
        pathway_expire(pathway=pathway, today=today)
        count += 1
    return count


def remind_coordinators(*, today: date) -> dict[str, int]:
    """One open task per pathway and reason (the dedup key): a job run twice adds nothing."""
    params = psgac_parameters_at(today)
    created = {"contact": 0, "deadline": 0, "budget": 0}
    contact_limit = today - timedelta(days=params.contact_after_days)
    not_contacted = Pathway.objects.filter(
        status=PathwayStatus.ELIGIBLE,
        structure__isnull=False,
        prescription__received_at__date__lte=contact_limit,
    ).select_related("structure", "prescription")
    for pathway in not_contacted:
        assert pathway.structure is not None
        _task, new = task_create_system(
            organisation=pathway.structure,
            title=_("Patient à contacter : parcours %(ref)s reçu le %(date)s")
            % {"ref": reference(pathway), "date": f"{pathway.prescription.received_at:%d/%m/%Y}"},
            kind=TaskKind.REMINDER_CONTACT,
            dedup_key=f"contact:{pathway.public_id}",
            pathway_public_id=pathway.public_id,
            due_date=today,
        )
        created["contact"] += int(new)
    deadline_limit = today + timedelta(days=params.deadline_within_days)
    nearing = Pathway.objects.filter(
        status=PathwayStatus.ACTIVE,
        structure__isnull=False,
        deadline__gte=today,
        deadline__lte=deadline_limit,
    ).select_related("structure")
    for pathway in nearing:
        assert pathway.structure is not None
        assert pathway.deadline is not None
        _task, new = task_create_system(
            organisation=pathway.structure,
            title=_("Échéance proche : parcours %(ref)s se termine le %(date)s")
            % {"ref": reference(pathway), "date": f"{pathway.deadline:%d/%m/%Y}"},
            kind=TaskKind.REMINDER_DEADLINE,
            dedup_key=f"deadline:{pathway.public_id}",
            pathway_public_id=pathway.public_id,
            due_date=pathway.deadline,
        )
        created["deadline"] += int(new)
    created["budget"] = _remind_budget(
        today=today, threshold_percent=params.budget_threshold_percent
    )
    return created


def _remind_budget(*, today: date, threshold_percent: int) -> int:
    """Active pathways whose committed + spent (PSG-09, rules.budget.HOLDING) reached the
    threshold of their cap: one query sums every pathway's acts."""
    used = Coalesce(
        Sum("acts__amount", filter=Q(acts__status__in=[s.value for s in HOLDING])),
        Value(ZERO),
        output_field=DecimalField(max_digits=10, decimal_places=2),
    )
    near_cap = (
        Pathway.objects.filter(status=PathwayStatus.ACTIVE, structure__isnull=False)
        .annotate(used=used)
        # Multiplications only: no integer division on SQLite.
        .alias(
            margin=ExpressionWrapper(
                F("used") * 100 - F("cap") * threshold_percent,
                output_field=DecimalField(max_digits=12, decimal_places=2),
            )
        )
        .filter(used__gt=0, margin__gte=0)
        .select_related("structure")
    )
    count = 0
    for pathway in near_cap:
        assert pathway.structure is not None
        _task, new = task_create_system(
            organisation=pathway.structure,
            title=_("Budget presque atteint : parcours %(ref)s, %(used)s € sur %(cap)s €")
            % {"ref": reference(pathway), "used": euros(pathway.used), "cap": euros(pathway.cap)},
            kind=TaskKind.REMINDER_BUDGET,
            dedup_key=f"budget:{pathway.public_id}",
            pathway_public_id=pathway.public_id,
            due_date=today,
        )
        count += int(new)
    return count
