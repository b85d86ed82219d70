"""Reassigning a pathway (page and API) and moving an act (page)."""

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from oncoparcours.accounts.services import api_token_create
from oncoparcours.notifications.models import Notification
from oncoparcours.pathways.services import act_complete
from oncoparcours.pathways.tests.factories import (
    make_directory_editor,
    make_eligible_patient,
    receive,
)
from oncoparcours.pathways.tests.test_acts import FIRST_DAY, book

pytestmark = pytest.mark.django_db


def url(name: str, pathway) -> str:
    return reverse(f"pathways:{name}", kwargs={"public_id": pathway.public_id})


def test_the_coordinator_hands_the_pathway_over_and_loses_sight_of_it(client_as, personas, patient):
    pathway = receive(personas.coordinator, patient)
    client = client_as(personas.coordinator)
    page = client.get(url("detail", pathway)).content.decode()
    assert "Réattribuer à une autre structure porteuse" in page
    assert personas.other_structure.name in page
    response = client.post(
        url("reassign", pathway),
        {"structure": personas.other_structure.public_id, "reason": "Déménagement."},
    )
    assert response.status_code == 302
    assert response.url == reverse("pathways:list")
    pathway.refresh_from_db()
    assert pathway.structure == personas.other_structure
    assert client.get(url("detail", pathway)).status_code == 404
    other = client_as(personas.other_coordinator).get(url("detail", pathway)).content.decode()
    assert "Réattribué à une autre structure" in other
    assert "Déménagement." in other


def test_a_reassignment_without_reason_shows_the_error_and_changes_nothing(
    client_as, personas, patient
):
    pathway = receive(personas.coordinator, patient)
    response = client_as(personas.coordinator).post(
        url("reassign", pathway), {"structure": personas.other_structure.public_id, "reason": ""}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.structure == personas.structure


def test_the_dsrc_gives_an_uncovered_pathway_a_structure_through_the_api(
    client, personas, geography, covered
):
    patient = make_eligible_patient(personas.structure, geography["15014"])
    pathway = receive(personas.coordinator, patient)
    assert pathway.uncovered
    _token, key = api_token_create(membership=make_directory_editor(personas), name="DSRC")
    response = client.post(
        f"/api/v1/pathways/{pathway.public_id}/reassign",
        json.dumps(
            {"structure_id": str(personas.other_structure.public_id), "reason": "Au plus près."}
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    # Covered now: the DSRC no longer sees it (it sees uncovered pathways only).
    assert response.status_code == 204, response.content
    pathway.refresh_from_db()
    assert (pathway.structure, pathway.uncovered) == (personas.other_structure, False)


def test_api_reassign_to_an_unknown_structure_is_400_with_a_code(client, personas, patient):
    pathway = receive(personas.coordinator, patient)
    _token, key = api_token_create(membership=personas.coordinator, name="SIH")
    response = client.post(
        f"/api/v1/pathways/{pathway.public_id}/reassign",
        json.dumps({"structure_id": str(pathway.public_id), "reason": "Erreur."}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "pathway.structure_invalid"
    pathway.refresh_from_db()
    assert pathway.structure == personas.structure


def test_the_coordinator_moves_a_booked_act_and_the_patient_is_told(
    client_as, personas, team, open_pathway
):
    patient = open_pathway.patient
    patient.email = "patient@example.test"
    patient.save(update_fields=["email"])
    act = book(personas, team, open_pathway, "diet_assessment")
    client = client_as(personas.coordinator)
    assert "Déplacer" in client.get(url("detail", open_pathway)).content.decode()
    response = client.post(
        reverse("pathways:act-reschedule", kwargs={"act_id": act.public_id}),
        {"starts_at": "2026-06-20T14:30"},
    )
    assert response.status_code == 302
    act.refresh_from_db()
    assert timezone.localtime(act.starts_at).replace(tzinfo=None) == datetime(2026, 6, 20, 14, 30)
    assert open_pathway.events.filter(kind="act_rescheduled").count() == 1
    assert Notification.objects.filter(template="act_rescheduled").count() == 1


def test_moving_an_act_past_the_deadline_is_refused_with_the_rule(
    client_as, personas, team, open_pathway
):
    # PSG-06: the first assessment done on FIRST_DAY (2026-06-10) sets the deadline a year on.
    first = book(personas, team, open_pathway, "psy_assessment")
    act_complete(by=personas.coordinator, act=first, done_on=FIRST_DAY)
    act = book(personas, team, open_pathway, "diet_assessment")
    before = act.starts_at
    client = client_as(personas.coordinator)
    response = client.post(
        reverse("pathways:act-reschedule", kwargs={"act_id": act.public_id}),
        {"starts_at": "2027-06-11T10:00"},
        follow=True,
    )
    act.refresh_from_db()
    assert act.starts_at == before
    assert "Rendez-vous déplacé" not in response.content.decode()
    assert "10/06/2027" in response.content.decode()  # the deadline, named in the refusal


def test_a_professional_may_not_move_an_act(client_as, personas, team, open_pathway):
    act = book(personas, team, open_pathway, "diet_assessment")
    response = client_as(team.dietitian).post(
        reverse("pathways:act-reschedule", kwargs={"act_id": act.public_id}),
        {"starts_at": "2026-06-20T14:30"},
    )
    assert response.status_code == 403
