import json
from datetime import date

import pytest

from oncoparcours.accounts.services import api_token_create
from oncoparcours.pathways.models import Pathway, Prescription
from oncoparcours.pathways.tests.factories import (
    RPPS,
    make_eligible_patient,
    make_prescriber,
    receive,
)

URL = "/api/v1/pathways"


def body(patient, **overrides):
    data = {
        "patient_id": str(patient.public_id),
        "prescriber_name": "Dr Alice Martin",
        "prescriber_rpps": RPPS,
        "prescriber_specialty": "oncology",
        "prescription_date": "2026-05-01",
        "items": ["apa_assessment", "diet_assessment", "psy_followup"],
    }
    data.update(overrides)
    return data


def post(client, url, data=None, **headers):
    return client.post(
        url, data=json.dumps(data or {}), content_type="application/json", headers=headers
    )


@pytest.fixture
def api(client, personas):
    _token, key = api_token_create(membership=personas.coordinator, name="SIH")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def test_an_eligible_prescription_returns_201_with_the_pathway(api, personas, patient):
    response = post(api, f"{URL}/prescriptions", body(patient))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "eligible"
    assert data["structure_id"] == str(personas.structure.public_id)
    assert data["uncovered"] is False
    assert data["cap"] == "180.00"
    assert data["deadline"] is None
    assert data["prescription"]["channel"] == "api"
    assert [e["kind"] for e in data["events"]] == ["received", "eligibility_checked", "oriented"]
    assert Pathway.objects.get().public_id.hex == data["id"].replace("-", "")


@pytest.mark.parametrize(
    ("change", "overrides", "code", "field"),
    [
        ({"ald_cancer": False}, {}, "PSG-01", "ald_cancer"),
        ({}, {"prescriber_specialty": "other"}, "PSG-02", "prescriber_specialty"),
        (
            {"active_treatment_end_date": date(2025, 1, 15)},
            {"prescription_date": "2026-01-16"},
            "PSG-03",
            "prescription_date",
        ),
    ],
)
def test_an_ineligible_prescription_returns_422_with_each_rule_and_is_kept(
    api, patient, change, overrides, code, field
):
    for name, value in change.items():
        setattr(patient, name, value)
    patient.save()
    response = post(api, f"{URL}/prescriptions", body(patient, **overrides))
    assert response.status_code == 422, response.content
    data = response.json()
    assert [(e["code"], e["field"]) for e in data["errors"]] == [(code, field)]
    assert data["errors"][0]["message"]
    pathway = Pathway.objects.get(public_id=data["pathway_id"])
    assert pathway.status == "refused"
    assert pathway.prescription.failures[0]["code"] == code


def test_psg04_an_unknown_prestation_returns_400_and_saves_nothing(api, patient):
    response = post(api, f"{URL}/prescriptions", body(patient, items=["apa_assessment", "yoga"]))
    assert response.status_code == 400
    assert [(e["code"], e["field"]) for e in response.json()["errors"]] == [("PSG-04", "items")]
    assert "yoga" in response.json()["errors"][0]["message"]
    assert not Prescription.objects.exists()


def test_a_future_date_returns_400_in_french(api, patient):
    response = post(api, f"{URL}/prescriptions", body(patient, prescription_date="2099-01-01"))
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["code"] == "prescription.date_in_future"
    assert "futur" in error["message"]
    assert not Prescription.objects.exists()


def test_a_retried_post_with_the_same_key_creates_one_prescription(api, patient):
    first = post(api, f"{URL}/prescriptions", body(patient), **{"Idempotency-Key": "sih-42"})
    again = post(api, f"{URL}/prescriptions", body(patient), **{"Idempotency-Key": "sih-42"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Prescription.objects.count() == 1
    other = post(
        api,
        f"{URL}/prescriptions",
        body(patient, items=["psy_assessment"]),
        **{"Idempotency-Key": "sih-42"},
    )
    assert other.status_code == 400
    assert other.json()["errors"][0]["code"] == "idempotency.key_reused"
    assert Prescription.objects.count() == 1


def test_a_retried_refused_post_answers_422_again(api, patient):
    patient.ald_cancer = False
    patient.save()
    first = post(api, f"{URL}/prescriptions", body(patient), **{"Idempotency-Key": "k"})
    again = post(api, f"{URL}/prescriptions", body(patient), **{"Idempotency-Key": "k"})
    assert (first.status_code, again.status_code) == (422, 422)
    assert first.json()["pathway_id"] == again.json()["pathway_id"]
    assert Prescription.objects.count() == 1


def test_a_patient_of_another_structure_is_not_found(client, personas, patient):
    _token, key = api_token_create(membership=personas.other_coordinator, name="x")
    response = post(client, f"{URL}/prescriptions", body(patient), Authorization=f"Bearer {key}")
    assert response.status_code == 404
    assert not Prescription.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "ars_analyst", "psychologist"])
def test_other_roles_cannot_post_prescriptions(client, personas, patient, who):
    _token, key = api_token_create(membership=getattr(personas, who), name="x")
    response = post(client, f"{URL}/prescriptions", body(patient), Authorization=f"Bearer {key}")
    assert response.status_code == 403
    assert not Prescription.objects.exists()


def test_reading_a_pathway(client_as, personas, patient):
    pathway = receive(personas.coordinator, patient)
    response = client_as(personas.coordinator).get(f"{URL}/{pathway.public_id}")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "eligible"
    assert data["status_label"] == "Éligible, patient à contacter"
    assert data["prescription"]["items"] == ["apa_assessment", "psy_followup"]
    oriented = data["events"][-1]
    assert oriented["kind"] == "oriented"
    assert oriented["data"]["candidates"][0]["distance_km"] == 3.6


def test_the_prescriber_reads_but_cannot_act(client_as, personas, patient):
    prescriber = make_prescriber(personas)
    pathway = receive(personas.coordinator, patient, prescriber=prescriber.user)
    client = client_as(prescriber)
    assert client.get(f"{URL}/{pathway.public_id}").status_code == 200
    assert post(client, f"{URL}/{pathway.public_id}/contacted").status_code == 403
    pathway.refresh_from_db()
    assert pathway.status == "eligible"


@pytest.mark.parametrize("who", ["other_coordinator", "ars_analyst", "outsider"])
def test_others_cannot_read_or_act_on_a_pathway(client_as, personas, patient, who):
    pathway = receive(personas.coordinator, patient)
    client = client_as(getattr(personas, who))
    assert client.get(f"{URL}/{pathway.public_id}").status_code == 404
    for action, data in [
        ("contacted", {}),
        ("override", {"justification": "Une justification assez longue."}),
        ("close", {"outcome": "withdrawn", "reason": "Intrus."}),
    ]:
        assert post(client, f"{URL}/{pathway.public_id}/{action}", data).status_code == 404
    pathway.refresh_from_db()
    assert pathway.status == "eligible"
    assert pathway.events.count() == 3


def test_override_contact_and_close_through_the_api(client_as, personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    client = client_as(personas.coordinator)
    short = post(client, f"{URL}/{pathway.public_id}/override", {"justification": "non"})
    assert short.status_code == 400
    assert short.json()["errors"][0] == {
        "code": "pathway.override_justification_short",
        "message": "La justification doit comporter au moins 20 caractères.",
        "field": "justification",
    }
    response = post(
        client,
        f"{URL}/{pathway.public_id}/override",
        {"justification": "ALD en cours d'ouverture, accord du médecin conseil."},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "eligible"
    assert response.json()["eligibility"] == "overridden"
    assert response.json()["events"][-1]["kind"] == "overridden"
    response = post(client, f"{URL}/{pathway.public_id}/contacted")
    assert response.json()["status"] == "contacted"
    again = post(client, f"{URL}/{pathway.public_id}/contacted")
    assert again.status_code == 400
    assert again.json()["errors"][0]["code"] == "pathway.transition_not_allowed"
    response = post(
        client, f"{URL}/{pathway.public_id}/close", {"outcome": "withdrawn", "reason": "Refus."}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    assert response.json()["closure_reason"] == "Refus."


def test_the_list_is_scoped_paginated_and_filtered(
    client_as, personas, geography, patient, django_assert_num_queries
):
    receive(personas.coordinator, patient)
    clermont = make_eligible_patient(personas.other_structure, geography["63113"])
    receive(personas.other_coordinator, clermont)
    client = client_as(personas.coordinator)

    def listing(query: str = "") -> dict:
        # Session, user, OTP device, active membership; then the count and one page of
        # pathways joined with patient, commune, structure and prescription.
        with django_assert_num_queries(6):
            response = client.get(f"{URL}{query}")
        assert response.status_code == 200
        return response.json()

    data = listing()
    assert data["count"] == 1
    assert data["items"][0]["patient_id"] == str(patient.public_id)
    for _ in range(3):
        other = make_eligible_patient(personas.structure, geography["69123"])
        receive(personas.coordinator, other)
    assert listing()["count"] == 4
    assert listing("?status=refused")["count"] == 0
    assert listing(f"?q={patient.birth_name}")["count"] == 1


@pytest.mark.parametrize("who", ["ars_analyst", "outsider", "psychologist"])
def test_roles_without_pathways_cannot_list(client_as, personas, who):
    assert client_as(getattr(personas, who)).get(URL).status_code == 403
