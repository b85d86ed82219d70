"""The assessments API: submit (201 / 400 with the error shape), read, list, outcomes."""

import json

import pytest

from oncoparcours.accounts.services import api_token_create
from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.assessments.services import assessment_submit

from .helpers import FOLLOWUP_DAY, HADS_FIRST_OPTIONS, PSY_DATA, book_act

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

PSY_JSON = {
    "measures": {
        "distress_thermometer": {"score": 4, "problems": ["worry", "fatigue"]},
        "hads": HADS_FIRST_OPTIONS,
    },
    "summary": "Détresse significative.",
}


@pytest.fixture
def api():
    """A client calling with a membership's bearer token."""
    from django.test import Client

    def _api(membership):
        _token, key = api_token_create(membership=membership, name="test")
        return Client(headers={"Authorization": f"Bearer {key}"})

    return _api


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def test_submitting_returns_201_with_the_stored_scores(api, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    response = post(api(team.psychologist), f"/api/v1/acts/{act.public_id}/assessment", PSY_JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assessment = Assessment.objects.get()
    assert body["id"] == str(assessment.public_id)
    assert (body["act_id"], body["kind"], body["performed_on"]) == (
        str(act.public_id),
        "psy_assessment",
        "2026-06-10",
    )
    distress, hads = body["results"]
    assert distress["instrument"] == "distress_thermometer"
    assert distress["interpretation"] == {
        "code": "significant",
        "label": "Détresse significative : évaluation et orientation",
    }
    assert hads["subscores"] == {"anxiety": 15, "depression": 9}
    assert hads["sub_interpretations"]["depression"]["code"] == "doubtful"
    assert hads["version"] == "zigmond-snaith-1983"


def test_a_refusal_is_400_with_each_error(api, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    body = {
        "measures": {
            "six_minute_walk": {"distance_m": -5, "height_cm": 160, "weight_kg": 60},
            "stage_of_change": {"stage": "rêverie"},
        }
    }
    response = post(api(team.apa), f"/api/v1/acts/{act.public_id}/assessment", body)
    assert response.status_code == 400
    errors = sorted(response.json()["errors"], key=lambda e: e["field"])
    assert errors == [
        {
            "code": "instrument.value_out_of_range",
            "message": "Distance parcourue : -5 m est hors des valeurs possibles (0 à 1000).",
            "field": "six_minute_walk.distance_m",
        },
        {
            "code": "instrument.unknown_choice",
            "message": "Stade de changement : choix inconnu (precontemplation, contemplation, "
            "preparation, action, maintenance).",
            "field": "stage_of_change.stage",
        },
    ]
    assert not Assessment.objects.exists()
    assert not InstrumentRecord.objects.exists()


def test_a_viewer_who_is_not_the_performer_gets_403_and_an_outsider_404(
    api, personas, team, open_pathway
):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    url = f"/api/v1/acts/{act.public_id}/assessment"
    assert post(api(personas.coordinator), url, PSY_JSON).status_code == 403
    for who in (personas.other_coordinator, personas.outsider, team.dietitian):
        assert post(api(who), url, PSY_JSON).status_code == 404
    assert not Assessment.objects.exists()


def test_reading_an_assessment_and_the_pathways_list(api, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    assessment = assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    client = api(personas.coordinator)
    body = client.get(f"/api/v1/assessments/{assessment.public_id}").json()
    assert [r["instrument"] for r in body["results"]] == ["distress_thermometer", "hads"]
    listed = client.get(f"/api/v1/pathways/{open_pathway.public_id}/assessments").json()
    assert [a["id"] for a in listed] == [str(assessment.public_id)]
    for who in (personas.other_coordinator, personas.outsider):
        assert api(who).get(f"/api/v1/assessments/{assessment.public_id}").status_code == 404
        url = f"/api/v1/pathways/{open_pathway.public_id}/assessments"
        assert api(who).get(url).status_code == 404


def test_the_outcomes_give_first_latest_and_the_series(api, personas, team, open_pathway):
    first = book_act(personas, team, open_pathway, "psy_assessment")
    assessment_submit(by=team.psychologist, act=first, data=PSY_DATA)
    followup = book_act(personas, team, open_pathway, "psy_followup", day=FOLLOWUP_DAY)
    data = {"measures": {"distress_thermometer": {"score": 2}, "hads": HADS_FIRST_OPTIONS}}
    assessment_submit(by=team.psychologist, act=followup, data=data)
    body = api(team.psychologist).get(f"/api/v1/pathways/{open_pathway.public_id}/outcomes")
    outcomes = {o["code"]: o for o in body.json()}
    assert list(outcomes) == ["distress_thermometer", "hads_anxiety", "hads_depression"]
    distress = outcomes["distress_thermometer"]
    assert distress["first"] == {"on": "2026-06-10", "value": "4"}
    assert distress["latest"] == {"on": "2026-06-13", "value": "2"}
    assert distress["difference"] == "-2"
    assert [p["value"] for p in distress["points"]] == ["4", "2"]
    assert outcomes["hads_anxiety"]["difference"] == "0"


def test_the_list_costs_the_same_queries_for_1_or_4_assessments(
    api, personas, team, open_pathway, django_assert_num_queries
):
    client = api(personas.coordinator)
    act = book_act(personas, team, open_pathway, "psy_assessment")
    assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    url = f"/api/v1/pathways/{open_pathway.public_id}/assessments"

    def show() -> int:
        # Token (with its membership) and its last use; the pathway; the current assessments
        # with their act, pathway and author; their results.
        with django_assert_num_queries(5):
            response = client.get(url)
        assert response.status_code == 200
        return len(response.json())

    assert show() == 1
    for i in range(3):
        later = book_act(personas, team, open_pathway, "psy_followup", day=FOLLOWUP_DAY)
        assessment_submit(by=team.psychologist, act=later, data={"summary": f"Suivi {i}."})
    assert show() == 4
