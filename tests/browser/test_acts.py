"""The happy path of an act in a real browser (issue 3 "Done means"): the coordinator contacts
the patient and books an assessment, the professional completes it from the agenda, the
coordinator sees the budget and the timeline updated. The two pages pass the axe audit."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.pathways.tests.factories import (
    cover,
    make_eligible_patient,
    make_professional,
    receive,
)
from tests.browser.test_accessibility import _login, _violations, audit_page  # noqa: F401

pytestmark = pytest.mark.browser


def test_book_complete_and_see_the_budget(
    audit_page: Page,  # noqa: F811
    live_server,
    personas,
    geography,
    settings,
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    cover(personas.structure, geography["69123"], name="Lyon")
    patient = make_eligible_patient(personas.structure, geography["69123"])
    pathway = receive(personas.coordinator, patient, items=["diet_assessment", "diet_followup"])
    dietitian = make_professional(
        personas.structure,
        RoleCode.DIETITIAN,
        "dietitian",
        "dieteticienne@lyon.test",
        first_name="Sophie",
        last_name="Bernard",
    )
    page = audit_page
    base = live_server.url
    detail = f"{base}/parcours/{pathway.public_id}/"

    _login(page, base, personas.coordinator.user.email)
    page.goto(detail)
    page.get_by_role("button", name="Patient contacté").click()
    today = timezone.localdate().isoformat()
    page.select_option("#id_kind", "diet_assessment")
    page.select_option("#id_professional", label="Sophie Bernard (Diététicien)")
    page.fill("#id_starts_at", f"{today}T10:00")
    page.fill("#id_place", "Maison des patients, Lyon")
    expect(page.locator("#id_amount")).to_have_value("45.00")
    page.get_by_role("button", name="Réserver", exact=True).click()
    expect(page.get_by_test_id("budget")).to_have_text("45,00 € engagés et dépensés sur 180,00 €")
    assert _violations(page) == []

    page.context.clear_cookies()
    _login(page, base, dietitian.user.email)
    page.goto(f"{base}/parcours/agenda/")
    expect(page.get_by_role("cell", name="Bilan diététique")).to_be_visible()
    assert _violations(page) == []
    page.get_by_role("button", name="Réalisé").click()
    expect(page.get_by_text("Aucun rendez-vous réservé avec vous.")).to_be_visible()

    page.context.clear_cookies()
    _login(page, base, personas.coordinator.user.email)
    page.goto(detail)
    expect(page.get_by_test_id("pathway-status")).to_have_text("En cours")
    expect(page.get_by_test_id("budget")).to_have_text("45,00 € engagés et dépensés sur 180,00 €")
    expect(page.get_by_test_id("days-left")).to_be_visible()
    expect(page.get_by_role("cell", name="Prestation réalisée")).to_be_visible()
    expect(page.get_by_role("cell", name="Premier bilan réalisé")).to_be_visible()
