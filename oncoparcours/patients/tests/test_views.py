import pytest
from django.test import Client
from django.urls import reverse

from oncoparcours.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

LIST = reverse("patients:list")
# Session, user, OTP device, active membership before the view.

AROUND_THE_VIEW = 4


def _detail(patient) -> str:
    return reverse("patients:detail", args=[patient.public_id])


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


def test_anonymous_visitor_is_sent_to_the_login_page(personas):
    assert Client().get(LIST).status_code == 302


def test_coordinator_lists_patients_with_the_expected_columns(
    personas, client_as, berard, elsewhere
):
    response = client_as(personas.coordinator).get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    for header in ("Nom", "Prénom", "Date de naissance", "Sexe", "Commune"):
        assert f'<th scope="col">{header}</th>' in html
    assert "BÉRARD" in html
    assert "Émilie" in html
    assert "17/05/1960" in html
    assert "Féminin" in html
    assert "Villeurbanne" in html
    assert "VOLCAN" not in html


def test_search_box_ignores_accents(personas, client_as, berard, geography):
    make_patient(personas.structure, geography["69123"], birth_name="Dupont")

    html = client_as(personas.coordinator).get(LIST, {"q": "berard"}).content.decode()

    assert "BÉRARD" in html
    assert "DUPONT" not in html
    assert 'value="berard"' in html


def test_list_is_paginated_by_50(personas, client_as, geography):
    for _ in range(51):
        make_patient(personas.structure, geography["69123"])
    client = client_as(personas.coordinator)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert first.count('<td><a href="/patients/') == 50
    assert second.count('<td><a href="/patients/') == 1
    assert "51 patients" in first


@pytest.mark.parametrize("extra", [1, 60])
@pytest.mark.parametrize(
    ("q", "everyone"), [("", True), ("lyon 17/05/1960", True), ("2 60 05 69 123 456 52", False)]
)
def test_list_page_query_count_does_not_grow_with_rows(
    personas, client_as, geography, django_assert_num_queries, extra, q, everyone
):
    make_patient(personas.structure, geography["69123"], ins_matricule="260056912345652")
    for _ in range(extra):
        make_patient(personas.structure, geography["69123"])
    client = client_as(personas.coordinator)

    # count, one page of patients with their commune
    with django_assert_num_queries(AROUND_THE_VIEW + 2):
        response = client.get(LIST, {"q": q})
    assert response.status_code == 200
    rows = min(extra + 1, 50) if everyone else 1
    assert response.content.decode().count('<td><a href="/patients/') == rows


@pytest.mark.parametrize("persona", ["ars_analyst", "admin", "psychologist", "outsider"])
def test_roles_that_may_not_list_patients_get_403(personas, client_as, berard, persona):
    client = client_as(getattr(personas, persona))
    assert client.get(LIST).status_code == 403
    assert client.get(_detail(berard)).status_code == 403


def test_coordinator_reads_a_patient_of_their_structure(personas, client_as, berard):
    response = client_as(personas.coordinator).get(_detail(berard))

    html = response.content.decode()
    assert response.status_code == 200
    assert "BÉRARD Émilie" in html
    assert "Villeurbanne" in html
    assert "Association Après-Cancer Lyon" in html


def test_patient_of_another_structure_is_not_found(personas, client_as, elsewhere):
    assert client_as(personas.coordinator).get(_detail(elsewhere)).status_code == 404


def test_ars_analyst_never_sees_a_patient_name_anywhere(personas, client_as, berard):
    client = client_as(personas.ars_analyst)
    pages = [
        LIST,
        _detail(berard),
        reverse("organisations:detail", args=[personas.structure.public_id]),
        reverse("organisations:list"),
    ]
    for url in pages:
        assert "Bérard" not in client.get(url).content.decode()
        assert "BÉRARD" not in client.get(url).content.decode()
