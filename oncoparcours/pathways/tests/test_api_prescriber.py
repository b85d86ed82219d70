"""POST /api/v1/pathways/prescriptions with the patient described (a prescriber's software or
a hospital system acting with a prescriber's token)."""

import json
from datetime import date

import pytest

from oncoparcours.accounts.services import api_token_create
from oncoparcours.pathways.models import Pathway, Prescription
from oncoparcours.pathways.tests.factories import make_prescriber
from oncoparcours.patients.models import Patient

pytestmark = pytest.mark.django_db

URL = "/api/v1/pathways/prescriptions"


def described(**extra):
    patient = {
        "birth_name": "Lagarde",
        "first_given_name": "Sophie",
        "birth_date": "1969-05-12",
        "sex": "F",
        "commune_insee": "69266",
        "ald_cancer": True,
        "cancer_site": "C50",
        "active_treatment_end_date": date.today().isoformat(),
        "treatment_types": ["chemotherapy"],
    }
    patient.update(extra)
    return {
        "patient": patient,
        "prescription_date": date.today().isoformat(),
        "items": ["apa_assessment", "diet_assessment", "diet_followup"],
    }


def client_with_token(client, membership):
    _token, key = api_token_create(membership=membership, name="Logiciel")
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


def post(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type="application/json", headers=headers)


def test_a_prescriber_describes_the_patient_and_gets_201_with_the_pathway(
    client, personas, covered
):
    prescriber = make_prescriber(personas)
    response = post(client_with_token(client, prescriber), described())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "eligible"
    assert data["structure_id"] == str(personas.structure.public_id)
    assert data["prescription"]["channel"] == "api"
    prescription = Prescription.objects.get()
    assert prescription.prescriber == prescriber.user
    assert Patient.objects.get().structure == personas.structure


def test_a_retried_post_with_the_same_key_creates_one_prescription_and_one_patient(
    client, personas, covered
):
    api = client_with_token(client, make_prescriber(personas))
    first = post(api, described(), **{"Idempotency-Key": "sih-42"})
    again = post(api, described(), **{"Idempotency-Key": "sih-42"})
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert (Pathway.objects.count(), Patient.objects.count()) == (1, 1)


def test_psg03_refusal_is_422_with_the_rule_code_and_the_pathway_kept(client, personas, covered):
    api = client_with_token(client, make_prescriber(personas))
    response = post(api, described(active_treatment_end_date="2024-01-01"))
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["PSG-03"]
    assert Pathway.objects.get().status == "refused"


def test_patient_id_and_patient_together_or_neither_are_refused(client, personas, covered):
    api = client_with_token(client, make_prescriber(personas))
    neither = described()
    del neither["patient"]
    for data in (neither, {**described(), "patient_id": "00000000-0000-4000-8000-000000000000"}):
        response = post(api, data)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "prescription.patient_required"
    assert not Patient.objects.exists()


def test_a_coordinator_may_not_describe_a_patient_here(client, personas, covered):
    response = post(client_with_token(client, personas.coordinator), described())
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == (
        "prescription.patient_inline_prescriber_only",
        "patient",
    )
    assert not Patient.objects.exists()


def test_a_bad_identity_is_400_with_each_field_and_nothing_saved(client, personas, covered):
    api = client_with_token(client, make_prescriber(personas))
    response = post(api, described(commune_insee="99999", cancer_site="Z99"))
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"commune_insee", "cancer_site"} <= fields
    assert not Patient.objects.exists()
    assert not Prescription.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "psychologist", "ars_analyst"])
def test_other_roles_are_refused(client, personas, covered, persona):
    response = post(client_with_token(client, getattr(personas, persona)), described())
    assert response.status_code == 403
    assert not Patient.objects.exists()
