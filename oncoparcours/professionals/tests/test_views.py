import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoparcours.accounts.models import Membership, User
from oncoparcours.professionals import services
from oncoparcours.professionals.models import Contract, Diploma
from oncoparcours.professionals.tests.conftest import PDF

pytestmark = pytest.mark.django_db

# Session, user, memberships of the user, the active membership (middleware and context).
AROUND_THE_VIEW = 4


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _diploma(personas, professional):
    return services.diploma_add(
        by=personas.coordinator,
        professional=professional,
        title="Master de psychologie clinique",
        issuer="Université Lumière Lyon 2",
        obtained_on=datetime.date(2012, 6, 30),
        evidence=SimpleUploadedFile("d.pdf", PDF),
    )


def test_the_coordinator_sees_each_professional_with_the_current_contract_and_rates(
    personas, client_as, contract
):
    page = _html(client_as(personas.coordinator).get(reverse("professionals:list")))
    assert personas.psychologist.user.last_name.upper() in page
    assert "45.00 €" in page or "45,00 €" in page
    assert "22.50 €" in page or "22,50 €" in page


@pytest.mark.parametrize("extra", [0, 30])
def test_the_professionals_page_query_count_does_not_grow_with_rows(
    personas, client_as, contract, django_assert_num_queries, extra
):
    for i in range(extra):
        user = User.objects.create_user(f"pro{i}@lyon.test", None, first_name="P", last_name=f"{i}")
        Membership.objects.create(user=user, organisation=personas.structure, role="dietitian")
    client = client_as(personas.coordinator)
    url = reverse("professionals:structure", args=[personas.structure.public_id])

    # structure, professionals with profile and category, their contracts with the structure
    with django_assert_num_queries(AROUND_THE_VIEW + 3):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 20])
def test_the_ars_diplomas_page_query_count_does_not_grow_with_rows(
    personas, client_as, psychologist, contract, django_assert_num_queries, extra
):
    for _ in range(extra + 1):
        _diploma(personas, psychologist)
    client = client_as(personas.ars_analyst)
    url = reverse("professionals:structure-diplomas", args=[personas.structure.public_id])

    # structure, diplomas with their professional
    with django_assert_num_queries(AROUND_THE_VIEW + 2):
        page = _html(client.get(url))
    assert page.count("<td>Master de psychologie clinique</td>") == extra + 1


def test_the_ars_analyst_downloads_a_diploma_but_cannot_open_the_professional_file(
    personas, client_as, psychologist, contract
):
    diploma = _diploma(personas, psychologist)
    client = client_as(personas.ars_analyst)
    response = client.get(reverse("professionals:diploma-file", args=[diploma.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert (
        client.get(reverse("professionals:detail", args=[psychologist.public_id])).status_code
        == 404
    )
    archive = reverse("professionals:diploma-archive", args=[diploma.public_id])
    assert client.post(archive).status_code == 403
    diploma.refresh_from_db()
    assert diploma.archived_at is None


def test_a_professional_reaches_their_own_page_and_adds_a_diploma(
    personas, client_as, psychologist
):
    client = client_as(personas.psychologist)
    response = client.get(reverse("professionals:me"))
    assert response.status_code == 302
    page = _html(client.get(response["Location"]))
    assert "Mon profil professionnel" in page
    url = reverse("professionals:diploma-add", args=[psychologist.public_id])
    response = client.post(
        url,
        {
            "title": "DU psycho-oncologie",
            "issuer": "Université Claude Bernard",
            "obtained_on": "2018-06-30",
            "evidence": SimpleUploadedFile("du.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    assert Diploma.objects.get().uploaded_by == personas.psychologist


def test_a_disguised_file_is_refused_on_the_page_and_nothing_is_saved(
    personas, client_as, psychologist
):
    client = client_as(personas.psychologist)
    url = reverse("professionals:diploma-add", args=[psychologist.public_id])
    page = _html(
        client.post(
            url,
            {
                "title": "DU",
                "issuer": "Université",
                "obtained_on": "2018-06-30",
                "evidence": SimpleUploadedFile("du.pdf", b"<html>", content_type="application/pdf"),
            },
        )
    )
    assert "doit être un PDF, une image JPEG ou PNG" in page
    assert not Diploma.objects.exists()


def test_a_professional_updates_their_profile(personas, client_as, psychologist, geography):
    client = client_as(personas.psychologist)
    url = reverse("professionals:profile-edit", args=[psychologist.public_id])
    assert _html(client.get(url))
    response = client.post(
        url,
        {
            "profession": "psychologist",
            "adeli": "691234567",
            "commune_insee": "69266",
            "practice_address": "1 place de la Santé",
            "video_consultations": "on",
        },
    )
    assert response.status_code == 302
    profile = psychologist.professional_profile
    assert (profile.adeli, profile.practice_commune_id, profile.video_consultations) == (
        "691234567",
        "69266",
        True,
    )


def test_the_coordinator_creates_a_contract_and_a_rate_above_the_maximum_is_explained(
    personas, client_as, psychologist
):
    client = client_as(personas.coordinator)
    url = reverse("professionals:contract-create", args=[personas.structure.public_id])
    values = {
        "professional": str(psychologist.public_id),
        "kind": "contracted",
        "start_date": "2026-01-01",
        "assessment_rate": "50.00",
        "followup_rate": "20.00",
    }
    page = _html(client.post(url, values))
    assert "maximum réglementaire de 45,00 €" in page
    assert not Contract.objects.exists()
    response = client.post(url, {**values, "assessment_rate": "45.00"})
    assert response.status_code == 302
    assert Contract.objects.get().assessment_rate == Decimal("45.00")


def test_the_coordinator_ends_a_contract_and_it_stays_in_the_history(personas, client_as, contract):
    client = client_as(personas.coordinator)
    url = reverse("professionals:contract-end", args=[contract.public_id])
    response = client.post(url, {"end_date": "2026-06-30"})
    assert response.status_code == 302
    page = _html(client.get(response["Location"]))
    assert "30/06/2026" in page
    contract.refresh_from_db()
    assert contract.end_date == datetime.date(2026, 6, 30)


def test_another_structures_coordinator_cannot_open_the_professional_nor_their_diploma(
    personas, client_as, psychologist, contract
):
    diploma = _diploma(personas, psychologist)
    client = client_as(personas.other_coordinator)
    assert (
        client.get(reverse("professionals:detail", args=[psychologist.public_id])).status_code
        == 404
    )
    assert (
        client.get(reverse("professionals:diploma-file", args=[diploma.public_id])).status_code
        == 404
    )
    structure = reverse("professionals:structure", args=[personas.structure.public_id])
    assert client.get(structure).status_code == 404


def test_a_professional_cannot_see_a_colleagues_file(personas, client_as, psychologist):
    from oncoparcours.accounts.roles import RoleCode
    from oncoparcours.core.testing import make_member

    colleague = make_member(personas.structure, RoleCode.DIETITIAN, "diet@lyon.test")
    client = client_as(colleague)
    assert (
        client.get(reverse("professionals:detail", args=[psychologist.public_id])).status_code
        == 404
    )
    assert client.get(reverse("professionals:list")).status_code == 302
