import json

import pytest

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.accounts.services import api_token_create
from oncoparcours.core.testing import make_member
from oncoparcours.territories.models import InterventionTerritory
from oncoparcours.territories.services import territory_archive, territory_create

from .conftest import make_commune, request_overhead

BASE = "/api/v1/territories"


@pytest.fixture
def patient(personas):
    return make_member(personas.structure, RoleCode.PATIENT)


def post(client, url, payload):
    return client.post(url, json.dumps(payload), content_type="application/json")


def patch(client, url, payload):
    return client.patch(url, json.dumps(payload), content_type="application/json")


def error_codes(response):
    return [e["code"] for e in response.json()["errors"]]


# Reference data: communes, departments, EPCI


def test_commune_search_returns_the_documented_fields(personas, client_as):
    response = client_as(personas.coordinator).get(f"{BASE}/communes", {"q": "st etienne"})
    assert response.status_code == 200
    assert response.json() == [
        {
            "insee_code": "42218",
            "name": "Saint-Étienne",
            "postal_codes": ["42000", "42100"],
            "department_code": "42",
            "epci_siren": "244200770",
            "population": 173000,
            "latitude": 45.4397,
            "longitude": 4.3872,
        }
    ]


def test_commune_search_by_postal_prefix_respects_the_limit(personas, client_as):
    client = client_as(personas.outsider)
    codes = [c["insee_code"] for c in client.get(f"{BASE}/communes", {"q": "69"}).json()]
    assert codes == ["69123", "69266"]
    limited = client.get(f"{BASE}/communes", {"q": "69", "limit": 1}).json()
    assert [c["insee_code"] for c in limited] == ["69123"]


def test_commune_search_validates_its_parameters(personas, client_as):
    client = client_as(personas.coordinator)
    assert client.get(f"{BASE}/communes").status_code == 422
    response = client.get(f"{BASE}/communes", {"q": "Lyon", "limit": 1000})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize("extra", [0, 6])
def test_commune_search_query_count_does_not_grow_with_results(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        make_commune(f"690{i:02d}", f"Commune {i}", [f"6998{i}", "69990"])
    client = client_as(personas.coordinator)
    overhead = request_overhead(client)
    # Overhead, then 1. communes with department and EPCI; 2. their postal codes.
    with django_assert_num_queries(overhead + 2):
        response = client.get(f"{BASE}/communes", {"q": "69"})
    assert len(response.json()) == 2 + extra


def test_a_commune_by_insee_code(personas, client_as):
    client = client_as(personas.outsider)
    body = client.get(f"{BASE}/communes/74010").json()
    assert body["name"] == "Annecy"
    assert body["postal_codes"] == ["74000", "74370", "74600", "74940", "74960"]
    missing = client.get(f"{BASE}/communes/99999")
    assert missing.status_code == 404
    assert error_codes(missing) == ["not_found"]


def test_departments_are_listed_by_code(personas, client_as):
    body = client_as(personas.ars_analyst).get(f"{BASE}/departments").json()
    assert body["count"] == 5
    assert [d["code"] for d in body["items"]] == ["15", "42", "63", "69", "74"]
    assert body["items"][0] == {"code": "15", "name": "Cantal", "population": 0}


def test_epcis_can_be_filtered_by_department(personas, client_as):
    client = client_as(personas.coordinator)
    assert client.get(f"{BASE}/epcis").json()["count"] == 5
    body = client.get(f"{BASE}/epcis", {"department": "69"}).json()
    assert body["items"] == [
        {"siren": "200046977", "name": "Métropole de Lyon", "kind": "METLYON", "population": 0}
    ]


@pytest.mark.parametrize("extra", [0, 4])
def test_reference_lists_have_a_constant_query_count(
    personas, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        make_commune(f"0{i + 1}001", f"Commune {i}", [f"0{i + 1}000"])
    client = client_as(personas.coordinator)
    overhead = request_overhead(client)
    # Overhead, then 1. count; 2. the page of departments.
    with django_assert_num_queries(overhead + 2):
        assert client.get(f"{BASE}/departments").json()["count"] == 5 + extra
    # Overhead, then 1. count; 2. the page of EPCI (EXISTS on communes of the department).
    with django_assert_num_queries(overhead + 2):
        client.get(f"{BASE}/epcis", {"department": "69"})


def test_patients_may_not_read_the_reference(personas, patient, client_as):
    client = client_as(patient)
    for url in ("/communes?q=Lyon", "/communes/69123", "/departments", "/epcis"):
        response = client.get(f"{BASE}{url}")
        assert response.status_code == 403, url
        assert error_codes(response) == ["permission.denied"]


def test_anonymous_calls_are_refused(db, client):
    assert client.get(f"{BASE}/communes", {"q": "Lyon"}).status_code == 401
    assert client.get(BASE).status_code == 401


def test_a_bearer_token_acts_as_its_membership(personas, territory, client):
    _token, key = api_token_create(membership=personas.coordinator, name="SI")
    response = client.get(BASE, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert [t["name"] for t in response.json()["items"]] == ["Lyon et Villeurbanne"]


# Territories: read


def test_the_coordinator_lists_the_structures_territories(
    personas, territory, other_territory, client_as
):
    body = client_as(personas.coordinator).get(BASE).json()
    assert body["count"] == 1
    assert body["items"] == [
        {
            "id": str(territory.public_id),
            "name": "Lyon et Villeurbanne",
            "description": "Métropole, rive gauche",
            "structure_id": str(personas.structure.public_id),
            "structure_name": "Association Après-Cancer Lyon",
            "commune_codes": ["69123", "69266"],
            "commune_count": 2,
            "population": 670000,
            "archived_at": None,
        }
    ]


def test_the_ars_lists_every_territory(personas, territory, other_territory, client_as):
    body = client_as(personas.ars_analyst).get(BASE).json()
    assert {t["name"] for t in body["items"]} == {"Lyon et Villeurbanne", "Clermont"}


def test_the_outsider_may_not_list_territories(personas, territory, client_as):
    for membership in (personas.outsider, personas.psychologist):
        response = client_as(membership).get(BASE)
        assert response.status_code == 403
        assert error_codes(response) == ["permission.denied"]


@pytest.mark.parametrize("extra", [0, 5])
def test_territory_list_query_count_does_not_grow_with_territories(
    personas, territory, client_as, django_assert_num_queries, extra
):
    for i in range(extra):
        territory_create(
            by=personas.admin,
            structure=personas.other_structure,
            name=f"Territoire {i}",
            commune_codes=["63113", "15014"],
        )
    client = client_as(personas.admin)
    overhead = request_overhead(client)
    # Overhead, then 1. count; 2. territories with structure, commune count and population;
    # 3. their commune codes.
    with django_assert_num_queries(overhead + 3):
        response = client.get(BASE)
    assert response.json()["count"] == 1 + extra


def test_a_territory_by_id(personas, territory, client_as):
    url = f"{BASE}/{territory.public_id}"
    assert client_as(personas.coordinator).get(url).json()["commune_codes"] == ["69123", "69266"]
    assert client_as(personas.ars_analyst).get(url).status_code == 200
    hidden = client_as(personas.other_coordinator).get(url)
    assert hidden.status_code == 404
    assert error_codes(hidden) == ["not_found"]
    assert client_as(personas.outsider).get(url).status_code == 403


# Territories: write


def test_the_coordinator_creates_a_territory_for_the_structure(personas, client_as):
    response = post(
        client_as(personas.coordinator),
        BASE,
        {"name": "Saint-Étienne", "commune_codes": ["42218"]},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["structure_id"] == str(personas.structure.public_id)
    assert body["population"] == 173000
    assert InterventionTerritory.objects.get().public_id.hex == body["id"].replace("-", "")


def test_the_coordinator_may_not_create_for_another_structure(personas, client_as):
    response = post(
        client_as(personas.coordinator),
        BASE,
        {
            "name": "Volcans",
            "commune_codes": ["63113"],
            "structure_id": str(personas.other_structure.public_id),
        },
    )
    assert response.status_code == 403
    assert not InterventionTerritory.objects.exists()


def test_the_admin_creates_for_a_chosen_structure_porteuse(personas, client_as):
    client = client_as(personas.admin)
    response = post(
        client,
        BASE,
        {
            "name": "Volcans",
            "commune_codes": ["63113"],
            "structure_id": str(personas.other_structure.public_id),
        },
    )
    assert response.status_code == 201
    refused = post(client, BASE, {"name": "Sans structure", "commune_codes": ["63113"]})
    assert refused.status_code == 400
    assert error_codes(refused) == ["territory.structure.not_porteuse"]
    assert InterventionTerritory.objects.count() == 1


def test_unknown_codes_return_a_coded_french_error_and_save_nothing(personas, client_as):
    response = post(
        client_as(personas.coordinator),
        BASE,
        {"name": "Trop loin", "commune_codes": ["69123", "75056"]},
    )
    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "code": "territory.communes.unknown",
                "message": "Ces codes ne correspondent à aucune commune "
                "d'Auvergne-Rhône-Alpes : 75056.",
                "field": "commune_codes",
            }
        ]
    }
    assert not InterventionTerritory.objects.exists()


def test_the_ars_and_the_outsider_may_not_create(personas, client_as):
    for membership in (personas.ars_analyst, personas.outsider):
        response = post(client_as(membership), BASE, {"name": "X", "commune_codes": ["69123"]})
        assert response.status_code == 403
    assert not InterventionTerritory.objects.exists()


def test_the_coordinator_patches_only_what_is_sent(personas, territory, client_as):
    response = patch(
        client_as(personas.coordinator), f"{BASE}/{territory.public_id}", {"name": "Lyon"}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Lyon"
    assert response.json()["commune_codes"] == ["69123", "69266"]
    response = patch(
        client_as(personas.coordinator),
        f"{BASE}/{territory.public_id}",
        {"commune_codes": ["69266"]},
    )
    assert response.json()["population"] == 150000


def test_a_bad_patch_saves_nothing(personas, territory, client_as):
    response = patch(
        client_as(personas.coordinator),
        f"{BASE}/{territory.public_id}",
        {"name": "", "commune_codes": []},
    )
    assert response.status_code == 400
    assert set(error_codes(response)) == {"territory.name.required", "territory.communes.required"}
    territory.refresh_from_db()
    assert territory.name == "Lyon et Villeurbanne"
    assert territory.communes.count() == 2


def test_only_editors_may_patch(personas, territory, client_as):
    url = f"{BASE}/{territory.public_id}"
    assert patch(client_as(personas.ars_analyst), url, {"name": "X"}).status_code == 403
    assert patch(client_as(personas.other_coordinator), url, {"name": "X"}).status_code == 404
    assert patch(client_as(personas.outsider), url, {"name": "X"}).status_code == 403
    territory.refresh_from_db()
    assert territory.name == "Lyon et Villeurbanne"


def test_the_coordinator_archives_a_territory(personas, territory, client_as):
    client = client_as(personas.coordinator)
    response = client.post(f"{BASE}/{territory.public_id}/archive")
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    again = client.post(f"{BASE}/{territory.public_id}/archive")
    assert again.status_code == 400
    assert error_codes(again) == ["territory.already_archived"]
    assert client.get(BASE).json()["count"] == 0


def test_only_editors_may_archive(personas, territory, client_as):
    url = f"{BASE}/{territory.public_id}/archive"
    assert client_as(personas.ars_analyst).post(url).status_code == 403
    assert client_as(personas.other_coordinator).post(url).status_code == 404
    assert client_as(personas.outsider).post(url).status_code == 403
    territory.refresh_from_db()
    assert territory.archived_at is None


def test_an_archived_territory_cannot_be_patched(personas, territory, client_as):
    territory_archive(by=personas.coordinator, territory=territory)
    response = patch(
        client_as(personas.coordinator), f"{BASE}/{territory.public_id}", {"name": "Réveil"}
    )
    assert response.status_code == 400
    assert error_codes(response) == ["territory.archived"]


def test_the_list_can_be_filtered_on_a_structure(personas, territory, other_territory, client_as):
    body = (
        client_as(personas.admin)
        .get(BASE, {"structure": str(personas.other_structure.public_id)})
        .json()
    )
    assert [t["name"] for t in body["items"]] == ["Clermont"]
