"""Coverage page and CSV: communes of a department, the structures porteuses covering them,
the population left uncovered, and the distance to the nearest offer of each care type."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.territories.services import territory_create
from oncoparcours.territories.tests.conftest import request_overhead

pytestmark = pytest.mark.django_db

COVERAGE = reverse("directory:coverage")
CSV = reverse("directory:coverage-csv")


@pytest.fixture
def rhone(personas, geography):
    """Lyon covered by the Lyon structure, Villeurbanne not; one psychological offer at Lyon's
    town hall. Villeurbanne (45.7667, 4.8803) is 3.55 km from it: Δlon 0.0458° * cos(45.77°)
    * 111.19 km = 3.553 km, Δlat 0.0009° = 0.100 km, √(3.553² + 0.100²) = 3.554 km."""
    territory_create(
        by=personas.coordinator,
        structure=personas.structure,
        name="Lyon centre",
        commune_codes=["69123"],
    )
    make_offer("Psy Lyon", commune=geography["69123"], care_type="psychological")


def test_department_table_lists_coverage_population_and_nearest_distances(
    client_as, personas, rhone
):
    response = client_as(personas.ars_analyst).get(COVERAGE, {"departement": "69"})
    assert response.status_code == 200
    table = response.context["table"]
    rows = {row.commune.name: row for row in table.rows}
    assert rows["Lyon"].structures == ["Association Après-Cancer Lyon"]
    assert rows["Villeurbanne"].covered is False
    assert table.uncovered_population == 150000
    assert rows["Lyon"].nearest_km["psychological"] == pytest.approx(0.0, abs=1e-6)
    assert rows["Villeurbanne"].nearest_km["psychological"] == pytest.approx(3.554, abs=0.001)
    assert rows["Villeurbanne"].nearest_km["apa"] is None
    page = response.content.decode()
    assert "Non couvertes : 1 communes, 150" in page
    assert "Non couverte" in page


def test_map_markers_say_covered_or_not_in_words_too(client_as, personas, rhone):
    response = client_as(personas.admin).get(COVERAGE, {"departement": "69"})
    match = re.search(
        r'<script id="coverage-map-data" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match
    markers = {m["label"]: m["kind"] for m in json.loads(match.group(1))["markers"]}
    assert markers == {
        "Lyon : couverte (Association Après-Cancer Lyon)": "covered",
        "Villeurbanne : non couverte": "uncovered",
    }
    assert "Commune non couverte (cercle vide)" in response.content.decode()


def test_without_a_department_the_page_shows_the_regional_summary(client_as, editor, rhone):
    response = client_as(editor).get(COVERAGE)
    assert response.context["table"] is None
    departments = {d.code: d for d in response.context["summary"].departments}
    assert departments["69"].uncovered_communes == 1


def test_csv_download_has_one_row_per_commune(client_as, editor, rhone):
    response = client_as(editor).get(CSV, {"departement": "69"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="couverture-69.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == [
        "Code INSEE",
        "Commune",
        "Population",
        "Couverte",
        "Structures porteuses",
    ]
    assert rows[0][5] == "Distance (km) : Prise en charge de la douleur"
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["69123"][3:5] == ["oui", "Association Après-Cancer Lyon"]
    assert by_code["69266"][3] == "non"
    psychological = rows[0].index("Distance (km) : Soutien psychologique")
    assert by_code["69266"][psychological] == "3,6"
    assert client_as(editor).get(CSV).status_code == 400


def test_coverage_query_count_does_not_grow_with_communes_or_offers(
    client_as, editor, rhone, geography, django_assert_num_queries
):
    client = client_as(editor)
    overhead = request_overhead(client)
    # + departments of the filter, the department, its communes, their territory links,
    # the located offers.
    with django_assert_num_queries(overhead + 5):
        client.get(COVERAGE, {"departement": "69"})
    for index in range(10):
        make_offer(f"APA {index}", commune=geography["69266"], care_type="apa")
    with django_assert_num_queries(overhead + 5):
        client.get(COVERAGE, {"departement": "69"})


@pytest.mark.parametrize("who", ["coordinator", "psychologist", "outsider"])
def test_coverage_refuses_roles_without_a_regional_view(client_as, personas, rhone, who):
    client = client_as(getattr(personas, who))
    assert client.get(COVERAGE, {"departement": "69"}).status_code == 403
    assert client.get(CSV, {"departement": "69"}).status_code == 403
