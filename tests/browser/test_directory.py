"""The supportive-care directory in a real browser (issue 5 "Done means"): an anonymous visitor
finds a free psychological support offer for AJA within 30 km of a commune and opens its page;
a coordinator opens the directory from a pathway and attaches an offer. The map is drawn from
static outlines and markers, without any tile server, under the app's CSP; both public pages
pass the axe audit."""

import re
from datetime import date

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect

from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.pathways.tests.factories import cover, make_eligible_patient, receive
from tests.browser.test_accessibility import _login, _violations, audit_page  # noqa: F401

pytestmark = pytest.mark.browser

WANTED = "Soutien psychologique jeunes adultes — Lyon"


@pytest.fixture
def offers(geography):
    """Around Villeurbanne (45.7667, 4.8803): the wanted offer in Lyon (3.06 km), and offers
    that one filter each rules out."""
    lyon = geography["69123"]
    wanted = make_offer(
        WANTED,
        commune=lyon,
        at=(45.7597, 4.8422),
        care_type="psychological",
        audiences=("aja",),
        cost="free",
        address="10 rue de la Part-Dieu",
        postal_code="69003",
        phone="04 72 00 00 01",
    )
    make_offer("Psychologue libéral", commune=lyon, audiences=("aja",), cost="copayment")
    make_offer("Groupe de parole adultes", commune=lyon, audiences=("adults",))
    make_offer("Sophrologie AJA", commune=lyon, audiences=("aja",), care_type="socio_esthetics")
    make_offer("Soutien AJA Saint-Étienne", commune=geography["42218"], audiences=("aja",))
    return wanted


# Every console error fails the test: a CSP refusal, an error in DSFR, Leaflet or our scripts.
_FOREIGN: tuple[str, ...] = ()


@pytest.fixture
def csp_errors(page: Page) -> list[str]:
    """Console errors of the page (CSP enforced: this context does not bypass it)."""
    errors: list[str] = []

    def keep(text: str) -> None:
        if not any(foreign in text for foreign in _FOREIGN):
            errors.append(text)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            keep(f"{message.text} @ {message.location.get('url', '')}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: keep(f"{error} {error.stack}"))
    return errors


def test_anonymous_visitor_finds_a_free_psychological_offer_for_aja_and_opens_it(
    page: Page,
    audit_page: Page,  # noqa: F811
    live_server,
    offers,
    csp_errors,
):
    base = live_server.url
    page.goto(f"{base}/repertoire/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Répertoire régional des soins de support"
    )
    # Geolocation exists in Chromium: the script reveals the button (the page works without).
    expect(page.get_by_role("button", name="Autour de moi")).to_be_visible()

    page.get_by_label("Commune ou code postal").fill("Villeur")
    expect(page.locator("#commune-suggestions option").first).to_have_attribute(
        "value", "Villeurbanne (69266)"
    )
    page.get_by_label("Commune ou code postal").fill("Villeurbanne (69266)")
    page.get_by_label("Soin de support").select_option(label="Soutien psychologique")
    page.get_by_label("Public", exact=True).select_option(
        label="Adolescents et jeunes adultes (AJA)"
    )
    page.get_by_label("Coût pour la personne").select_option(label="Gratuit")
    page.get_by_label("Distance maximale").select_option(label="30 km")
    page.get_by_role("button", name="Rechercher").click()

    expect(page.get_by_test_id("result-count")).to_have_text("1 offre trouvée")
    results = page.get_by_test_id("results")
    expect(results.get_by_role("link", name=re.compile(WANTED))).to_be_visible()
    expect(results.get_by_test_id("distance")).to_have_text("3,1 km")

    # The map: department outlines (SVG paths) and one keyboard-reachable marker link, no tile.
    map_region = page.get_by_role("region", name="Carte des résultats de cette page")
    expect(map_region).to_be_visible()
    expect(map_region.locator("path.leaflet-interactive, svg path").first).to_be_attached()
    marker = map_region.get_by_role("link", name=re.compile(f"1. {WANTED}"))
    expect(marker).to_have_attribute("href", f"/repertoire/offres/{offers.public_id}/")
    assert map_region.locator(".leaflet-tile").count() == 0
    marker.focus()
    expect(marker).to_be_focused()
    search_url = page.url

    results.get_by_role("link", name=re.compile(WANTED)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(WANTED)
    expect(page.get_by_test_id("care-type")).to_have_text("Soutien psychologique")
    expect(page.get_by_test_id("cost")).to_have_text("Gratuit")
    expect(page.get_by_test_id("audiences")).to_have_text("Adolescents et jeunes adultes (AJA)")
    expect(page.get_by_test_id("address")).to_contain_text("69003 Lyon (Rhône)")
    expect(page.get_by_role("link", name="04 72 00 00 01")).to_be_visible()
    expect(page.get_by_role("region", name="Carte : lieu de l\u2019offre")).to_be_visible()
    offer_url = page.url
    assert csp_errors == []

    for url in (search_url, offer_url):
        audit_page.goto(url)
        assert _violations(audit_page) == [], url


def test_search_page_works_without_javascript(browser: Browser, live_server, offers):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server.url}/repertoire/?lieu=69100&rayon=30&public=aja&cout=free")
    expect(page.get_by_test_id("result-count")).to_have_text("2 offres trouvées")
    expect(page.get_by_test_id("results").get_by_role("link").first).to_contain_text(WANTED)
    # The map stays hidden; "Autour de moi" needs the script, so it stays hidden too.
    expect(page.locator("figure[data-op-map]")).to_be_hidden()
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
    context.close()


def test_coordinator_opens_the_directory_from_a_pathway_and_attaches_an_offer(
    page: Page, live_server, personas, geography, offers, settings, csp_errors
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    cover(personas.structure, geography["69266"], name="Villeurbanne")
    patient = make_eligible_patient(
        personas.structure, geography["69266"], birth_date=date(2005, 3, 1)
    )
    pathway = receive(personas.coordinator, patient)
    base = live_server.url

    _login(page, base, personas.coordinator.user.email)
    page.goto(f"{base}/parcours/{pathway.public_id}/")
    page.get_by_role("link", name="Chercher une offre près du domicile du patient").click()

    expect(page.get_by_test_id("referral-context")).to_be_visible()
    expect(page.get_by_label("Commune ou code postal")).to_have_value("Villeurbanne (69266)")
    page.get_by_label("Soin de support").select_option(label="Soutien psychologique")
    page.get_by_role("button", name="Rechercher").click()
    first = page.get_by_test_id("results").locator("li").first
    expect(first).to_contain_text(WANTED)
    first.get_by_label("Note pour le parcours (facultatif)").fill("Proche du domicile")
    first.get_by_role("button", name="Orienter le patient vers cette offre").click()

    expect(page).to_have_url(f"{base}/parcours/{pathway.public_id}/")
    expect(page.get_by_text("Orientation enregistrée dans le parcours.")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Proche du domicile"))
    expect(row).to_contain_text("Soutien psychologique")
    expect(row.get_by_role("link")).to_have_attribute(
        "href", f"/repertoire/offres/{offers.public_id}/"
    )
    assert csp_errors == []


def test_editor_and_coverage_pages_have_no_serious_accessibility_violation(
    audit_page: Page,  # noqa: F811
    live_server,
    personas,
    offers,
    settings,
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    _login(audit_page, live_server.url, personas.admin.user.email)
    offer = f"/repertoire/offres/{offers.public_id}"
    for path in (
        "/repertoire/gestion/",
        "/repertoire/gestion/nouvelle/",
        f"{offer}/modifier/",
        f"{offer}/historique/",
        "/repertoire/propositions/",
        "/repertoire/import/",
        "/repertoire/couverture/",
        "/repertoire/couverture/?departement=69",
    ):
        audit_page.goto(f"{live_server.url}{path}")
        assert _violations(audit_page) == [], path


def test_around_me_searches_from_the_position_the_visitor_allows(
    browser: Browser, live_server, offers
):
    context = browser.new_context(
        locale="fr-FR",
        geolocation={"latitude": 45.7667, "longitude": 4.8803},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/repertoire/")
    page.get_by_label("Public", exact=True).select_option(
        label="Adolescents et jeunes adultes (AJA)"
    )
    page.get_by_label("Coût pour la personne").select_option(label="Gratuit")
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.get_by_test_id("result-count")).to_have_text("2 offres trouvées")
    expect(page.get_by_test_id("results").get_by_test_id("distance").first).to_have_text("3,1 km")
    expect(page.get_by_text("Recherche autour de votre position.")).to_be_visible()
    context.close()


def test_coordinator_toggles_communes_of_a_territory_on_the_map(
    page: Page, live_server, personas, geography, settings, csp_errors
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    _login(page, live_server.url, personas.coordinator.user.email)
    page.goto(f"{live_server.url}/territoires/nouveau/")
    communes = page.get_by_label(re.compile("^Communes"))
    communes.fill("69123")
    page.get_by_label("Département affiché sur la carte").select_option("69")
    canvas = page.get_by_role("region", name="Carte des communes du département")
    expect(canvas).to_be_visible()
    villeurbanne = canvas.locator("path.op-commune-69266")
    lyon = canvas.locator("path.op-commune-69123")
    # Lyon is in the list, so its disc is filled; Villeurbanne's is empty.
    expect(lyon).to_have_attribute("fill-opacity", "0.85")
    expect(villeurbanne).to_have_attribute("fill-opacity", "0")
    villeurbanne.click()
    expect(communes).to_have_value("69123\n69266")
    expect(page.get_by_role("status").filter(has_text="Villeurbanne")).to_have_text(
        "Villeurbanne ajoutée au territoire."
    )
    expect(villeurbanne).to_have_attribute("fill-opacity", "0.85")
    villeurbanne.click()
    expect(communes).to_have_value("69123")
    assert csp_errors == []
