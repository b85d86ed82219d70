"""The evaluation dashboard in a real browser (issue 6 §3 "Done means"): the ARS analyst opens
the regional dashboard, filters a department, downloads a CSV of its figures and drills down
from the map; a coordinator sees only their structure. The map is drawn from static outlines
without any tile server, under the app's CSP; the page passes the axe audit."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from oncoparcours.evaluation.tests.indicators_dataset import Dataset, dataset_fixture  # noqa: F401
from tests.browser.test_accessibility import _login, _violations, audit_page  # noqa: F401
from tests.browser.test_directory import csp_errors  # noqa: F401

pytestmark = pytest.mark.browser

DASHBOARD = "/evaluation/tableau-de-bord/"


def test_the_ars_analyst_filters_a_department_and_downloads_its_figures(
    page: Page,
    audit_page: Page,  # noqa: F811
    live_server,
    dataset: Dataset,
    settings,
    csp_errors,  # noqa: F811
    tmp_path: Path,
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    base = live_server.url
    _login(page, base, dataset.personas.ars_analyst.user.email)
    page.goto(f"{base}{DASHBOARD}?year=2026")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Tableau de bord du parcours de soins global après cancer"
    )
    expect(page.get_by_test_id("dashboard-scope")).to_have_text("Région — 2026")
    # The map: department outlines filled by class, labelled with the class number, no tile.
    canvas = page.get_by_role("region", name="Carte du taux d\u2019inclusion par département")
    expect(canvas).to_be_visible()
    expect(canvas.locator("path.op-choro-area--69")).to_be_attached()
    expect(canvas.locator(".op-choro-label").first).to_be_visible()
    assert canvas.locator(".leaflet-tile").count() == 0

    page.get_by_label("Département", exact=True).select_option(label="69 Rhône")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_test_id("dashboard-scope")).to_have_text("Rhône (69) — 2026")
    synthesis = page.get_by_test_id("table-synthese")
    expect(synthesis.get_by_role("row", name=re.compile("^Patients inclus"))).to_contain_text("3")
    expect(page.get_by_test_id("dashboard-structures")).to_contain_text(
        "Association Après-Cancer Lyon — 3 patients inclus"
    )
    dashboard_url = page.url

    with page.expect_download() as info:
        page.get_by_role(
            "link",
            name="Télécharger « Taux d'inclusion pour 100 000 habitants par département » (CSV)",
        ).click()
    download = info.value
    assert download.suggested_filename == "tableau-de-bord-departements-2026.csv"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    assert text.startswith("Périmètre;Rhône (69);Période;2026")
    # Rhône: 3 included residents / 670,000 inhabitants x 100,000 = 0,4, class 3.
    assert "69;Rhône;3;670\xa0000;0,4;3;" in text

    # Drill-down from the map: a click on Puy-de-Dôme filters the dashboard to it.
    page.get_by_role("region", name="Carte du taux d\u2019inclusion par département").locator(
        "path.op-choro-area--63"
    ).click()
    expect(page.get_by_test_id("dashboard-scope")).to_have_text("Puy-de-Dôme (63) — 2026")
    assert "department=63" in page.url
    assert csp_errors == []

    _login(audit_page, base, dataset.personas.ars_analyst.user.email)
    audit_page.goto(dashboard_url)
    assert _violations(audit_page) == []


def test_a_coordinator_sees_only_their_structure(
    page: Page,
    live_server,
    dataset: Dataset,
    settings,
    csp_errors,  # noqa: F811
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    base = live_server.url
    _login(page, base, dataset.personas.coordinator.user.email)
    page.goto(f"{base}{DASHBOARD}?year=2026")
    expect(page.get_by_test_id("dashboard-scope")).to_have_text(
        "Association Après-Cancer Lyon — 2026"
    )
    synthesis = page.get_by_test_id("table-synthese")
    expect(synthesis.get_by_role("row", name=re.compile("^Patients inclus"))).to_contain_text("3")
    structure = page.get_by_label("Structure porteuse")
    expect(structure.locator("option")).to_have_text(["Toutes", "Association Après-Cancer Lyon"])
    expect(page.get_by_label("Département", exact=True)).to_have_count(0)
    assert "MSP des Volcans" not in page.content()
    expect(page.locator("[data-op-choropleth]")).to_have_count(0)

    other = dataset.personas.other_structure.public_id
    refused = page.goto(f"{base}{DASHBOARD}?structure={other}")
    assert refused is not None
    assert refused.status == 404
    refused = page.goto(f"{base}{DASHBOARD}?department=63")
    assert refused is not None
    assert refused.status == 403
    assert [e for e in csp_errors if "404" not in e and "403" not in e] == []
