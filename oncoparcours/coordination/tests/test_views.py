import pytest
from django.urls import reverse

from oncoparcours.coordination.models import Task, TaskStatus
from oncoparcours.coordination.tests.factories import days, make_task

pytestmark = pytest.mark.django_db

LIST = reverse("coordination:list")
CREATE = reverse("coordination:create")
# Session, user, OTP device, active membership before the view.
AROUND_THE_VIEW = 4


def _url(name: str, task: Task) -> str:
    return reverse(f"coordination:{name}", kwargs={"public_id": task.public_id})


@pytest.mark.parametrize("extra", [0, 12])
def test_the_list_shows_the_team_tasks_in_constant_queries(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        make_task(
            personas.structure,
            f"Tâche {i}",
            assignee=personas.psychologist.user,
            status=TaskStatus.DONE if i % 2 else TaskStatus.OPEN,
            done_by=personas.coordinator if i % 2 else None,
        )
    make_task(personas.structure, "Appeler Mme D.", due_date=days(2))
    client = client_as(personas.coordinator)

    # count, one page of tasks with assignee and closing membership's user
    with django_assert_num_queries(AROUND_THE_VIEW + 2):
        response = client.get(LIST, {"status": "all"})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="task-row"') == extra + 1


def test_overdue_tasks_are_highlighted(personas, client_as):
    make_task(personas.structure, "Appel oublié", due_date=days(-1))
    make_task(personas.structure, "Appel prévu", due_date=days(1))
    page = client_as(personas.coordinator).get(LIST).content.decode()
    assert page.count("fr-badge--error") == 1
    assert page.index("Appel oublié") < page.index("fr-badge--error") < page.index("Appel prévu")


def test_filters_mine_status_and_due_date(personas, client_as):
    make_task(personas.structure, "Pour la psychologue", assignee=personas.psychologist.user)
    make_task(personas.structure, "Pour la coordination", assignee=personas.coordinator.user)
    make_task(personas.structure, "Pour l'équipe", due_date=days(30))
    make_task(personas.structure, "Déjà faite", status=TaskStatus.DONE)
    client = client_as(personas.psychologist)

    mine = client.get(LIST, {"scope": "mine"}).content.decode()
    assert "Pour la psychologue" in mine
    assert "Pour l&#x27;équipe" in mine
    assert "Pour la coordination" not in mine
    assert "Déjà faite" not in mine
    done = client.get(LIST, {"status": "done"}).content.decode()
    assert "Déjà faite" in done
    assert "Pour la psychologue" not in done
    soon = client.get(LIST, {"due_before": days(7).isoformat()}).content.decode()
    assert "Pour l&#x27;équipe" not in soon


def test_the_list_never_shows_another_team_tasks(personas, client_as):
    make_task(personas.structure, "Tâche lyonnaise")
    for persona in ("other_coordinator", "outsider"):
        response = client_as(getattr(personas, persona)).get(LIST)
        assert response.status_code == 200
        assert "Tâche lyonnaise" not in response.content.decode()


@pytest.mark.parametrize("url", [LIST, CREATE])
def test_the_ars_analyst_may_not_use_tasks(personas, client_as, url):
    assert client_as(personas.ars_analyst).get(url).status_code == 403


def test_creating_a_task_from_the_form(personas, client_as):
    client = client_as(personas.coordinator)
    assert client.get(CREATE).status_code == 200
    response = client.post(
        CREATE,
        {
            "title": "Envoyer le compte rendu",
            "description": "Au médecin traitant",
            "assignee": personas.psychologist.user.pk,
            "due_date": days(4).isoformat(),
        },
    )
    assert response.status_code == 302
    task = Task.objects.get()
    assert task.organisation == personas.structure
    assert task.assignee == personas.psychologist.user
    assert task.created_by == personas.coordinator


def test_the_form_shows_french_errors_and_saves_nothing(personas, client_as):
    response = client_as(personas.coordinator).post(
        CREATE, {"title": "Bilan", "due_date": days(-1).isoformat()}
    )
    assert response.status_code == 200
    assert "L&#x27;échéance ne peut pas être dans le passé." in response.content.decode()
    assert not Task.objects.exists()


def test_the_form_offers_only_the_team_as_assignees(personas, client_as):
    page = client_as(personas.coordinator).get(CREATE).content.decode()
    assert personas.psychologist.user.last_name in page
    assert personas.other_coordinator.user.last_name not in page
    response = client_as(personas.coordinator).post(
        CREATE, {"title": "Bilan", "assignee": personas.other_coordinator.user.pk}
    )
    assert response.status_code == 200
    assert not Task.objects.exists()


def test_complete_cancel_and_reopen_buttons(personas, client_as):
    task = make_task(personas.structure)
    client = client_as(personas.psychologist)
    assert client.post(_url("complete", task)).status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.done_by == personas.psychologist
    client.post(_url("reopen", task))
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN
    client.post(_url("cancel", task), {"next": LIST + "?status=all"})
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED


def test_a_refused_transition_shows_a_message_and_changes_nothing(personas, client_as):
    task = make_task(personas.structure, status=TaskStatus.DONE)
    response = client_as(personas.coordinator).post(_url("complete", task), follow=True)
    assert "Cette action n&#x27;est pas possible" in response.content.decode()
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_transitions_are_post_only(personas, client_as):
    task = make_task(personas.structure)
    assert client_as(personas.coordinator).get(_url("complete", task)).status_code == 405


@pytest.mark.parametrize("name", ["complete", "reopen", "cancel"])
@pytest.mark.parametrize("persona", ["other_coordinator", "outsider"])
def test_another_team_cannot_touch_a_task(personas, client_as, name, persona):
    task = make_task(personas.structure, status=TaskStatus.DONE if name == "reopen" else "open")
    response = client_as(getattr(personas, persona)).post(_url(name, task))
    assert response.status_code == 404
    assert Task.objects.get(pk=task.pk).status == task.status


def test_an_offsite_next_is_ignored(personas, client_as):
    task = make_task(personas.structure)
    response = client_as(personas.coordinator).post(
        _url("complete", task), {"next": "https://evil.example/"}
    )
    assert response["Location"] == LIST
