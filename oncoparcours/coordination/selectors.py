from datetime import date

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from oncoparcours.accounts.models import Membership, User
from oncoparcours.coordination.models import Task, TaskStatus
from oncoparcours.coordination.permissions import TASK_ROLES, can_use_tasks

STATUS_FILTERS = ("open", "done", "cancelled", "all")


def task_list_for(
    actor: Membership | None,
    *,
    status: str = "open",
    mine: bool = False,
    due_before: date | None = None,
    assignee_public_id: str | None = None,
    overdue: bool = False,
) -> QuerySet[Task]:
    """The tasks of the actor's team, earliest due first (no due date last).

    ``mine`` keeps the tasks assigned to the actor and those of the whole team (no assignee):
    what the actor may have to do. ``status`` "all" keeps every status. One query, whatever the
    number of rows: assignee and the closing membership come in the same join.
    """
    if not can_use_tasks(actor):
        return Task.objects.none()
    assert actor is not None
    tasks = Task.objects.filter(organisation_id=actor.organisation_id).select_related(
        "assignee", "done_by__user", "created_by__user"
    )
    if status != "all":
        tasks = tasks.filter(status=status)
    if mine:
        tasks = tasks.filter(Q(assignee_id=actor.user_id) | Q(assignee__isnull=True))
    if assignee_public_id:
        tasks = tasks.filter(assignee__public_id=assignee_public_id)
    if due_before is not None:
        tasks = tasks.filter(due_date__lte=due_before)
    if overdue:
        tasks = tasks.filter(status=TaskStatus.OPEN, due_date__lt=timezone.localdate())
    return tasks.order_by(F("due_date").asc(nulls_last=True), "-created_at", "-pk")


def task_assignee_choices(organisation_id: int) -> QuerySet[User]:
    """The active staff members of a team, who may be given one of its tasks."""
    now = timezone.now()
    return (
        User.objects.filter(
            is_active=True,
            memberships__organisation_id=organisation_id,
            memberships__role__in=TASK_ROLES,
        )
        .filter(Q(memberships__ended_at__isnull=True) | Q(memberships__ended_at__gt=now))
        .distinct()
        .order_by("last_name", "first_name")
    )
