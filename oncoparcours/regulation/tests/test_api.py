"""/api/v1/regulation: values in force at a date, history, and new versions (admin)."""

from datetime import date
from decimal import Decimal

import pytest

from oncoparcours.accounts.services import api_token_create
from oncoparcours.regulation.catalogue import PARAMETERS
from oncoparcours.regulation.models import RegulatoryParameter
from oncoparcours.regulation.services import parameter_version_create

pytestmark = pytest.mark.django_db

BASE = "/api/v1/regulation/parameters"
CAP = "psgac.cap_per_patient"
# Session, user, OTP device, active membership before the endpoint.
AROUND_THE_ENDPOINT = 4
VALID = {
    "value": "200.00",
    "effective_from": "2027-01-01",
    "source": "Arrêté du 2 décembre 2026 modifiant l'arrêté du 24 décembre 2020",
}


def _items(body) -> dict[str, dict]:
    return {item["key"]: item for item in body["items"]}


def _errors(response) -> dict[str | None, str]:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


def _schedule_new_cap(personas) -> None:
    parameter_version_create(
        by=personas.admin,
        key=CAP,
        value=Decimal("200.00"),
        effective_from=date(2027, 1, 1),
        source="Arrêté fictif",
    )


# Values at a date


def test_every_member_reads_the_values_in_force_today(personas, client_as):
    response = client_as(personas.outsider).get(BASE)

    assert response.status_code == 200
    body = response.json()
    assert body["at"] == "2026-06-01"
    items = _items(body)
    assert list(items) == list(PARAMETERS)
    assert items[CAP]["value"] == "180.00"
    assert items[CAP]["unit"] == "EUR"
    assert items[CAP]["rule"] == "PSG-09"
    assert items[CAP]["effective_from"] == "2020-12-24"
    assert items["psgac.followup_max_rate"]["value"] == "22.50"
    assert items["psgac.max_followups"]["value"] == "6"
    assert items["psgac.max_followups"]["value_type"] == "integer"
    assert (
        items["age.aja_max_years"]["label"] == "Âge maximal d'un adolescent ou jeune adulte (AJA)"
    )


def test_values_at_a_date_before_and_after_a_new_version(personas, client_as):
    _schedule_new_cap(personas)
    client = client_as(personas.coordinator)

    before = _items(client.get(BASE, {"at": "2026-12-31"}).json())[CAP]
    after = _items(client.get(BASE, {"at": "2027-01-01"}).json())[CAP]
    assert (before["value"], before["effective_to"]) == ("180.00", "2026-12-31")
    assert (after["value"], after["effective_from"], after["effective_to"]) == (
        "200.00",
        "2027-01-01",
        None,
    )


def test_a_date_before_the_arrete_has_no_values(personas, client_as):
    body = client_as(personas.coordinator).get(BASE, {"at": "2020-12-23"}).json()
    assert all(item["value"] is None for item in body["items"])


def test_a_malformed_date_is_a_schema_error(personas, client_as):
    response = client_as(personas.coordinator).get(BASE, {"at": "31/12/2026"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "at"


def test_anonymous_caller_is_refused(personas, client):
    assert client.get(BASE).status_code == 401
    assert client.get(f"{BASE}/{CAP}/versions").status_code == 401


@pytest.mark.parametrize("extra", [0, 12])
def test_values_endpoint_query_count_does_not_grow_with_versions(
    personas, client_as, django_assert_num_queries, extra
):
    for year in range(extra):
        parameter_version_create(
            by=personas.admin,
            key=CAP,
            value=Decimal("200.00") + year,
            effective_from=date(2027 + year, 1, 1),
            source="Arrêté fictif",
        )
    client = client_as(personas.coordinator)
    # + 1: the versions in force that day.
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 1):
        assert client.get(BASE, {"at": "2030-06-01"}).status_code == 200


# History


def test_history_lists_versions_latest_first(personas, client_as):
    _schedule_new_cap(personas)
    body = client_as(personas.outsider).get(f"{BASE}/{CAP}/versions").json()
    assert body["count"] == 2
    assert [(v["value"], v["effective_from"], v["effective_to"]) for v in body["items"]] == [
        ("200.00", "2027-01-01", None),
        ("180.00", "2020-12-24", "2026-12-31"),
    ]
    new = RegulatoryParameter.objects.get(key=CAP, effective_from=date(2027, 1, 1))
    assert body["items"][0]["id"] == str(new.public_id)


@pytest.mark.parametrize("extra", [0, 12])
def test_history_query_count_does_not_grow_with_versions(
    personas, client_as, django_assert_num_queries, extra
):
    for year in range(extra):
        parameter_version_create(
            by=personas.admin,
            key=CAP,
            value=Decimal("200.00") + year,
            effective_from=date(2027 + year, 1, 1),
            source="Arrêté fictif",
        )
    client = client_as(personas.coordinator)
    # + 2: the count, then the page of versions.
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 2):
        assert client.get(f"{BASE}/{CAP}/versions").status_code == 200


def test_history_of_an_unknown_parameter_is_not_found(personas, client_as):
    response = client_as(personas.coordinator).get(f"{BASE}/psgac.unknown/versions")
    assert response.status_code == 404
    assert _errors(response) == {None: "not_found"}


# Create


def test_admin_adds_a_version(personas, client_as):
    response = client_as(personas.admin).post(
        f"{BASE}/{CAP}/versions", VALID, content_type="application/json"
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["key"], body["value"], body["effective_from"], body["effective_to"]) == (
        CAP,
        "200.00",
        "2027-01-01",
        None,
    )
    old = RegulatoryParameter.objects.get(key=CAP, effective_from=date(2020, 12, 24))
    assert old.effective_to == date(2026, 12, 31)


@pytest.mark.parametrize("who", ["outsider", "coordinator", "ars_analyst", "other_coordinator"])
def test_a_member_who_is_not_administrator_may_not_add_a_version(personas, client_as, who):
    before = RegulatoryParameter.objects.count()
    response = client_as(getattr(personas, who)).post(
        f"{BASE}/{CAP}/versions", VALID, content_type="application/json"
    )
    assert response.status_code == 403
    assert _errors(response) == {None: "permission.denied"}
    assert RegulatoryParameter.objects.count() == before


def test_outsider_with_an_api_token_may_not_add_a_version(personas, client):
    _token, key = api_token_create(membership=personas.outsider, name="officine")
    response = client.post(
        f"{BASE}/{CAP}/versions",
        VALID,
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 403
    assert not RegulatoryParameter.objects.filter(effective_from=date(2027, 1, 1)).exists()


def test_overlapping_version_is_refused_with_its_code_and_nothing_saved(personas, client_as):
    before = RegulatoryParameter.objects.count()
    response = client_as(personas.admin).post(
        f"{BASE}/{CAP}/versions",
        {**VALID, "effective_from": "2020-12-24"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert _errors(response) == {"effective_from": "regulation.overlap"}
    assert "ne se chevauchent pas" in response.json()["errors"][0]["message"]
    assert RegulatoryParameter.objects.count() == before
    assert RegulatoryParameter.objects.get(key=CAP).effective_to is None


def test_non_integer_count_and_negative_value_are_refused_together(personas, client_as):
    response = client_as(personas.admin).post(
        f"{BASE}/psgac.max_followups/versions",
        {**VALID, "value": "6.5", "source": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert _errors(response) == {
        "value": "regulation.not_integer",
        "source": "regulation.source_required",
    }


def test_admin_adding_to_an_unknown_parameter_gets_not_found(personas, client_as):
    response = client_as(personas.admin).post(
        f"{BASE}/psgac.unknown/versions", VALID, content_type="application/json"
    )
    assert response.status_code == 404
    assert not RegulatoryParameter.objects.filter(key="psgac.unknown").exists()
