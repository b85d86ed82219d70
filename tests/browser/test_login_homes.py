import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from oncoparcours.territories.models import InterventionTerritory

pytestmark = pytest.mark.browser
PASSWORD = "motdepasse-de-test-123"


def _log_in_with_totp(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    expect(page).to_have_url(f"{base_url}/comptes/connexion/?next=/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    device = TOTPDevice.objects.get(user__email=email, confirmed=True)
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()


def test_coordinator_logs_in_with_second_factor_and_sees_the_structure_home(
    page: Page, live_server, personas
):
    TOTPDevice.objects.create(user=personas.coordinator.user, name="app", confirmed=True)
    _log_in_with_totp(page, live_server.url, personas.coordinator.user.email)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_test_id("home-role")).to_have_text(
        "Coordinateur de structure — Association Après-Cancer Lyon"
    )
    expect(page.get_by_test_id("active-membership")).to_contain_text(
        "Association Après-Cancer Lyon"
    )
    expect(page.get_by_role("link", name="Patients de la structure")).to_be_visible()
    page.screenshot(path="var/screenshots/coordinator-home.png", full_page=True)


def test_ars_analyst_logs_in_and_sees_the_regional_coverage(
    page: Page, live_server, personas, geography
):
    territory = InterventionTerritory.objects.create(name="Lyon", structure=personas.structure)
    territory.communes.set([geography["69123"]])
    TOTPDevice.objects.create(user=personas.ars_analyst.user, name="app", confirmed=True)
    _log_in_with_totp(page, live_server.url, personas.ars_analyst.user.email)
    expect(page.get_by_test_id("home-role")).to_have_text("Analyste ARS — ARS Auvergne-Rhône-Alpes")
    table = page.get_by_test_id("coverage-table")
    expect(table).to_contain_text("Rhône (69)")
    expect(page.get_by_test_id("uncovered-communes")).to_have_text("5")
    expect(page.get_by_role("link", name="Patients")).to_have_count(0)
    page.screenshot(path="var/screenshots/ars-home.png", full_page=True)


def test_new_staff_user_enrols_a_totp_device_from_the_qr_page(page: Page, live_server, personas):
    email = personas.coordinator.user.email
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Activer la double authentification")).to_be_visible()
    expect(page.locator(".op-qr svg")).to_be_visible()
    device = TOTPDevice.objects.get(user__email=email, confirmed=False)
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Activer").click()
    expect(page.get_by_text("Double authentification activée.")).to_be_visible()
