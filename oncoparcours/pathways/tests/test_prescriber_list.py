"""A prescriber's list of their own prescriptions and where each stands (issue 3 §8)."""

from datetime import date

import pytest
from django.urls import reverse

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.accounts.services import api_token_create
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.pathways.selectors import prescriptions_of
from oncoparcours.pathways.tests.factories import make_eligible_patient, make_prescriber, receive

PAGE = reverse("pathways:prescriptions")
API = "/api/v1/pathways/prescriptions/mine"
# Another valid RPPS (Luhn key).
OTHER_RPPS = "10003456794"


@pytest.fixture
def world(personas, geography, covered):
    mine_doctor = make_prescriber(personas)
    clinic = make_organisation("Clinique test", OrgKind.HEALTH_ESTABLISHMENT)
    other_doctor = make_member(
        clinic, RoleCode.PRESCRIBER, "autre@clinique.test", specialty="oncology", rpps=OTHER_RPPS
    )
    patient = make_eligible_patient(
        personas.structure, geography["69123"], birth_name="MARTINEAU", first_given_name="Lucie"
    )
    mine = receive(personas.coordinator, patient, prescriber=mine_doctor.user, channel="form")
    # PSG-03: prescribed more than 12 months after the end of active treatment.
    late = receive(
        personas.coordinator,
        patient,
        prescriber=mine_doctor.user,
        channel="form",
        prescription_date=date(2027, 2, 1),
        today=date(2027, 2, 1),
    )
    stranger = make_eligible_patient(personas.structure, geography["69266"], birth_name="SECRETNOM")
    theirs = receive(personas.coordinator, stranger, prescriber=other_doctor.user, channel="form")
    return {"me": mine_doctor, "other": other_doctor, "mine": mine, "late": late, "theirs": theirs}


def test_a_prescriber_lists_only_their_own_prescriptions_newest_first(world):
    mine = list(prescriptions_of(world["me"].user))
    assert mine == [world["late"].prescription, world["mine"].prescription]
    assert list(prescriptions_of(world["other"].user)) == [world["theirs"].prescription]


def test_the_page_shows_initials_birth_year_items_status_and_refusal_reasons(client_as, world):
    page = client_as(world["me"]).get(PAGE).content.decode()
    assert "L. M., né(e) en 1960" in page
    assert "MARTINEAU" not in page
    assert "Lucie" not in page
    assert "Éligible, patient à contacter" in page
    assert "Non éligible" in page
    assert "PSG-03" in page
    assert "Association Après-Cancer Lyon" in page
    assert "SECRETNOM" not in page
    assert "C. S." not in page


def test_another_prescriber_does_not_see_mine(client_as, world):
    page = client_as(world["other"]).get(PAGE).content.decode()
    assert str(world["mine"].public_id) not in page
    assert "1 prescription" in page


def test_a_hospital_oncologist_may_open_the_list(client_as, personas):
    chu = make_organisation("CHU test", OrgKind.HEALTH_ESTABLISHMENT)
    oncologist = make_member(chu, RoleCode.HOSPITAL_ONCOLOGIST, "onco@chu.test")
    response = client_as(oncologist).get(PAGE)
    assert response.status_code == 200
    assert "Aucune prescription." in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "ars_analyst", "coordinator", "psychologist"])
def test_roles_that_do_not_prescribe_are_refused(client_as, personas, who):
    assert client_as(getattr(personas, who)).get(PAGE).status_code == 403


def test_the_page_costs_the_same_queries_for_few_or_many_prescriptions(
    client_as, personas, geography, world, django_assert_num_queries
):
    client = client_as(world["me"])

    def show() -> None:
        # Session, user, OTP device, membership; then the count and one page of prescriptions
        # joined with pathway, structure and patient.
        with django_assert_num_queries(6):
            assert client.get(PAGE).status_code == 200

    show()
    for _ in range(4):
        patient = make_eligible_patient(personas.structure, geography["69123"])
        receive(personas.coordinator, patient, prescriber=world["me"].user, channel="form")
    show()


def bearer(membership) -> dict[str, str]:
    _token, key = api_token_create(membership=membership, name="test")
    return {"Authorization": f"Bearer {key}"}


def test_the_api_lists_my_prescriptions_with_initials_only(
    client, world, django_assert_num_queries
):
    headers = bearer(world["me"])
    # Token with membership, user and organisation, last-used stamp; count and one page.
    with django_assert_num_queries(4):
        data = client.get(API, headers=headers).json()
    assert data["count"] == 2
    late, mine = data["items"]
    assert mine["id"] == str(world["mine"].prescription.public_id)
    assert (mine["patient_initials"], mine["patient_birth_year"]) == ("L. M.", 1960)
    assert mine["status_label"] == "Éligible, patient à contacter"
    assert mine["structure_name"] == "Association Après-Cancer Lyon"
    assert [f["code"] for f in late["failures"]] == ["PSG-03"]
    assert "MARTINEAU" not in str(data)


@pytest.mark.parametrize("who", ["outsider", "ars_analyst", "coordinator"])
def test_the_api_refuses_roles_that_do_not_prescribe(client, personas, world, who):
    assert client.get(API, headers=bearer(getattr(personas, who))).status_code == 403


def test_the_api_gives_another_prescriber_only_theirs(client, world):
    data = client.get(API, headers=bearer(world["other"])).json()
    assert [item["id"] for item in data["items"]] == [str(world["theirs"].prescription.public_id)]
