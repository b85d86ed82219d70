"""The PSGAC happy path in a real browser (issue 3 "Done means"): the prescriber prescribes with
their own form, the coordinator finds the prescription in the worklist, contacts the patient
and books an assessment, the professional completes it from the agenda, the coordinator sees
the budget and the timeline updated. The pages pass the axe audit."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.tests.factories import cover, make_prescriber, make_professional
from tests.browser.test_accessibility import _login, _violations, audit_page  # noqa: F401

pytestmark = pytest.mark.browser


def test_prescribe_book_complete_and_see_the_budget(
    audit_page: Page,  # noqa: F811
    live_server,
    personas,
    geography,
    settings,
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    cover(personas.structure, geography["69123"], name="Lyon")
    prescriber = make_prescriber(personas)
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
    today = timezone.localdate().isoformat()

    _login(page, base, prescriber.user.email)
    page.get_by_role("link", name="Prescrire", exact=True).first.click()
    assert _violations(page) == []
    page.fill("#id_birth_name", "Lagarde")
    page.fill("#id_first_given_name", "Sophie")
    page.fill("#id_birth_date", "1969-05-12")
    page.select_option("#id_sex", "F")
    page.fill("#id_commune_insee", "69123")
    # DSFR draws its own boxes: a person clicks the label.
    page.locator("label[for=id_ald_cancer]").click()
    page.fill("#id_cancer_site", "C50")
    page.fill("#id_active_treatment_end_date", today)
    page.locator("label", has_text="Bilan diététique").click()
    page.locator("label", has_text="Consultation de suivi diététique").click()
    page.fill("#id_prescription_date", today)
    expect(page.locator("#id_ald_cancer")).to_be_checked()
    page.get_by_role("button", name="Transmettre la prescription").click()
    expect(page.get_by_test_id("pathway-status")).to_have_text("Éligible, patient à contacter")
    pathway = Pathway.objects.get()
    detail = f"{base}/parcours/{pathway.public_id}/"

    page.context.clear_cookies()
    _login(page, base, personas.coordinator.user.email)
    page.goto(f"{base}/parcours/?bucket=new")
    page.get_by_role("link", name="LAGARDE Sophie").click()
    expect(page).to_have_url(detail)
    page.get_by_role("button", name="Patient contacté").click()
    page.select_option("#id_kind", "diet_assessment")
    page.select_option("#id_professional", label="Sophie Bernard (Diététicien)")
    page.fill("#id_starts_at", f"{today}T10:00")
    page.fill("#id_place", "Maison des patients, Lyon")
    # Left empty, the amount is the professional's contract rate, else the maximum (PSG-07):
    # Sophie has no contract, so the bilan is booked at 45,00 €.
    expect(page.locator("#id_amount")).to_have_value("")
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
    expect(page.get_by_role("cell", name="Prestation réalisée", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Premier bilan réalisé")).to_be_visible()
