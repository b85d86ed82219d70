"""The acts through the REST API: 201 with the act, 422 with the rule IDs (nothing saved), the
budget on GET /pathways/{id} to the cent (issue 3 §9)."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest

from oncoparcours.accounts.services import api_token_create
from oncoparcours.pathways.models import Act, PathwayEvent
from oncoparcours.pathways.tests.test_acts import FIRST_DAY, at, book

URL = "/api/v1/pathways"


def post(client, url, data=None):
    return client.post(url, data=json.dumps(data or {}), content_type="application/json")


def client_for(client_factory, membership):
    _token, key = api_token_create(membership=membership, name="SIH")
    client = client_factory()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def as_api():
    from django.test import Client

    return lambda membership: client_for(Client, membership)


@pytest.fixture
def api(as_api, personas):
    return as_api(personas.coordinator)


def act_body(team, kind="diet_assessment", amount="45.00", day=FIRST_DAY, who=None):
    professional = who or (
        team.dietitian
        if kind.startswith("diet")
        else team.apa
        if kind.startswith("apa")
        else team.psychologist
    )
    return {
        "kind": kind,
        "professional_id": str(professional.user.public_id),
        "starts_at": at(day).isoformat(),
        "mode": "in_person",
        "place": "Maison des patients, Lyon",
        "amount": amount,
    }


def book_url(pathway):
    return f"{URL}/{pathway.public_id}/acts"


def refused(api, pathway, body):
    before = (Act.objects.count(), PathwayEvent.objects.count())
    response = post(api, book_url(pathway), body)
    assert response.status_code == 422, response.content
    assert (Act.objects.count(), PathwayEvent.objects.count()) == before
    return [e["code"] for e in response.json()["errors"]]


def test_booking_returns_201_with_the_act(api, team, open_pathway):
    response = post(api, book_url(open_pathway), act_body(team))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "diet_assessment"
    assert data["amount"] == "45.00"
    assert data["status"] == "booked"
    assert data["duration_minutes"] == 60
    assert data["professional_id"] == str(team.dietitian.user.public_id)
    assert Act.objects.get().public_id.hex == data["id"].replace("-", "")


def test_the_seventh_followup_returns_422_psg_05(api, personas, team, open_pathway):
    for _ in range(6):
        book(personas, team, open_pathway, "psy_followup", Decimal("10.00"), FIRST_DAY)
    assert refused(api, open_pathway, act_body(team, "diet_followup", "10.00")) == ["PSG-05"]


def test_passing_the_cap_returns_422_psg_09(api, personas, team, open_pathway):
    for kind in ("apa_assessment", "diet_assessment", "psy_assessment", "psy_followup"):
        book(personas, team, open_pathway, kind)
    book(personas, team, open_pathway, "diet_followup")
    assert refused(api, open_pathway, act_body(team, "psy_followup", "22.50")) == ["PSG-09"]


def test_a_second_dietetic_assessment_returns_422_psg_10(api, personas, team, open_pathway):
    book(personas, team, open_pathway, "diet_assessment")
    assert refused(api, open_pathway, act_body(team)) == ["PSG-10"]


def test_an_act_after_the_deadline_returns_422_psg_06(api, personas, team, open_pathway):
    first = book(personas, team, open_pathway, "psy_assessment")
    assert (
        post(api, f"{URL}/acts/{first.public_id}/complete", {"done_on": "2026-06-10"}).status_code
        == 200
    )
    late = date(2027, 6, 11)
    assert refused(api, open_pathway, act_body(team, "psy_followup", "22.50", late)) == ["PSG-06"]


def test_a_rate_of_45_01_returns_422_psg_07(api, team, open_pathway):
    codes = refused(api, open_pathway, act_body(team, amount="45.01"))
    assert codes == ["PSG-07"]
    error = post(api, book_url(open_pathway), act_body(team, amount="45.01")).json()["errors"][0]
    assert (error["field"], "45,00 €" in error["message"]) == ("amount", True)


def test_an_unqualified_professional_returns_422_psg_12(api, team, open_pathway):
    codes = refused(api, open_pathway, act_body(team, "psy_assessment", who=team.dietitian))
    assert codes == ["PSG-12"]


@pytest.mark.parametrize(
    ("assessments", "followups"),
    [
        (["diet_assessment"], 6),
        (["diet_assessment", "psy_assessment"], 4),
        (["diet_assessment", "psy_assessment", "apa_assessment"], 2),
    ],
)
def test_the_combinations_within_the_cap_are_accepted(
    api, team, open_pathway, assessments, followups
):
    for kind in assessments:
        assert post(api, book_url(open_pathway), act_body(team, kind)).status_code == 201
    for i in range(followups):
        kind = "psy_followup" if i % 2 else "diet_followup"
        body = act_body(team, kind, "22.50", FIRST_DAY + timedelta(days=7 * (i + 1)))
        assert post(api, book_url(open_pathway), body).status_code == 201
    budget = api.get(f"{URL}/{open_pathway.public_id}").json()["budget"]
    assert budget == {
        "cap": "180.00",
        "committed": "180.00",
        "spent": "0.00",
        "remaining": "0.00",
        "followups_used": followups,
    }


def test_the_pathway_shows_its_budget_and_acts_to_the_cent(api, personas, team, open_pathway):
    done = book(personas, team, open_pathway, "diet_assessment", Decimal("44.99"))
    booked = book(personas, team, open_pathway, "diet_followup", Decimal("22.33"))
    cancelled = book(personas, team, open_pathway, "psy_followup", Decimal("21.01"))
    assert (
        post(api, f"{URL}/acts/{done.public_id}/complete", {"done_on": "2026-06-10"}).status_code
        == 200
    )
    response = post(api, f"{URL}/acts/{cancelled.public_id}/cancel", {"reason": "Empêchement."})
    assert response.json()["status"] == "cancelled"
    data = api.get(f"{URL}/{open_pathway.public_id}").json()
    assert data["status"] == "active"
    assert data["deadline"] == "2027-06-10"
    assert data["budget"] == {
        "cap": "180.00",
        "committed": "22.33",
        "spent": "44.99",
        "remaining": "112.68",
        "followups_used": 1,
    }
    assert [(a["id"], a["status"]) for a in data["acts"]] == [
        (str(done.public_id), "done"),
        (str(booked.public_id), "booked"),
        (str(cancelled.public_id), "cancelled"),
    ]


def test_reschedule_and_no_show(api, personas, team, open_pathway):
    act = book(personas, team, open_pathway, "psy_followup")
    new = at(date(2026, 6, 17), 15).isoformat()
    response = post(api, f"{URL}/acts/{act.public_id}/reschedule", {"starts_at": new})
    assert response.status_code == 200, response.content
    response = post(api, f"{URL}/acts/{act.public_id}/no-show")
    assert response.json()["status"] == "no_show"
    response = post(api, f"{URL}/acts/{act.public_id}/cancel", {"reason": "Trop tard."})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "act.not_booked"


def test_the_professional_completes_their_own_act(as_api, personas, team, open_pathway):
    act = book(personas, team, open_pathway, "psy_assessment")
    client = as_api(team.psychologist)
    assert post(client, f"{URL}/acts/{act.public_id}/cancel", {"reason": "x"}).status_code == 403
    response = post(client, f"{URL}/acts/{act.public_id}/complete", {"done_on": "2026-06-10"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"


@pytest.mark.parametrize("who", ["other_coordinator", "outsider", "ars_analyst"])
def test_others_are_refused_on_every_act_endpoint(as_api, personas, team, open_pathway, who):
    act = book(personas, team, open_pathway, "psy_assessment")
    client = as_api(getattr(personas, who))
    assert post(client, book_url(open_pathway), act_body(team)).status_code in (403, 404)
    for action, body in (
        ("complete", {}),
        ("cancel", {"reason": "Intrus."}),
        ("no-show", {}),
        ("reschedule", {"starts_at": at(FIRST_DAY).isoformat()}),
    ):
        response = post(client, f"{URL}/acts/{act.public_id}/{action}", body)
        assert response.status_code == 404, (action, response.status_code)
    act.refresh_from_db()
    assert act.status == "booked"
    assert Act.objects.count() == 1


def test_the_pathway_read_costs_the_same_queries_for_1_or_5_acts(
    api, personas, team, open_pathway, django_assert_num_queries
):
    url = f"{URL}/{open_pathway.public_id}"

    def read() -> None:
        # Token lookup and its last-used update; the pathway joined with patient, commune,
        # structure, prescription (and prescriber, override author); its events with authors;
        # its acts with professionals; its referrals with their offers.
        with django_assert_num_queries(6):
            assert api.get(url).status_code == 200

    book(personas, team, open_pathway, "diet_assessment")
    read()
    for i in range(4):
        book(personas, team, open_pathway, "psy_followup", day=FIRST_DAY + timedelta(days=i + 1))
    read()
