"""Who may see and act on tasks: the staff members of the task's organisation (the team).

The ARS analyst holds a staff role but sees no nominative data (domain §8.6), and a task's
title may name a patient: tasks are closed to that role. Patients never see tasks.
"""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for
from oncoparcours.accounts.roles import ROLES, RoleCode
from oncoparcours.coordination.models import Task

TASK_ROLES = frozenset(
    code for code, role in ROLES.items() if role.staff and code != RoleCode.ARS_ANALYST
)


def can_use_tasks(actor: Membership | None) -> bool:
    return actor is not None and actor.is_active and actor.role in TASK_ROLES


def can_view_task(actor: Membership | None, task: Task) -> bool:
    return can_use_tasks(actor) and acts_for(actor, task.organisation_id)


def can_act_on_task(actor: Membership | None, task: Task) -> bool:
    return can_view_task(actor, task)


def access_task(actor: Membership | None, public_id: UUID | str) -> Task:
    """The task, or 404 if it does not exist or belongs to another team."""
    task = (
        Task.objects.select_related("organisation", "assignee", "created_by__user", "done_by__user")
        .filter(public_id=public_id)
        .first()
    )
    if task is None or not can_view_task(actor, task):
        raise Http404
    return task
