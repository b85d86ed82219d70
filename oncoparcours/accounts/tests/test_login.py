import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_member, make_organisation

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-de-test-123"


def _login(client: Client, email: str, password: str = PASSWORD):
    return client.post("/comptes/connexion/", {"username": email, "password": password})


def test_login_page_is_in_french(client):
    response = client.get("/comptes/connexion/")
    assert response.status_code == 200
    assert "Connexion à OncoParcours" in response.content.decode()


def test_wrong_password_gives_a_french_error(client, personas):
    response = _login(client, personas.coordinator.user.email, "mauvais")
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in response.content.decode()


def test_email_is_case_insensitive_at_login(client, personas):
    response = _login(client, personas.coordinator.user.email.upper())
    assert response.status_code == 302


def test_repeated_failures_lock_the_account_for_this_address(client, personas, settings):
    email = personas.coordinator.user.email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, email, "mauvais")
    response = _login(client, email)  # even the right password is refused while locked
    assert response.status_code == 429
    assert "Trop de tentatives de connexion" in response.content.decode()


def test_staff_role_without_device_must_enrol_a_second_factor(client, personas):
    _login(client, personas.coordinator.user.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/comptes/double-facteur/")
    response = client.get(response["Location"])
    assert response["Location"].startswith("/comptes/double-facteur/activation/")


def test_enrolling_a_totp_device_opens_the_home_page(client, personas):
    _login(client, personas.coordinator.user.email)
    page = client.get("/comptes/double-facteur/activation/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=personas.coordinator.user, confirmed=False)
    response = client.post(
        "/comptes/double-facteur/activation/", {"token": f"{totp(device.bin_key):06d}"}
    )
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_wrong_totp_code_is_refused_in_french(client, personas):
    user = personas.coordinator.user
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _login(client, user.email)
    response = client.post("/comptes/double-facteur/", {"token": "000000"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré." in response.content.decode()
    assert client.get("/").status_code == 302


def test_right_totp_code_opens_the_session(client, personas):
    user = personas.coordinator.user
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    _login(client, user.email)
    response = client.post("/comptes/double-facteur/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_patient_role_does_not_need_a_second_factor(client, personas):
    patient = make_member(personas.structure, RoleCode.PATIENT, "patient@test.invalid")
    _login(client, patient.user.email)
    assert client.get("/").status_code == 200


def test_demo_switch_relaxes_the_second_factor(client, personas, settings):
    settings.ONCOPARCOURS_REQUIRE_2FA = False
    _login(client, personas.coordinator.user.email)
    assert client.get("/").status_code == 200


def test_api_session_without_second_factor_is_refused(client, personas):
    _login(client, personas.coordinator.user.email)
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "auth.second_factor_required"


def test_logout_ends_the_session(client_as, personas):
    client = client_as(personas.coordinator)
    response = client.post("/comptes/deconnexion/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_reset_email_goes_through_the_queue_in_french(client, personas):
    response = client.post(
        "/comptes/mot-de-passe/oubli/", {"email": personas.coordinator.user.email}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "OncoParcours : réinitialisation de votre mot de passe"
    assert "/comptes/mot-de-passe/nouveau/" in mail.outbox[0].body


def test_password_reset_for_unknown_address_reveals_nothing(client, db):
    response = client.post("/comptes/mot-de-passe/oubli/", {"email": "inconnu@test.invalid"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_user_without_membership_sees_a_refusal(client, db):
    from oncoparcours.accounts.models import User

    User.objects.create_user("seul@test.invalid", PASSWORD, first_name="A", last_name="B")
    _login(client, "seul@test.invalid")
    # No role: not a staff role either, so no second factor; the home page refuses.
    assert client.get("/").status_code == 403


def test_role_cannot_be_held_in_the_wrong_kind_of_organisation(db):
    from django.core.exceptions import ValidationError

    pharmacy = make_organisation("Pharmacie", OrgKind.PHARMACY)
    with pytest.raises(ValidationError) as excinfo:
        make_member(pharmacy, RoleCode.COORDINATOR)
    assert excinfo.value.error_dict["role"][0].code == "membership.role_not_allowed_in_organisation"


def test_language_can_be_changed_before_the_second_factor(client, personas):
    _login(client, personas.coordinator.user.email)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/comptes/double-facteur/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
