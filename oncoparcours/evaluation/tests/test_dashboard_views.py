"""The dashboard page and its downloads (issue 6 §3): figures, filters, drill-down,
permissions, CSV/XLSX content, constant queries. Values from ``indicators_dataset.py``."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from oncoparcours.evaluation.tests.indicators_dataset import Dataset, dataset_fixture  # noqa: F401
from oncoparcours.evaluation.tests.test_indicators_views import build_more
from oncoparcours.pathways.tests.factories import make_directory_editor

pytestmark = pytest.mark.django_db

PAGE = reverse("evaluation:dashboard")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_rows(content: bytes, sheet: int = 0) -> list[tuple[object, ...]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return list(workbook.worksheets[sheet].iter_rows(values_only=True))


def test_the_regional_dashboard_shows_headline_figures_charts_and_the_map_table(
    dataset: Dataset, client_as
):
    response = client_as(dataset.personas.ars_analyst).get(PAGE, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    # I-1: pathways 1, 2, 3 and 5 had their first bilan in 2026.
    assert '<th scope="row">Patients inclus</th><td>4</td>' in html
    # I-13: 4 residents / 1,145,000 x 100,000 = 0.349 → 0,3. Thousands: no-break spaces.
    assert "<td>0,3</td><td>pour 100 000 habitants</td><td>4</td><td>1\xa0145\xa0000</td>" in html
    # Uncovered population 328,000 / 1,145,000 = 28.6 %.
    assert "<td>28,6</td><td>%</td><td>328\xa0000</td><td>1\xa0145\xa0000</td>" in html
    # The bar charts are SVG with a title, each followed by its table.
    assert html.count('<svg viewBox="0 0 480') == 4
    assert '<title id="chart-ages-title">Graphique : Répartition par tranche d&#x27;âge' in html
    # The map's data and its legend; the per-department table links to the drill-down.
    assert 'id="dashboard-map-data"' in html
    assert '"69": {"class": 3, "url": "?year=2026\\u0026department=69"' in html
    assert "Classe 3 : de 0,35 à 0,52 pour 100 000 habitants" in html
    assert 'href="?year=2026&amp;department=69">Rhône</a>' in html
    assert "Non calculable (hachures)" in html


def test_a_department_filter_narrows_the_figures_and_lists_its_structures(
    dataset: Dataset, client_as
):
    response = client_as(dataset.personas.ars_analyst).get(PAGE, {"year": 2026, "department": "69"})
    html = response.content.decode()
    # Rhône: pathways 1, 2 and 3.
    assert '<th scope="row">Patients inclus</th><td>3</td>' in html
    assert '<tr data-department="69" aria-current="true">' in html
    assert 'data-focus-department="69"' in html
    lyon = dataset.personas.structure
    assert f"department=69&amp;structure={lyon.public_id}" in html
    assert "3 patients inclus" in html


def test_a_structure_filter_and_an_age_group(dataset: Dataset, client_as):
    client = client_as(dataset.personas.ars_analyst)
    other = dataset.personas.other_structure
    html = client.get(PAGE, {"year": 2026, "structure": str(other.public_id)}).content.decode()
    # MSP des Volcans: pathway 5 only (pathway 6 was included in 2025).
    assert '<th scope="row">Patients inclus</th><td>1</td>' in html
    assert "MSP des Volcans — 2026" in html
    html = client.get(PAGE, {"year": 2026, "age_group": "aja"}).content.decode()
    # One AJA (pathway 2): the children and AJA share is 100 %.
    assert '<th scope="row">Part des enfants et des AJA</th><td>100</td>' in html


def test_non_computable_figures_show_their_reason(dataset: Dataset, client_as):
    html = (
        client_as(dataset.personas.ars_analyst)
        .get(PAGE, {"year": 2026, "quarter": 4})
        .content.decode()
    )
    # Nobody included in Q4 2026: the delays have no value.
    assert "<td>non calculable</td>" in html
    assert "Aucun délai mesurable sur la période." in html


def test_the_csv_of_a_block_has_the_department_figures(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(
        PAGE, {"year": 2026, "department": "69", "format": "csv", "block": "departements"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="tableau-de-bord-departements-2026.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffPérimètre;Rhône (69);Période;2026\r\n")
    # Rhône: 3 residents / 670,000 x 100,000 = 0.448 → 0,4, class 3 of the map.
    assert "\r\n69;Rhône;3;670\xa0000;0,4;3;\r\n" in text
    assert "\r\n63;Puy-de-Dôme;1;147\xa0000;0,7;4;\r\n" in text


def test_the_xlsx_of_a_block_keeps_numbers_as_numbers(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(
        PAGE, {"year": 2026, "format": "xlsx", "block": "synthese"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    rows = _xlsx_rows(response.content)
    assert rows[0][:4] == ("Périmètre", "Région", "Période", "2026")
    assert rows[1][0] == "Libellé"
    assert rows[2] == ("Patients inclus", 4, "parcours", 4, None, None)
    delay = next(r for r in rows if r[0] == "Délai médian prescription → premier bilan")
    assert delay[1] == pytest.approx(16.5)


def test_the_whole_dashboard_as_one_workbook(dataset: Dataset, client_as):
    response = client_as(dataset.personas.ars_analyst).get(
        PAGE, {"year": 2026, "format": "xlsx", "block": "tout"}
    )
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "Chiffres clés",
        "Prestations réalisées par type",
        "Répartition des prescripteurs",
        "Répartition par tranche d'âge",
        "Taux d'inclusion pour 100 000 h",
    ]
    departments = list(workbook.worksheets[4].iter_rows(values_only=True))
    rhone = next(r for r in departments if r[0] == "69")
    assert rhone[1:6] == ("Rhône", 3, 670_000, pytest.approx(0.4), 3)


def test_unknown_formats_blocks_and_bad_parameters(dataset: Dataset, client_as):
    client = client_as(dataset.personas.ars_analyst)
    assert client.get(PAGE, {"format": "pdf", "block": "synthese"}).status_code == 404
    assert client.get(PAGE, {"format": "csv", "block": "nothing"}).status_code == 404
    assert client.get(PAGE, {"format": "csv", "block": "synthese", "quarter": 5}).status_code == 400
    page = client.get(PAGE, {"quarter": 5})
    assert page.status_code == 200
    assert "Sélectionnez un choix valide" in page.content.decode()
    assert client.get(PAGE, {"department": "99"}).status_code == 404
    assert client.get(PAGE, {"structure": "not-a-uuid"}).status_code == 404


def test_a_coordinator_sees_the_same_dashboard_for_their_structure_only(
    dataset: Dataset, client_as
):
    client = client_as(dataset.personas.coordinator)
    response = client.get(PAGE, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Association Après-Cancer Lyon — 2026" in html
    # Lyon: pathways 1, 2 and 3.
    assert '<th scope="row">Patients inclus</th><td>3</td>' in html
    # Neither the other structure nor the regional map or department list.
    assert "MSP des Volcans" not in html
    assert 'name="department"' not in html
    assert "dashboard-map-data" not in html
    # Coverage is by definition for a structure: non calculable, with its reason.
    assert "Sans objet pour une structure ou un territoire" in html
    other = dataset.personas.other_structure.public_id
    assert client.get(PAGE, {"structure": str(other)}).status_code == 404
    assert client.get(PAGE, {"department": "69"}).status_code == 403
    assert client.get(PAGE, {"format": "csv", "block": "departements"}).status_code == 404
    csv = client.get(PAGE, {"year": 2026, "format": "csv", "block": "synthese"})
    assert "Association Après-Cancer Lyon" in csv.content.decode()
    forced = {"format": "csv", "block": "synthese", "structure": str(other)}
    assert client.get(PAGE, forced).status_code == 404


def test_onco_aura_sees_the_region(dataset: Dataset, client_as):
    editor = make_directory_editor(dataset.personas)
    response = client_as(editor).get(PAGE, {"year": 2026})
    assert response.status_code == 200
    assert "dashboard-map-data" in response.content.decode()


def test_outsiders_are_refused(dataset: Dataset, client_as):
    for persona in (
        dataset.personas.outsider,
        dataset.personas.psychologist,
        dataset.personas.admin,
    ):
        client = client_as(persona)
        assert client.get(PAGE).status_code == 403
        assert client.get(PAGE, {"format": "csv", "block": "synthese"}).status_code == 403


def test_the_indicators_page_offers_xlsx(dataset: Dataset, client_as):
    client = client_as(dataset.personas.ars_analyst)
    indicators = reverse("evaluation:indicators")
    page = client.get(indicators, {"year": 2026}).content.decode()
    assert f"{indicators}?year=2026&amp;format=xlsx" in page
    response = client.get(indicators, {"year": 2026, "format": "xlsx"})
    assert response["Content-Type"] == XLSX
    assert 'filename="indicateurs-region-2026.xlsx"' in response["Content-Disposition"]
    rows = _xlsx_rows(response.content)
    assert rows[0][:4] == ("Périmètre", "Région", "Période", "2026")
    i2 = next(r for r in rows if r[0] == "I-2 Prescriptions refusées" and not r[1])
    assert i2[2:4] == ("16,7 %", "1 / 6")
    outsider = client_as(dataset.personas.outsider)
    assert outsider.get(indicators, {"format": "xlsx"}).status_code == 403
    assert client.get(indicators, {"format": "xlsx", "quarter": 9}).status_code == 400


def test_query_counts_are_constant(dataset: Dataset, client_as, django_assert_num_queries):
    """Session, user, OTP device and membership (4); the department and structure lists (2);
    the indicators the dashboard draws: prescriptions, included, contacts, acts, closed
    pathways, report deliveries (6 aggregates), equity (coverage summary, residents by
    department, communes, offers: 4) and the drill-down (departments and their counts: 2)
    = 18. Below the region, the scope (1) and the region's I-13 for the map (4) come on top,
    and the drill-down lists structures instead. Medians: on PostgreSQL inside their
    aggregate; on SQLite one query of middle rows each (+4)."""
    from django.db import connection

    extra = 0 if connection.vendor == "postgresql" else 4
    client = client_as(dataset.personas.ars_analyst)
    region = {"year": 2026}
    rhone = {"year": 2026, "department": "69"}
    csv = {"year": 2026, "department": "69", "format": "csv", "block": "departements"}
    expected = {"region": 18 + extra, "rhone": 23 + extra}
    for _round in range(2):
        with django_assert_num_queries(expected["region"]):
            assert client.get(PAGE, region).status_code == 200
        with django_assert_num_queries(expected["rhone"]):
            assert client.get(PAGE, rhone).status_code == 200
        with django_assert_num_queries(expected["rhone"]):
            assert client.get(PAGE, csv).status_code == 200
        # Twice the pathways (and their acts, events and measures): the same queries.
        build_more(dataset)
