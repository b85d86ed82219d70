"""The parameters page (every member reads) and the new-version form (administrator only)."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from oncoparcours.accounts.models import User
from oncoparcours.regulation.models import RegulatoryParameter
from oncoparcours.regulation.services import parameter_version_create

pytestmark = pytest.mark.django_db

# Session, user, OTP device, active membership before the view; nothing after it.
AROUND_THE_VIEW = 4
CAP = "psgac.cap_per_patient"
LIST = reverse("regulation:list")
CREATE_CAP = reverse("regulation:version-create", args=[CAP])
VALID_POST = {
    "value": "200,00",
    "effective_from": "2027-01-01",
    "source": "Arrêté du 2 décembre 2026 modifiant l'arrêté du 24 décembre 2020",
}


def _html(response) -> str:
    return response.content.decode()


def _count() -> int:
    return RegulatoryParameter.objects.count()


# List


def test_anonymous_visitor_is_sent_to_the_login_page():
    response = Client().get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_user_without_a_role_is_refused(personas):
    user = User.objects.create_user("sans-role@test.invalid", "motdepasse-de-test-123")
    client = Client()
    client.force_login(user)
    assert client.get(LIST).status_code == 403


def test_every_member_reads_the_values_in_force_psg07_to_psg09(personas, client_as):
    response = client_as(personas.outsider).get(LIST)

    html = _html(response)
    assert response.status_code == 200
    assert "Valeurs en vigueur le 01/06/2026" in html
    assert "Tarif maximal d&#x27;un bilan (1 heure)" in html
    assert "45,00 €" in html
    assert "22,50 €" in html
    assert "180,00 €" in html
    assert "12 mois" in html
    assert "80 %" in html
    assert "SSAS2035908A" in html
    # Reading only: no way to add a version.
    assert CREATE_CAP not in html


def test_admin_sees_a_link_to_add_a_version_of_each_parameter(personas, client_as):
    html = _html(client_as(personas.admin).get(LIST))
    assert CREATE_CAP in html
    assert reverse("regulation:version-create", args=["age.aja_max_years"]) in html


def test_list_shows_the_history_with_a_scheduled_version(personas, client_as):
    parameter_version_create(
        by=personas.admin,
        key=CAP,
        value=Decimal("200.00"),
        effective_from=date(2027, 1, 1),
        source="Arrêté fictif de 2026",
    )
    html = _html(client_as(personas.coordinator).get(LIST))
    assert "200,00 € à partir du 01/01/2027" in html
    assert "31/12/2026" in html
    assert "Arrêté fictif de 2026" in html
    assert "À venir" in html
    assert "Historique des versions" in html


@pytest.mark.parametrize("extra", [0, 12])
def test_list_page_query_count_does_not_grow_with_versions(
    personas, client_as, django_assert_num_queries, extra
):
    for year in range(extra):
        parameter_version_create(
            by=personas.admin,
            key=CAP if year % 2 else "psgac.followup_max_rate",
            value=Decimal("200.00") + year,
            effective_from=date(2027 + year, 1, 1),
            source=f"Arrêté fictif {year}",
        )
    client = client_as(personas.coordinator)
    # + 1: every version with the administrator who entered it (one join).
    with django_assert_num_queries(AROUND_THE_VIEW + 1):
        response = client.get(LIST)
    assert response.status_code == 200


# Create


@pytest.mark.parametrize("who", ["outsider", "coordinator", "ars_analyst", "other_coordinator"])
def test_a_member_who_is_not_administrator_may_not_add_a_version(personas, client_as, who):
    client = client_as(getattr(personas, who))
    before = _count()
    assert client.get(CREATE_CAP).status_code == 403
    assert client.post(CREATE_CAP, VALID_POST).status_code == 403
    assert _count() == before


def test_anonymous_visitor_may_not_add_a_version(personas):
    response = Client().post(CREATE_CAP, VALID_POST)
    assert response.status_code == 302
    assert RegulatoryParameter.objects.filter(effective_from=date(2027, 1, 1)).count() == 0


def test_admin_opens_the_form_with_the_existing_versions(personas, client_as):
    response = client_as(personas.admin).get(CREATE_CAP)
    html = _html(response)
    assert response.status_code == 200
    assert "Nouvelle version : Plafond par patient" in html
    assert "180,00 €" in html
    assert "prendra fin la veille" in html


def test_admin_adds_a_version_and_the_previous_one_ends_the_day_before(personas, client_as):
    response = client_as(personas.admin).post(CREATE_CAP, VALID_POST)

    assert response.status_code == 302
    assert response["Location"] == LIST
    new = RegulatoryParameter.objects.get(key=CAP, effective_from=date(2027, 1, 1))
    assert new.value == Decimal("200.00")
    assert new.created_by == personas.admin.user
    old = RegulatoryParameter.objects.get(key=CAP, effective_from=date(2020, 12, 24))
    assert old.effective_to == date(2026, 12, 31)


def test_overlapping_version_shows_the_french_message_and_saves_nothing(personas, client_as):
    before = _count()
    response = client_as(personas.admin).post(
        CREATE_CAP, {**VALID_POST, "effective_from": "2020-12-24"}
    )
    html = _html(response)
    assert response.status_code == 200
    assert "ne se chevauchent pas" in html
    assert _count() == before
    assert RegulatoryParameter.objects.get(key=CAP).effective_to is None


def test_decimal_for_a_count_shows_the_french_message_and_saves_nothing(personas, client_as):
    before = _count()
    url = reverse("regulation:version-create", args=["psgac.max_followups"])
    response = client_as(personas.admin).post(url, {**VALID_POST, "value": "6,5"})
    assert response.status_code == 200
    assert "nombre entier" in _html(response)
    assert _count() == before


def test_negative_value_is_refused_by_the_form(personas, client_as):
    before = _count()
    response = client_as(personas.admin).post(CREATE_CAP, {**VALID_POST, "value": "-5"})
    assert response.status_code == 200
    assert "fr-input-group--error" in _html(response)
    assert _count() == before


def test_unknown_parameter_is_not_found(personas, client_as):
    url = reverse("regulation:version-create", args=["psgac.unknown"])
    assert client_as(personas.admin).get(url).status_code == 404
