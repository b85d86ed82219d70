from collections.abc import Callable
from datetime import date
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.coordination import services
from oncoparcours.coordination.forms import TaskForm
from oncoparcours.coordination.models import Task
from oncoparcours.coordination.permissions import access_task, can_act_on_task, can_use_tasks
from oncoparcours.coordination.selectors import (
    STATUS_FILTERS,
    task_assignee_choices,
    task_list_for,
)

PAGE_SIZE = 50


def _actor(request: HttpRequest) -> Membership:
    return acting_membership(request, can_use_tasks)


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    mine = request.GET.get("scope") == "mine"
    due_before = _parse_date(request.GET.get("due_before", ""))
    tasks = task_list_for(actor, status=status, mine=mine, due_before=due_before)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    ctx = {
        "page": page,
        "rows": [(task, task.is_overdue(today)) for task in page],
        "status": status,
        "scope": "mine" if mine else "team",
        "due_before": due_before,
        "statuses": [
            ("open", _("À faire")),
            ("done", _("Faites")),
            ("cancelled", _("Annulées")),
            ("all", _("Toutes")),
        ],
    }
    return render(request, "coordination/list.html", ctx)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = TaskForm(request.POST or None, assignees=task_assignee_choices(actor.organisation_id))
    if request.method == "POST" and form.is_valid():
        try:
            services.task_create(
                by=actor,
                organisation=actor.organisation,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                assignee=form.cleaned_data["assignee"],
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Tâche créée."))
            return redirect("coordination:list")
    return render(request, "coordination/form.html", {"form": form})


def _add_errors(form: TaskForm, exc: ValidationError) -> None:
    for field, errors in exc.error_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


def _transition(
    request: HttpRequest,
    public_id: UUID,
    service: Callable[..., Task],
    done: str,
) -> HttpResponse:
    actor = _actor(request)
    task = access_task(actor, public_id)
    if not can_act_on_task(actor, task):
        raise PermissionDenied
    try:
        service(by=actor, task=task)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("coordination:list")


@login_required
@require_POST
def task_complete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _transition(request, public_id, services.task_complete, _("Tâche marquée comme faite."))


@login_required
@require_POST
def task_reopen(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _transition(request, public_id, services.task_reopen, _("Tâche rouverte."))


@login_required
@require_POST
def task_cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _transition(request, public_id, services.task_cancel, _("Tâche annulée."))
