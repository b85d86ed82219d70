"""The commune points behind the territory edit map: public reference data for members."""

import pytest
from django.urls import reverse

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.testing import make_member

pytestmark = pytest.mark.django_db

POINTS = reverse("territories:commune-points")


def test_communes_of_a_department_come_with_their_coordinates(client_as, personas):
    response = client_as(personas.coordinator).get(POINTS, {"departement": "69"})
    assert response.status_code == 200
    assert response.json() == {
        "communes": [
            {"code": "69123", "name": "Lyon", "lat": 45.7676, "lon": 4.8345},
            {"code": "69266", "name": "Villeurbanne", "lat": 45.7667, "lon": 4.8803},
        ]
    }
    assert client_as(personas.coordinator).get(POINTS).json() == {"communes": []}


def test_commune_points_need_a_member_who_may_search_communes(client, client_as, personas):
    assert client.get(POINTS, {"departement": "69"}).status_code == 302
    patient = make_member(personas.structure, RoleCode.PATIENT)
    assert client_as(patient).get(POINTS, {"departement": "69"}).status_code == 403


def test_the_territory_form_carries_the_map_hidden_until_its_script_runs(client_as, personas):
    page = client_as(personas.coordinator).get(reverse("territories:create")).content.decode()
    assert "data-op-territory-map" in page
    assert 'data-textarea="id_communes"' in page
    assert "territories/territory-map.js" in page
