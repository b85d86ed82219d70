"""Issue 4 "Done means" in a real browser: a dietitian fills a dietetic assessment from their
workspace; the report PDF is generated and appears on the pathway page; the patient consented
to sharing with the prescriber only, so the GP gets no report and the page says why. The pages
pass the axe audit."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.pathways.services import act_book, pathway_mark_contacted
from oncoparcours.pathways.tests.factories import (
    cover,
    make_eligible_patient,
    make_prescriber,
    make_professional,
    receive,
)
from oncoparcours.patients.models import Consent, ConsentScope
from oncoparcours.reports.models import Report
from tests.browser.test_accessibility import _login, _violations, audit_page  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_dietitian_fills_an_assessment_and_the_report_follows_consent(
    audit_page: Page,  # noqa: F811
    live_server,
    personas,
    geography,
    settings,
    tmp_path,
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ONCOPARCOURS_REPORT_CHANNEL = "mssante_file"
    settings.ONCOPARCOURS_MSSANTE_OUTBOX = tmp_path / "outbox"
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
    today = timezone.localdate()
    patient = make_eligible_patient(
        personas.structure,
        geography["69123"],
        gp_name="Dr Jeanne Martin",
        active_treatment_end_date=today - datetime.timedelta(days=60),
    )
    Consent.objects.create(
        patient=patient,
        scope=ConsentScope.SHARE_REPORTS_PRESCRIBER,
        given_at=today - datetime.timedelta(days=1),
        recorded_by=personas.coordinator,
    )
    pathway = receive(
        personas.coordinator,
        patient,
        prescriber=prescriber.user,
        items=["diet_assessment"],
        prescription_date=today - datetime.timedelta(days=7),
        today=today,
    )
    pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    act = act_book(
        by=personas.coordinator,
        pathway=pathway,
        kind="diet_assessment",
        professional=dietitian.user,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        mode="in_person",
        place="Cabinet de diététique, Lyon",
    )
    page = audit_page
    base = live_server.url

    _login(page, base, dietitian.user.email)
    page.get_by_role("link", name="Mon espace", exact=True).first.click()
    assert _violations(page) == []
    page.get_by_role("link", name="Saisir", exact=True).click()
    assert _violations(page) == []
    # An impossible value is refused with a French message next to the field; nothing is kept.
    page.fill("#id_anthropometry__weight_kg", "-3")
    page.fill("#id_anthropometry__height_cm", "165")
    page.get_by_role("button", name="Enregistrer la saisie").click()
    expect(page.locator(".fr-error-text").first).to_contain_text("hors des valeurs possibles")
    assert Report.objects.count() == 0
    page.fill("#id_anthropometry__weight_kg", "54")
    page.fill("#id_anthropometry__usual_weight_kg", "61")
    page.fill("#id_anthropometry__weight_1_month_ago_kg", "57")
    page.fill("#id_summary", "Perte de poids récente : enrichissement proposé.")
    page.get_by_role("button", name="Enregistrer la saisie").click()
    # 54 / 1.65² = 19.83… → 19,8 kg/m².
    expect(page.locator("main")).to_contain_text("19,8")

    page.goto(f"{base}/parcours/{pathway.public_id}/")
    assert _violations(page) == []
    expect(page.get_by_test_id("delivery-prescriber")).to_contain_text("Envoyé")
    gp = page.get_by_test_id("delivery-gp")
    expect(gp).to_contain_text("Non envoyé : pas de consentement")
    expect(gp).to_contain_text("médecin traitant")
    link = page.get_by_role("link", name="Télécharger le PDF").first
    pdf = page.request.get(base + link.get_attribute("href"))
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    act.refresh_from_db()
    assert act.status == "done"
    # The prescriber's copy waits in the MSSanté outbox as a message with the PDF attached.
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
