"""Tasks of the caller's team: list, create, read, change, complete, reopen, cancel."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.accounts.models import Membership, User
from oncoparcours.coordination import services
from oncoparcours.coordination.models import Task
from oncoparcours.coordination.permissions import access_task, can_act_on_task, can_use_tasks
from oncoparcours.coordination.selectors import STATUS_FILTERS, task_list_for
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.core.errors import Errors

router = Router(tags=["Tâches"])


class TaskOut(Schema):
    id: UUID
    title: str
    description: str
    kind: str
    kind_label: str
    pathway_id: UUID | None
    assignee_id: UUID | None
    assignee_name: str
    due_date: date | None
    overdue: bool
    status: str
    status_label: str
    created_at: datetime
    created_by_id: UUID | None
    done_at: datetime | None
    done_by_id: UUID | None
    done_by_name: str

    @staticmethod
    def resolve_id(obj: Task) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_kind_label(obj: Task) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_pathway_id(obj: Task) -> UUID | None:
        return obj.pathway_public_id

    @staticmethod
    def resolve_assignee_id(obj: Task) -> UUID | None:
        return obj.assignee.public_id if obj.assignee else None

    @staticmethod
    def resolve_assignee_name(obj: Task) -> str:
        return obj.assignee.get_full_name() if obj.assignee else ""

    @staticmethod
    def resolve_overdue(obj: Task) -> bool:
        return obj.is_overdue(timezone.localdate())

    @staticmethod
    def resolve_status_label(obj: Task) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_created_by_id(obj: Task) -> UUID | None:
        return obj.created_by.public_id if obj.created_by else None

    @staticmethod
    def resolve_done_by_id(obj: Task) -> UUID | None:
        return obj.done_by.public_id if obj.done_by else None

    @staticmethod
    def resolve_done_by_name(obj: Task) -> str:
        return obj.done_by.user.get_full_name() if obj.done_by else ""


class TaskIn(Schema):
    title: str
    description: str = ""
    pathway_id: UUID | None = None
    assignee_id: UUID | None = None
    due_date: date | None = None


class TaskPatch(Schema):
    """Only the fields sent are changed; `assignee_id: null` gives the task to the whole team,
    `due_date: null` removes the due date."""

    title: str | None = None
    description: str | None = None
    assignee_id: UUID | None = None
    due_date: date | None = None


class TaskFilters(Schema):
    status: str = "open"
    assignee_id: UUID | None = None
    overdue: bool = False
    due_before: date | None = None


def _actor(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_use_tasks(current):
        raise forbidden()
    return current


def _task(request: HttpRequest, task_id: UUID) -> tuple[Membership, Task]:
    current = _actor(request)
    try:
        task = access_task(current, task_id)
    except Http404:
        raise not_found() from None
    if not can_act_on_task(current, task):
        raise forbidden()
    return current, task


def _assignee(current: Membership, assignee_id: UUID | None) -> User | None:
    """The user named by public id, or a refusal the service would give (same code)."""
    if assignee_id is None:
        return None
    user = User.objects.filter(public_id=assignee_id).first()
    if user is None:
        errors = Errors()
        errors.new(
            "assignee_id",
            _("La personne choisie n'est pas un membre actif de l'équipe."),
            "task.assignee.not_a_member",
        )
        errors.raise_if_any(where="api.task_assignee", by=current)
    return user


@router.get(
    "",
    response=list[TaskOut],
    summary="Tâches de l'équipe (organisation de l'appelant), échéance la plus proche d'abord",
    description="`status` : open (défaut), done, cancelled ou all ; `assignee_id` : identifiant "
    "public d'un utilisateur ; `overdue` : true pour les seules tâches ouvertes en retard ; "
    "`due_before` : échéance au plus tard ce jour (AAAA-MM-JJ).",
)
@paginate(PageNumberPagination)
def task_list(request: HttpRequest, filters: Query[TaskFilters]) -> QuerySet[Task]:
    current = _actor(request)
    status = filters.status if filters.status in STATUS_FILTERS else "open"
    return task_list_for(
        current,
        status=status,
        due_before=filters.due_before,
        assignee_public_id=str(filters.assignee_id) if filters.assignee_id else None,
        overdue=filters.overdue,
    )


@router.post("", response={201: TaskOut}, summary="Créer une tâche pour l'équipe")
def task_create(request: HttpRequest, payload: TaskIn) -> Status[Task]:
    current = _actor(request)
    task = services.task_create(
        by=current,
        organisation=current.organisation,
        title=payload.title,
        description=payload.description,
        pathway_public_id=payload.pathway_id,
        assignee=_assignee(current, payload.assignee_id),
        due_date=payload.due_date,
    )
    return Status(201, task)


@router.get("/{task_id}", response=TaskOut, summary="Une tâche de l'équipe")
def task_get(request: HttpRequest, task_id: UUID) -> Task:
    return _task(request, task_id)[1]


@router.patch("/{task_id}", response=TaskOut, summary="Modifier une tâche ouverte")
def task_update(request: HttpRequest, task_id: UUID, payload: TaskPatch) -> Task:
    current, task = _task(request, task_id)
    sent = payload.model_dump(exclude_unset=True)
    changes: dict[str, Any] = {}
    for name in ("title", "description"):
        if sent.get(name) is not None:
            changes[name] = sent[name]
    if "assignee_id" in sent:
        changes["assignee"] = _assignee(current, sent["assignee_id"])
    if "due_date" in sent:
        changes["due_date"] = sent["due_date"]
    return services.task_update(by=current, task=task, **changes)


@router.post("/{task_id}/complete", response=TaskOut, summary="Marquer une tâche comme faite")
def task_complete(request: HttpRequest, task_id: UUID) -> Task:
    current, task = _task(request, task_id)
    return services.task_complete(by=current, task=task)


@router.post("/{task_id}/reopen", response=TaskOut, summary="Rouvrir une tâche faite ou annulée")
def task_reopen(request: HttpRequest, task_id: UUID) -> Task:
    current, task = _task(request, task_id)
    return services.task_reopen(by=current, task=task)


@router.post("/{task_id}/cancel", response=TaskOut, summary="Annuler une tâche")
def task_cancel(request: HttpRequest, task_id: UUID) -> Task:
    current, task = _task(request, task_id)
    return services.task_cancel(by=current, task=task)
