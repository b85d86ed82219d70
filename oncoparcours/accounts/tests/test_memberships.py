import pytest

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.accounts.services import api_token_create, membership_create

pytestmark = pytest.mark.django_db


def test_header_shows_the_active_organisation_and_role(client_as, personas):
    page = client_as(personas.coordinator).get("/").content.decode()
    assert "Coordinateur de structure · Association Après-Cancer Lyon" in page


def test_user_with_two_memberships_switches_role(client_as, personas):
    second = membership_create(
        user=personas.coordinator.user,
        organisation=personas.other_structure,
        role=RoleCode.PSYCHOLOGIST,
    )
    client = client_as(personas.coordinator)
    response = client.post("/comptes/role-actif/", {"membership": str(second.public_id)})
    assert response.status_code == 302
    me = client.get("/api/v1/accounts/me").json()
    assert me["active_membership"]["role"] == "psychologist"
    assert me["active_membership"]["organisation_name"] == "MSP des Volcans"
    assert len(me["memberships"]) == 2


def test_switching_to_someone_elses_membership_is_refused(client_as, personas):
    client = client_as(personas.coordinator)
    client.post("/comptes/role-actif/", {"membership": str(personas.ars_analyst.public_id)})
    me = client.get("/api/v1/accounts/me").json()
    assert me["active_membership"]["role"] == "coordinator"


def test_profile_lists_the_roles(client_as, personas):
    page = client_as(personas.coordinator).get("/comptes/mon-compte/").content.decode()
    assert "Mes rôles" in page
    assert "Association Après-Cancer Lyon" in page


def test_roles_endpoint_lists_the_table(client_as, personas):
    roles = client_as(personas.outsider).get("/api/v1/accounts/roles").json()
    assert {r["code"] for r in roles} == {code.value for code in RoleCode}


def test_bearer_token_acts_as_its_membership(client, personas):
    _token, key = api_token_create(membership=personas.coordinator, name="SIH")
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["active_membership"]["role"] == "coordinator"


def test_revoked_token_is_refused(client, personas):
    from django.utils import timezone

    token, key = api_token_create(membership=personas.coordinator, name="SIH")
    token.revoked_at = timezone.now()
    token.save()
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


def test_bearer_token_post_needs_no_csrf_token(personas):
    """A hospital system posts with its token only: no cookie, no CSRF token."""
    from django.test import Client

    _token, key = api_token_create(membership=personas.admin, name="SIH")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/organisations",
        data={"name": "Pharmacie du Parc", "kind": "pharmacy"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201, response.content


def test_session_post_without_csrf_token_is_refused(client_as, personas):
    from django.test import Client

    from oncoparcours.core.testing import login

    client = login(Client(enforce_csrf_checks=True), personas.admin)
    response = client.post(
        "/api/v1/organisations",
        data={"name": "Pharmacie du Parc", "kind": "pharmacy"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
