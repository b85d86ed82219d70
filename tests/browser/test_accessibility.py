"""Automated accessibility audit (axe-core, WCAG 2.1 A/AA rules, the basis of RGAA 4) of the main
pages of each role. Serious and critical violations fail the test."""

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from oncoparcours.patients.models import Patient
from oncoparcours.territories.models import InterventionTerritory

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PASSWORD = "motdepasse-de-test-123"


@pytest.fixture
def audit_page(browser: Browser):
    # The app's CSP forbids injected scripts: the audit context bypasses it, the app does not.
    context = browser.new_context(locale="fr-FR", bypass_csp=True)
    yield context.new_page()
    context.close()


def _violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}))"
        ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )
    return list(result)


def _login(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/comptes/connexion/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_login_page_has_no_serious_accessibility_violation(audit_page: Page, live_server):
    audit_page.goto(f"{live_server.url}/comptes/connexion/")
    assert _violations(audit_page) == []


def test_coordinator_pages_have_no_serious_accessibility_violation(
    audit_page: Page, live_server, personas, geography, settings
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    territory = InterventionTerritory.objects.create(name="Lyon", structure=personas.structure)
    territory.communes.set([geography["69123"]])
    patient = Patient.objects.create(
        birth_name="AUDIT",
        first_given_name="Alix",
        birth_date="1970-05-05",
        sex="F",
        commune=geography["69123"],
        structure=personas.structure,
    )
    _login(audit_page, live_server.url, personas.coordinator.user.email)
    org = personas.structure.public_id
    pages = [
        "/",
        reverse("patients:list"),
        reverse("patients:detail", args=[patient.public_id]),
        reverse("patients:create"),
        reverse("patients:edit", args=[patient.public_id]),
        reverse("patients:consent-record", args=[patient.public_id]),
        reverse("regulation:list"),
        reverse("territories:list"),
        reverse("territories:detail", args=[territory.public_id]),
        reverse("territories:edit", args=[territory.public_id]),
        reverse("territories:commune-search") + "?q=lyon",
        reverse("organisations:detail", args=[org]),
        reverse("organisations:edit", args=[org]),
        reverse("organisations:member-add", args=[org]),
        reverse("accounts:profile"),
    ]
    found = {}
    for path in pages:
        audit_page.goto(f"{live_server.url}{path}")
        violations = _violations(audit_page)
        if violations:
            found[path] = violations
    assert found == {}


def test_ars_and_admin_pages_have_no_serious_accessibility_violation(
    audit_page: Page, live_server, personas, settings
):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    found = {}
    for member, paths in (
        (personas.ars_analyst, ["/", reverse("organisations:list")]),
        (
            personas.admin,
            [
                "/",
                reverse("organisations:create"),
                reverse("territories:create"),
                reverse("regulation:version-create", args=["psgac.cap_per_patient"]),
            ],
        ),
    ):
        audit_page.context.clear_cookies()
        _login(audit_page, live_server.url, member.user.email)
        for path in paths:
            audit_page.goto(f"{live_server.url}{path}")
            violations = _violations(audit_page)
            if violations:
                found[f"{member.role} {path}"] = violations
    assert found == {}


def test_the_audit_catches_a_violation(audit_page: Page, live_server):
    audit_page.goto(f"{live_server.url}/comptes/connexion/")
    audit_page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(v.startswith("image-alt") for v in _violations(audit_page))
