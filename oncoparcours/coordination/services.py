"""Writes on tasks. Every refusal is logged with its codes (never a title or a name)."""

from datetime import date
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.coordination.models import Task, TaskKind, TaskStatus
from oncoparcours.coordination.selectors import task_assignee_choices
from oncoparcours.core.errors import Errors
from oncoparcours.organisations.models import Organisation

TITLE_MAX = 200
_UNSET: Any = object()


def _check_title(errors: Errors, title: str) -> str:
    title = title.strip()
    if not title:
        errors.new("title", _("Indiquez l'intitulé de la tâche."), "task.title.required")
    elif len(title) > TITLE_MAX:
        errors.new(
            "title",
            _("L'intitulé ne doit pas dépasser %(max)s caractères."),
            "task.title.too_long",
            max=TITLE_MAX,
        )
    return title


def _check_assignee(errors: Errors, organisation_id: int, assignee: User | None) -> None:
    if (
        assignee is not None
        and not task_assignee_choices(organisation_id).filter(pk=assignee.pk).exists()
    ):
        errors.new(
            "assignee",
            _("La personne choisie n'est pas un membre actif de l'équipe."),
            "task.assignee.not_a_member",
        )


def _check_due_date(errors: Errors, kind: str, due_date: date | None) -> None:
    # A reminder may be created late by a job; a person planning an action plans it ahead.
    if kind == TaskKind.MANUAL and due_date is not None and due_date < timezone.localdate():
        errors.new(
            "due_date",
            _("L'échéance ne peut pas être dans le passé."),
            "task.due_date.past",
        )


def _check_kind(errors: Errors, kind: str) -> None:
    if kind not in TaskKind.values:
        errors.new("kind", _("Type de tâche inconnu."), "task.kind.unknown")


def _check_status(errors: Errors, task: Task, *allowed: TaskStatus) -> None:
    if task.status not in allowed:
        errors.new(
            "status",
            _("Cette action n'est pas possible pour une tâche « %(status)s »."),
            f"task.status.not_{'_or_'.join(s.value for s in allowed)}",
            status=task.get_status_display(),
        )


@transaction.atomic
def task_create(
    *,
    by: Membership,
    organisation: Organisation,
    title: str,
    description: str = "",
    kind: str = TaskKind.MANUAL,
    pathway_public_id: UUID | None = None,
    assignee: User | None = None,
    due_date: date | None = None,
) -> Task:
    errors = Errors()
    title = _check_title(errors, title)
    _check_kind(errors, kind)
    _check_assignee(errors, organisation.pk, assignee)
    _check_due_date(errors, kind, due_date)
    errors.raise_if_any(where="task_create", by=by)
    return Task.objects.create(
        organisation=organisation,
        title=title,
        description=description.strip(),
        kind=kind,
        pathway_public_id=pathway_public_id,
        assignee=assignee,
        due_date=due_date,
        created_by=by,
    )


def task_create_system(
    *,
    organisation: Organisation,
    title: str,
    kind: str,
    dedup_key: str,
    description: str = "",
    pathway_public_id: UUID | None = None,
    assignee: User | None = None,
    due_date: date | None = None,
) -> tuple[Task, bool]:
    """A reminder from a job: returns the open task with this key if there is one (created
    False), so a job run twice, or two workers at once, leave a single open task."""
    existing = Task.objects.filter(
        organisation=organisation, dedup_key=dedup_key, status=TaskStatus.OPEN
    ).first()
    if existing is not None:
        return existing, False
    errors = Errors()
    title = _check_title(errors, title)
    _check_kind(errors, kind)
    _check_assignee(errors, organisation.pk, assignee)
    if not dedup_key or len(dedup_key) > 200:
        errors.new("dedup_key", _("Clé de dédoublonnage invalide."), "task.dedup_key.invalid")
    errors.raise_if_any(where="task_create_system", by=None)
    try:
        with transaction.atomic():
            task = Task.objects.create(
                organisation=organisation,
                title=title,
                description=description.strip(),
                kind=kind,
                pathway_public_id=pathway_public_id,
                assignee=assignee,
                due_date=due_date,
                dedup_key=dedup_key,
            )
    except IntegrityError:
        # Another worker created it between our read and our write.
        return Task.objects.get(
            organisation=organisation, dedup_key=dedup_key, status=TaskStatus.OPEN
        ), False
    return task, True


def _close(task: Task, by: Membership, status: TaskStatus) -> Task:
    task.status = status
    task.done_by = by
    task.done_at = timezone.now()
    task.save(update_fields=["status", "done_by", "done_at"])
    return task


@transaction.atomic
def task_complete(*, by: Membership, task: Task) -> Task:
    errors = Errors()
    _check_status(errors, task, TaskStatus.OPEN)
    errors.raise_if_any(where="task_complete", by=by)
    return _close(task, by, TaskStatus.DONE)


@transaction.atomic
def task_cancel(*, by: Membership, task: Task) -> Task:
    errors = Errors()
    _check_status(errors, task, TaskStatus.OPEN)
    errors.raise_if_any(where="task_cancel", by=by)
    return _close(task, by, TaskStatus.CANCELLED)


@transaction.atomic
def task_reopen(*, by: Membership, task: Task) -> Task:
    errors = Errors()
    _check_status(errors, task, TaskStatus.DONE, TaskStatus.CANCELLED)
    if (
        task.dedup_key
        and Task.objects.filter(
            organisation_id=task.organisation_id, dedup_key=task.dedup_key, status=TaskStatus.OPEN
        )
        .exclude(pk=task.pk)
        .exists()
    ):
        errors.new(
            "status",
            _("Une relance identique est déjà ouverte : rouvrez plutôt celle-ci."),
            "task.reopen.duplicate_open",
        )
    errors.raise_if_any(where="task_reopen", by=by)
    task.status = TaskStatus.OPEN
    task.done_by = None
    task.done_at = None
    task.save(update_fields=["status", "done_by", "done_at"])
    return task


@transaction.atomic
def task_update(
    *,
    by: Membership,
    task: Task,
    title: str = _UNSET,
    description: str = _UNSET,
    assignee: User | None = _UNSET,
    due_date: date | None = _UNSET,
) -> Task:
    """Changes only what is given; a closed task is not edited (reopen it first)."""
    errors = Errors()
    _check_status(errors, task, TaskStatus.OPEN)
    changed: list[str] = []
    if title is not _UNSET:
        task.title = _check_title(errors, title)
        changed.append("title")
    if description is not _UNSET:
        task.description = description.strip()
        changed.append("description")
    if assignee is not _UNSET:
        _check_assignee(errors, task.organisation_id, assignee)
        task.assignee = assignee
        changed.append("assignee")
    if due_date is not _UNSET:
        _check_due_date(errors, task.kind, due_date)
        task.due_date = due_date
        changed.append("due_date")
    if errors.by_field:
        task.refresh_from_db()
    errors.raise_if_any(where="task_update", by=by)
    if changed:
        task.save(update_fields=changed)
    return task


def task_assign(*, by: Membership, task: Task, assignee: User | None) -> Task:
    """Give the task to one member of the team, or to the whole team (None)."""
    return task_update(by=by, task=task, assignee=assignee)
