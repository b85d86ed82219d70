from datetime import date

import pytest
from django.test import Client

from oncoparcours.accounts.services import api_token_create
from oncoparcours.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

BASE = "/api/v1/patients"
# Session, user, OTP device, active membership before the endpoint.
AROUND_THE_ENDPOINT = 4


@pytest.fixture
def berard(personas, geography):
    return make_patient(
        personas.structure, geography["69266"], birth_name="Bérard", first_given_name="Émilie"
    )


@pytest.fixture
def elsewhere(personas, geography):
    return make_patient(
        personas.other_structure, geography["63113"], birth_name="Volcan", first_given_name="Paul"
    )


def test_coordinator_lists_their_patients(personas, client_as, berard, elsewhere):
    body = client_as(personas.coordinator).get(BASE).json()

    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == str(berard.public_id)
    assert item["birth_name"] == "Bérard"
    assert item["commune_name"] == "Villeurbanne"
    assert item["sex_label"] == "Féminin"
    assert item["structure_id"] == str(personas.structure.public_id)


def test_search_ignores_accents(personas, client_as, berard, geography):
    make_patient(personas.structure, geography["69123"], birth_name="Dupont")
    client = client_as(personas.coordinator)

    assert [p["birth_name"] for p in client.get(BASE, {"q": "BERARD"}).json()["items"]] == [
        "Bérard"
    ]
    assert client.get(BASE, {"q": "nobody"}).json()["count"] == 0


@pytest.mark.parametrize("extra", [1, 60])
@pytest.mark.parametrize(
    "criteria", [{}, {"family_name": "patient"}, {"birth_date": "1960-05-17", "q": "lyon"}]
)
def test_list_endpoint_query_count_does_not_grow_with_rows(
    personas, client_as, geography, django_assert_num_queries, extra, criteria
):
    for _ in range(extra):
        make_patient(personas.structure, geography["69123"])
    client = client_as(personas.coordinator)

    # count, one page of patients with commune and structure
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 2):
        response = client.get(BASE, criteria)
    assert len(response.json()["items"]) == min(extra, 50)


def test_search_by_family_name_ins_and_birth_date(personas, client_as, berard, geography):
    ines = make_patient(
        personas.structure,
        geography["42218"],
        birth_name="Lefèvre",
        first_given_name="Inès",
        birth_date=date(1975, 2, 3),
        ins_matricule="260056912345652",
        ins_kind="nir",
    )
    client = client_as(personas.coordinator)

    def ids(**criteria):
        return [p["id"] for p in client.get(BASE, criteria).json()["items"]]

    assert ids(family_name="LEFEVRE") == [str(ines.public_id)]
    assert ids(ins="2 60 05 69 123 456 52") == [str(ines.public_id)]
    assert ids(birth_date="1960-05-17") == [str(berard.public_id)]
    assert ids(q="03/02/1975") == [str(ines.public_id)]
    assert ids(q="saint-etienne") == [str(ines.public_id)]
    assert ids(family_name="berard", birth_date="1975-02-03") == []


def test_a_malformed_birth_date_filter_is_a_schema_error(personas, client_as):
    response = client_as(personas.coordinator).get(BASE, {"birth_date": "17/05/1960"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "birth_date"


def test_coordinator_reads_one_patient(personas, client_as, berard):
    response = client_as(personas.coordinator).get(f"{BASE}/{berard.public_id}")
    assert response.status_code == 200
    body = response.json()
    assert body["first_given_name"] == "Émilie"
    assert body["identity_status"] == "provisional"
    assert body["identity_status_label"] == "provisoire"
    assert body["ins_matricule"] == ""
    assert body["ins_qualified"] is False
    assert body["consents"] == []


def test_patient_of_another_structure_is_a_404(personas, client_as, elsewhere):
    response = client_as(personas.coordinator).get(f"{BASE}/{elsewhere.public_id}")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"


@pytest.mark.parametrize("persona", ["ars_analyst", "admin", "psychologist", "outsider"])
def test_roles_that_may_not_list_patients_get_403(personas, client_as, berard, persona):
    client = client_as(getattr(personas, persona))

    for url in (BASE, f"{BASE}/{berard.public_id}"):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["errors"][0]["code"] == "permission.denied"
        assert "Bérard" not in response.content.decode()


def test_ars_analyst_token_never_reads_a_patient(personas, berard):
    _token, key = api_token_create(membership=personas.ars_analyst, name="Entrepôt ARS")
    headers = {"Authorization": f"Bearer {key}"}

    assert Client().get(BASE, headers=headers).status_code == 403
    assert Client().get(f"{BASE}/{berard.public_id}", headers=headers).status_code == 403


def test_anonymous_caller_gets_401(berard):
    assert Client().get(BASE).status_code == 401
