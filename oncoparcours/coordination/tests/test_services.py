from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.coordination import services
from oncoparcours.coordination.models import Task, TaskKind, TaskStatus
from oncoparcours.coordination.tests.factories import days, make_task
from oncoparcours.core.testing import make_member

pytestmark = pytest.mark.django_db


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> set[str | None]:
    return {e.code for errors in exc.value.error_dict.values() for e in errors}


def test_a_coordinator_creates_a_task_for_a_colleague(personas):
    task = services.task_create(
        by=personas.coordinator,
        organisation=personas.structure,
        title="  Appeler Mme D. pour le bilan  ",
        assignee=personas.psychologist.user,
        due_date=days(3),
    )
    assert task.title == "Appeler Mme D. pour le bilan"
    assert task.status == TaskStatus.OPEN
    assert task.kind == TaskKind.MANUAL
    assert task.created_by == personas.coordinator
    assert task.assignee == personas.psychologist.user


@pytest.mark.parametrize(
    ("title", "code"), [("   ", "task.title.required"), ("x" * 201, "task.title.too_long")]
)
def test_a_missing_or_too_long_title_is_refused_and_nothing_saved(personas, title, code):
    with pytest.raises(ValidationError) as exc:
        services.task_create(by=personas.coordinator, organisation=personas.structure, title=title)
    assert _codes(exc) == {code}
    assert not Task.objects.exists()


def test_every_problem_is_reported_at_once_in_french(personas):
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            by=personas.coordinator,
            organisation=personas.structure,
            title="",
            assignee=personas.other_coordinator.user,
            due_date=days(-1),
        )
    assert _codes(exc) == {
        "task.title.required",
        "task.assignee.not_a_member",
        "task.due_date.past",
    }
    assert "L'échéance ne peut pas être dans le passé." in exc.value.messages
    assert not Task.objects.exists()


def test_a_former_member_cannot_be_given_a_task(personas):
    former = make_member(personas.structure, RoleCode.DIETITIAN)
    former.ended_at = timezone.now()
    former.save()
    with pytest.raises(ValidationError) as exc:
        services.task_create(
            by=personas.coordinator,
            organisation=personas.structure,
            title="Bilan",
            assignee=former.user,
        )
    assert _codes(exc) == {"task.assignee.not_a_member"}


def test_refusals_are_logged_with_codes_only(personas, caplog):
    with caplog.at_level("INFO", logger="oncoparcours.refusals"), pytest.raises(ValidationError):
        services.task_create(
            by=personas.coordinator, organisation=personas.structure, title="Mme SECRET" * 30
        )
    assert "task.title.too_long" in caplog.text
    assert "SECRET" not in caplog.text


def test_a_system_reminder_is_created_once_whatever_the_reruns(personas):
    first, created = services.task_create_system(
        organisation=personas.structure,
        title="Patient à contacter",
        kind=TaskKind.REMINDER_CONTACT,
        dedup_key="contact:abc",
        due_date=days(-2),  # a job may be late: reminders may be overdue at birth
    )
    again, created_again = services.task_create_system(
        organisation=personas.structure,
        title="Patient à contacter",
        kind=TaskKind.REMINDER_CONTACT,
        dedup_key="contact:abc",
    )
    assert created
    assert not created_again
    assert again == first
    assert first.created_by is None
    assert Task.objects.count() == 1


def test_the_same_key_in_another_team_or_after_closing_makes_a_new_reminder(personas):
    kwargs: dict[str, Any] = {
        "title": "Échéance proche",
        "kind": TaskKind.REMINDER_DEADLINE,
        "dedup_key": "k",
    }
    first, _ = services.task_create_system(organisation=personas.structure, **kwargs)
    _elsewhere, created_elsewhere = services.task_create_system(
        organisation=personas.other_structure, **kwargs
    )
    services.task_complete(by=personas.coordinator, task=first)
    _later, created_later = services.task_create_system(organisation=personas.structure, **kwargs)
    assert created_elsewhere
    assert created_later
    assert Task.objects.filter(organisation=personas.structure).count() == 2


def test_complete_records_who_and_when_and_reopen_clears_it(personas):
    task = make_task(personas.structure)
    services.task_complete(by=personas.psychologist, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.done_by == personas.psychologist
    assert task.done_at is not None
    services.task_reopen(by=personas.coordinator, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    assert task.done_by is None
    assert task.done_at is None


def test_cancel_closes_an_open_task(personas):
    task = make_task(personas.structure)
    services.task_cancel(by=personas.coordinator, task=task)
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert task.done_by == personas.coordinator


def test_a_closed_task_cannot_be_completed_cancelled_or_edited(personas):
    task = make_task(personas.structure, status=TaskStatus.DONE)
    for service in (services.task_complete, services.task_cancel):
        with pytest.raises(ValidationError) as exc:
            service(by=personas.coordinator, task=task)
        assert _codes(exc) == {"task.status.not_open"}
    with pytest.raises(ValidationError):
        services.task_update(by=personas.coordinator, task=task, title="Autre")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.title == "Rappeler le patient"


def test_an_open_task_cannot_be_reopened(personas):
    task = make_task(personas.structure)
    with pytest.raises(ValidationError) as exc:
        services.task_reopen(by=personas.coordinator, task=task)
    assert _codes(exc) == {"task.status.not_done_or_cancelled"}


def test_reopening_a_reminder_with_an_open_twin_is_refused(personas):
    old = make_task(personas.structure, dedup_key="budget:1", status=TaskStatus.DONE)
    make_task(personas.structure, dedup_key="budget:1")
    with pytest.raises(ValidationError) as exc:
        services.task_reopen(by=personas.coordinator, task=old)
    assert _codes(exc) == {"task.reopen.duplicate_open"}
    old.refresh_from_db()
    assert old.status == TaskStatus.DONE


def test_update_changes_only_what_is_given(personas):
    task = make_task(personas.structure, description="Avant", due_date=days(5))
    services.task_update(by=personas.coordinator, task=task, title="Nouveau titre")
    task.refresh_from_db()
    assert task.title == "Nouveau titre"
    assert task.description == "Avant"
    assert task.due_date == days(5)


def test_a_refused_update_leaves_the_task_unchanged(personas):
    task = make_task(personas.structure)
    with pytest.raises(ValidationError) as exc:
        services.task_update(by=personas.coordinator, task=task, title="", due_date=days(-3))
    assert _codes(exc) == {"task.title.required", "task.due_date.past"}
    assert task.title == "Rappeler le patient"
    task.refresh_from_db()
    assert task.title == "Rappeler le patient"
    assert task.due_date is None


def test_assign_gives_the_task_to_a_member_or_back_to_the_team(personas):
    task = make_task(personas.structure)
    services.task_assign(by=personas.coordinator, task=task, assignee=personas.psychologist.user)
    assert Task.objects.get(pk=task.pk).assignee == personas.psychologist.user
    services.task_assign(by=personas.coordinator, task=task, assignee=None)
    assert Task.objects.get(pk=task.pk).assignee is None
    with pytest.raises(ValidationError):
        services.task_assign(by=personas.coordinator, task=task, assignee=personas.outsider.user)


def test_the_database_refuses_two_open_tasks_with_the_same_key(personas):
    from django.db import IntegrityError, transaction

    make_task(personas.structure, dedup_key="contact:1")
    make_task(personas.structure, dedup_key="contact:1", status=TaskStatus.DONE)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_task(personas.structure, dedup_key="contact:1")


def test_a_task_names_its_pathway_by_public_id(personas):
    import uuid

    pathway_id = uuid.uuid4()
    task = services.task_create(
        by=personas.coordinator,
        organisation=personas.structure,
        title="Relire le bilan",
        pathway_public_id=pathway_id,
    )
    assert Task.objects.get(pathway_public_id=pathway_id) == task


def test_a_twin_created_by_another_worker_meanwhile_is_returned(personas, monkeypatch):
    twin = make_task(personas.structure, dedup_key="contact:race")
    real_filter = Task.objects.filter
    seen: list[bool] = []

    def blind_the_first_time(*args: Any, **kwargs: Any):
        # The first look-up misses the twin, as if the other worker committed just after it.
        queryset = real_filter(*args, **kwargs)
        if not seen:
            seen.append(True)
            return queryset.none()
        return queryset

    monkeypatch.setattr(Task.objects, "filter", blind_the_first_time)
    task, created = services.task_create_system(
        organisation=personas.structure,
        title="Patient à contacter",
        kind=TaskKind.REMINDER_CONTACT,
        dedup_key="contact:race",
    )
    assert not created
    assert task == twin
    assert Task.objects.count() == 1
