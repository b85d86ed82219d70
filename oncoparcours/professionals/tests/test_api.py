import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from oncoparcours.professionals import services
from oncoparcours.professionals.models import Contract, Diploma
from oncoparcours.professionals.tests.conftest import PDF

pytestmark = pytest.mark.django_db

BASE = "/api/v1/professionals"
# Session, user, memberships of the user, the active membership (authentication).
AROUND_THE_ENDPOINT = 4


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _contract_body(professional, **overrides):
    return {
        "professional_id": str(professional.public_id),
        "kind": "contracted",
        "start_date": "2026-01-01",
        "assessment_rate": "45.00",
        "followup_rate": "22.50",
        **overrides,
    }


def test_the_coordinator_creates_lists_and_ends_contracts(personas, client_as, psychologist):
    client = client_as(personas.coordinator)
    url = f"{BASE}/structures/{personas.structure.public_id}/contracts"
    response = client.post(url, _contract_body(psychologist), content_type="application/json")
    assert response.status_code == 201, response.content
    contract_id = response.json()["id"]
    listed = client.get(url).json()
    assert [c["id"] for c in listed["items"]] == [contract_id]
    response = client.post(
        f"{BASE}/contracts/{contract_id}/end",
        {"end_date": "2026-12-31"},
        content_type="application/json",
    )
    assert response.json()["end_date"] == "2026-12-31"


def test_a_rate_above_the_maximum_is_a_400_with_the_rule_code(personas, client_as, psychologist):
    client = client_as(personas.coordinator)
    url = f"{BASE}/structures/{personas.structure.public_id}/contracts"
    response = client.post(
        url, _contract_body(psychologist, followup_rate="30.00"), content_type="application/json"
    )
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["code"], error["field"]) == ("PSG-08", "followup_rate")
    assert "22,50 €" in error["message"]
    assert not Contract.objects.exists()


def test_a_malformed_contract_is_a_422(personas, client_as, psychologist):
    client = client_as(personas.coordinator)
    url = f"{BASE}/structures/{personas.structure.public_id}/contracts"
    response = client.post(
        url, _contract_body(psychologist, start_date="hier"), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start_date"


@pytest.mark.parametrize("extra", [0, 10])
def test_the_contract_list_query_count_does_not_grow_with_rows(
    personas, client_as, psychologist, django_assert_num_queries, extra
):
    start = datetime.date(2021, 1, 1)
    for i in range(extra + 1):
        Contract.objects.create(
            professional=psychologist,
            structure=personas.structure,
            kind="salaried",
            start_date=start + datetime.timedelta(days=10 * i),
            end_date=start + datetime.timedelta(days=10 * i + 5),
            assessment_rate="40.00",
            followup_rate="20.00",
            created_by=personas.coordinator,
        )
    client = client_as(personas.coordinator)
    # structure, count, one page of contracts with professional and structure
    with django_assert_num_queries(AROUND_THE_ENDPOINT + 3):
        response = client.get(f"{BASE}/structures/{personas.structure.public_id}/contracts")
    assert response.json()["count"] == extra + 1


def test_a_professional_reads_and_updates_their_profile(personas, client_as, psychologist):
    client = client_as(personas.psychologist)
    url = f"{BASE}/{psychologist.public_id}/profile"
    response = client.patch(url, {"adeli": "691234567"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert client.get(url).json()["adeli"] == "691234567"
    response = client.patch(url, {"adeli": "1"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "identifier.adeli.format"


def test_a_professional_uploads_a_diploma_in_multipart(personas, client_as, psychologist):
    client = client_as(personas.psychologist)
    url = f"{BASE}/{psychologist.public_id}/diplomas"
    response = client.post(
        url,
        {
            "title": "Master de psychologie",
            "issuer": "Université Lyon 2",
            "obtained_on": "2012-06-30",
            "evidence": SimpleUploadedFile("m.pdf", PDF),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["evidence_type"] == "application/pdf"
    assert client.get(url).json()["count"] == 1


def test_a_diploma_without_its_file_or_with_a_bad_one_is_a_400(personas, client_as, psychologist):
    client = client_as(personas.psychologist)
    url = f"{BASE}/{psychologist.public_id}/diplomas"
    values = {"title": "M", "issuer": "U", "obtained_on": "2012-06-30"}
    response = client.post(url, values)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "diploma.evidence_required"
    response = client.post(url, {**values, "evidence": SimpleUploadedFile("m.pdf", b"GIF89a")})
    assert response.json()["errors"][0]["code"] == "diploma.evidence_type"
    assert not Diploma.objects.exists()


def test_the_ars_analyst_lists_a_structures_diplomas_and_nobody_else_outside_does(
    personas, client_as, psychologist, contract
):
    services.diploma_add(
        by=personas.psychologist,
        professional=psychologist,
        title="Master",
        issuer="Université",
        obtained_on=datetime.date(2012, 6, 30),
        evidence=SimpleUploadedFile("m.pdf", PDF),
    )
    url = f"{BASE}/structures/{personas.structure.public_id}/diplomas"
    assert client_as(personas.ars_analyst).get(url).json()["count"] == 1
    assert client_as(personas.other_coordinator).get(url).status_code == 404
    assert client_as(personas.outsider).get(url).status_code == 404
    contracts = f"{BASE}/structures/{personas.structure.public_id}/contracts"
    assert client_as(personas.ars_analyst).get(contracts).status_code == 403


def test_an_administrator_manages_any_structures_contracts(personas, client_as, psychologist):
    client = client_as(personas.admin)
    url = f"{BASE}/structures/{personas.structure.public_id}/contracts"
    response = client.post(url, _contract_body(psychologist), content_type="application/json")
    assert response.status_code == 201
    assert Contract.objects.get().created_by == personas.admin


def test_a_coordinator_cannot_sign_for_another_structure(personas, client_as, psychologist):
    client = client_as(personas.other_coordinator)
    url = f"{BASE}/structures/{personas.structure.public_id}/contracts"
    response = client.post(url, _contract_body(psychologist), content_type="application/json")
    assert response.status_code == 404
    assert not Contract.objects.exists()


def test_the_evidence_is_downloaded_and_the_diploma_archived_through_the_api(
    personas, client_as, psychologist
):
    diploma = services.diploma_add(
        by=personas.psychologist,
        professional=psychologist,
        title="Master de psychologie",
        issuer="Université Lyon 2",
        obtained_on=datetime.date(2012, 6, 30),
        evidence=SimpleUploadedFile("m.pdf", PDF),
    )
    analyst = client_as(personas.ars_analyst)
    response = analyst.get(f"{BASE}/diplomas/{diploma.public_id}/evidence")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    # The ARS reads the evidence (PSG-15) but archiving is the professional's or coordinator's.
    assert analyst.post(f"{BASE}/diplomas/{diploma.public_id}/archive").status_code == 403
    own = client_as(personas.psychologist)
    archived = own.post(f"{BASE}/diplomas/{diploma.public_id}/archive")
    assert archived.status_code == 200, archived.content
    diploma.refresh_from_db()
    assert diploma.archived_at is not None
    again = own.post(f"{BASE}/diplomas/{diploma.public_id}/archive")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "diploma.already_archived"
    # Archived, never deleted: what the ARS received stays downloadable.
    assert analyst.get(f"{BASE}/diplomas/{diploma.public_id}/evidence").status_code == 200


def test_another_structures_member_cannot_download_or_archive_a_diploma(
    personas, client_as, psychologist
):
    diploma = services.diploma_add(
        by=personas.psychologist,
        professional=psychologist,
        title="Master de psychologie",
        issuer="Université Lyon 2",
        obtained_on=datetime.date(2012, 6, 30),
        evidence=SimpleUploadedFile("m.pdf", PDF),
    )
    other = client_as(personas.other_coordinator)
    assert other.get(f"{BASE}/diplomas/{diploma.public_id}/evidence").status_code == 404
    assert other.post(f"{BASE}/diplomas/{diploma.public_id}/archive").status_code == 404
