"""The indicators page, its CSV and the API: who sees what, the JSON shape, constant queries."""

import pytest
from django.urls import reverse

from oncoparcours.evaluation.tests.indicators_dataset import Dataset, dataset_fixture  # noqa: F401
from oncoparcours.pathways.tests.factories import make_directory_editor

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluation/indicators"
PAGE = reverse("evaluation:indicators")


def test_the_ars_reads_the_regional_set_as_json(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(API, {"year": 2026})
    assert response.status_code == 200
    body = response.json()
    assert body["scope"] == {"level": "region", "id": "", "label": "Région"}
    assert body["period"] == {
        "year": 2026,
        "quarter": None,
        "start": "2026-01-01",
        "end": "2026-12-31",
    }
    i2 = body["indicators"][1]
    assert i2["code"] == "I-2"
    # 1 refused / 6 received (test_indicators.py).
    assert (i2["value"], i2["numerator"], i2["denominator"], i2["unit"]) == (16.7, 1.0, 6, "%")
    assert i2["computable"] is True
    assert i2["definition"].startswith("Numérateur")
    assert [i["code"] for i in body["indicators"]] == [f"I-{n}" for n in range(1, 17)]
    i16 = body["indicators"][15]
    assert i16["computable"] is False
    assert i16["value"] is None
    assert "questionnaire" in i16["reason"]
    assert {c["id"] for c in body["children"]} >= {"69", "63"}


def test_one_indicator_one_department_one_quarter(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(
        API, {"scope": "department", "id": "69", "indicator": "I-1", "year": 2026, "quarter": 1}
    )
    body = response.json()
    # Rhône, first quarter: pathways 1 (01-20) and 2 (02-15).
    assert [(i["code"], i["value"]) for i in body["indicators"]] == [("I-1", 2.0)]
    assert body["period"]["end"] == "2026-03-31"


def test_onco_aura_reads_every_scope(dataset: Dataset, client_as):
    editor = make_directory_editor(dataset.personas)
    other = dataset.personas.other_structure.public_id
    response = client_as(editor).get(API, {"scope": "structure", "id": str(other), "year": 2026})
    assert response.status_code == 200


def test_a_coordinator_is_locked_to_their_structure(dataset: Dataset, client_as):
    client = client_as(dataset.personas.coordinator)
    own = client.get(API, {"year": 2026})
    assert own.json()["scope"]["label"] == "Association Après-Cancer Lyon"
    territory = client.get(
        API, {"scope": "territory", "id": str(dataset.lyon_territory.public_id), "year": 2026}
    )
    assert territory.status_code == 200
    other = dataset.personas.other_structure.public_id
    assert client.get(API, {"scope": "structure", "id": str(other)}).status_code == 404
    assert client.get(API, {"scope": "region"}).status_code == 403
    assert client.get(API, {"scope": "department", "id": "69"}).status_code == 403
    assert client.get(PAGE, {"scope": "structure", "id": str(other)}).status_code == 404
    assert client.get(PAGE, {"scope": "region"}).status_code == 403


def test_outsiders_are_refused(dataset: Dataset, client_as):
    for persona in (
        dataset.personas.outsider,
        dataset.personas.psychologist,
        dataset.personas.admin,
    ):
        client = client_as(persona)
        assert client.get(API).status_code == 403
        assert client.get(f"{API}/definitions").status_code == 403
        assert client.get(PAGE).status_code == 403
        assert client.get(reverse("evaluation:indicators-csv")).status_code == 403


def test_unknown_scope_ids_and_bad_parameters(dataset: Dataset, client_as):
    client = client_as(dataset.personas.ars_analyst)
    assert client.get(API, {"scope": "department", "id": "99"}).status_code == 404
    assert client.get(API, {"scope": "structure", "id": "not-a-uuid"}).status_code == 404
    bad = client.get(API, {"quarter": 5})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "quarter"


def test_definitions_endpoint(dataset: Dataset, client_as):
    body = client_as(dataset.personas.ars_analyst).get(f"{API}/definitions").json()
    assert [d["id"] for d in body] == [f"I-{n}" for n in range(1, 17)]
    assert body[0]["title"] == "Patients inclus"


def test_the_page_shows_values_reasons_definitions_and_drill_down(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(PAGE, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "16,7 %" in html  # I-2, French decimals
    assert "non calculable" in html  # I-16
    assert "le questionnaire de satisfaction n&#x27;est pas encore recueilli" in html
    assert "<details>" in html
    assert "?scope=department&amp;id=69&amp;year=2026" in html


def test_the_csv_uses_semicolons_bom_and_french_decimals(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(
        reverse("evaluation:indicators-csv"), {"year": 2026}
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert "I-2 Prescriptions refusées;;16,7 %;1 / 6;;" in text
    assert "I-16 Satisfaction des patients;;non calculable;;Non calculable" in text


def test_query_counts_are_constant(dataset: Dataset, client_as, django_assert_num_queries):
    """The regional set is a fixed number of queries, whatever the number of rows: session,
    user, OTP device and membership (4); prescriptions,
    included, contacts, acts, closed pathways, report deliveries, contracts (7 aggregates);
    equity: coverage summary, residents by department, communes, offers (4); outcomes (1); APA
    (1); drill-down: departments and their counts (2) = 19. Medians: on PostgreSQL inside their
    aggregate; on SQLite one query of middle rows each (+4)."""
    from django.db import connection

    expected = 19 if connection.vendor == "postgresql" else 23
    client = client_as(dataset.personas.ars_analyst)
    with django_assert_num_queries(expected):
        assert client.get(API, {"year": 2026}).status_code == 200
    with django_assert_num_queries(expected):
        assert client.get(PAGE, {"year": 2026}).status_code == 200
    # Twice the pathways (and their acts, events and measures): the same queries.
    build_more(dataset)
    with django_assert_num_queries(expected):
        assert client.get(API, {"year": 2026}).status_code == 200
    with django_assert_num_queries(expected):
        assert client.get(PAGE, {"year": 2026}).status_code == 200


def build_more(data: Dataset) -> None:
    from datetime import date

    from oncoparcours.evaluation.tests.indicators_dataset import Builder

    b = Builder(data.personas, data.personas.psychologist)
    commune = data.personas.structure.commune
    assert commune is not None
    for n in range(1, 8):
        pathway = b.pathway(
            structure=data.personas.structure, commune=commune, age_group="adult",
            cancer_site="C50", prescribed=date(2026, 3, n), specialty="oncology",
            treatment_end=date(2026, 1, n), status="completed", contacted=date(2026, 3, 10 + n),
            first_assessment=date(2026, 4, n), closed=date(2026, 9, n),
        )  # fmt: skip
        act = b.act(pathway, "apa_assessment", date(2026, 4, n), "45.00")
        b.measure(act, date(2026, 4, n), {"six_minute_walk": "300"})
