import json
import uuid

import pytest

from oncoparcours.accounts.services import api_token_create
from oncoparcours.coordination.models import Task, TaskStatus
from oncoparcours.coordination.tests.factories import days, make_task

pytestmark = pytest.mark.django_db

BASE = "/api/v1/tasks"
# Session, user, OTP device, active membership before the endpoint.
AROUND_THE_ENDPOINT = 4


def _send(client, method, url, body=None):
    return client.generic(method, url, data=json.dumps(body or {}), content_type="application/json")


@pytest.mark.parametrize("extra", [0, 12])
def test_list_is_paginated_and_constant_in_queries(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        make_task(personas.structure, f"Tâche {i}", assignee=personas.psychologist.user)
    make_task(personas.other_structure, "Ailleurs")
    client = client_as(personas.coordinator)

    # count, one page of tasks with assignee, creator and closer
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 2):
        response = client.get(BASE)
    body = response.json()
    assert body["count"] == extra
    assert len(body["items"]) == extra
    assert all(item["title"] != "Ailleurs" for item in body["items"])


def test_list_filters_status_assignee_and_overdue(personas, client_as):
    make_task(personas.structure, "Psy", assignee=personas.psychologist.user)
    make_task(personas.structure, "Retard", due_date=days(-2))
    make_task(personas.structure, "Faite", status=TaskStatus.DONE)
    client = client_as(personas.coordinator)

    def titles(**params):
        return {item["title"] for item in client.get(BASE, params).json()["items"]}

    assert titles() == {"Psy", "Retard"}
    assert titles(status="done") == {"Faite"}
    assert titles(status="all") == {"Psy", "Retard", "Faite"}
    assert titles(assignee_id=str(personas.psychologist.user.public_id)) == {"Psy"}
    assert titles(overdue="true") == {"Retard"}


def test_create_returns_201_with_the_task(personas, client_as):
    pathway_id = uuid.uuid4()
    response = _send(
        client_as(personas.coordinator),
        "POST",
        BASE,
        {
            "title": "Rappeler le prescripteur",
            "pathway_id": str(pathway_id),
            "assignee_id": str(personas.psychologist.user.public_id),
            "due_date": days(1).isoformat(),
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["pathway_id"] == str(pathway_id)
    assert body["assignee_id"] == str(personas.psychologist.user.public_id)
    assert body["status"] == "open"
    assert body["status_label"] == "À faire"
    assert Task.objects.get().organisation == personas.structure


def test_create_with_bad_input_returns_the_codes_and_saves_nothing(personas, client_as):
    response = _send(
        client_as(personas.coordinator),
        "POST",
        BASE,
        {"title": "", "assignee_id": str(uuid.uuid4()), "due_date": days(-1).isoformat()},
    )
    assert response.status_code == 400
    codes = {e["code"] for e in response.json()["errors"]}
    assert "task.assignee.not_a_member" in codes
    assert not Task.objects.exists()
    response = _send(
        client_as(personas.coordinator),
        "POST",
        BASE,
        {"title": "", "due_date": days(-1).isoformat()},
    )
    assert {e["code"] for e in response.json()["errors"]} == {
        "task.title.required",
        "task.due_date.past",
    }
    assert not Task.objects.exists()


def test_get_patch_complete_reopen_cancel(personas, client_as):
    task = make_task(personas.structure, assignee=personas.psychologist.user)
    client = client_as(personas.coordinator)
    url = f"{BASE}/{task.public_id}"
    assert client.get(url).json()["title"] == "Rappeler le patient"

    patched = _send(
        client, "PATCH", url, {"title": "Nouveau", "assignee_id": None, "due_date": None}
    ).json()
    assert patched["title"] == "Nouveau"
    assert patched["assignee_id"] is None
    assert _send(client, "POST", f"{url}/complete").json()["status"] == "done"
    done = Task.objects.get(pk=task.pk)
    assert done.done_by == personas.coordinator
    assert _send(client, "POST", f"{url}/reopen").json()["status"] == "open"
    cancelled = _send(client, "POST", f"{url}/cancel").json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["done_by_id"] == str(personas.coordinator.public_id)


def test_a_refused_transition_returns_400_with_its_code(personas, client_as):
    task = make_task(personas.structure, status=TaskStatus.CANCELLED)
    response = _send(client_as(personas.coordinator), "POST", f"{BASE}/{task.public_id}/complete")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "task.status.not_open"
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CANCELLED


def test_a_system_token_lists_its_organisation_tasks(personas, client):
    make_task(personas.structure)
    _token, key = api_token_create(membership=personas.coordinator, name="SIH")
    response = client.get(BASE, headers={"Authorization": f"Bearer {key}"})
    assert response.json()["count"] == 1


@pytest.mark.parametrize("persona", ["other_coordinator", "outsider"])
def test_another_team_gets_404_on_every_task_endpoint(personas, client_as, persona):
    task = make_task(personas.structure)
    client = client_as(getattr(personas, persona))
    url = f"{BASE}/{task.public_id}"
    assert client.get(url).status_code == 404
    assert _send(client, "PATCH", url, {"title": "Pirate"}).status_code == 404
    for action in ("complete", "reopen", "cancel"):
        assert _send(client, "POST", f"{url}/{action}").status_code == 404
    assert client.get(BASE).json()["count"] == 0
    task.refresh_from_db()
    assert task.title == "Rappeler le patient"
    assert task.status == TaskStatus.OPEN


def test_the_ars_analyst_gets_403(personas, client_as):
    client = client_as(personas.ars_analyst)
    assert client.get(BASE).status_code == 403
    assert _send(client, "POST", BASE, {"title": "X"}).status_code == 403
    assert not Task.objects.exists()


def test_anonymous_is_401(client):
    assert client.get(BASE).status_code == 401
