"""POST/PATCH /api/v1/patients and consents: one service behind, its codes in the answer."""

import json
from datetime import date

import pytest
from django.test import Client

from oncoparcours.accounts.services import api_token_create
from oncoparcours.patients.models import Consent, IdempotencyKey, Patient
from oncoparcours.patients.tests.factories import make_nir, make_patient

pytestmark = pytest.mark.django_db

BASE = "/api/v1/patients"
NIR = make_nir("2600569123456")  # 260056912345652
BODY = {
    "birth_name": "Bérard",
    "first_given_name": "Émilie",
    "birth_date": "1960-05-17",
    "sex": "F",
    "commune_insee": "69266",
    "ins_matricule": "2 60 05 69 123 456 52",
    "ins_kind": "nir",
    "identity_status": "qualified",
    "ald_cancer": True,
    "cancer_site": "C50.9",
    "active_treatment_end_date": "2026-03-31",
    "treatment_types": ["surgery", "chemotherapy"],
}


def _token_client(membership) -> tuple[Client, dict[str, str]]:
    _token, key = api_token_create(membership=membership, name="SIH")
    return Client(), {"Authorization": f"Bearer {key}"}


def _post(client, url, body, headers=None):
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def _codes(response) -> list[str]:
    return [e["code"] for e in response.json()["errors"]]


def test_coordinator_creates_a_patient_in_their_structure(personas, client_as):
    response = _post(client_as(personas.coordinator), BASE, BODY)

    assert response.status_code == 201
    body = response.json()
    patient = Patient.objects.get()
    assert body["id"] == str(patient.public_id)
    assert body["ins_matricule"] == NIR
    assert body["ins_oid"] == "1.2.250.1.213.1.4.8"
    assert body["ins_qualified"] is True
    assert body["identity_status_label"] == "qualifiée"
    assert body["treatment_types"] == ["surgery", "chemotherapy"]
    assert body["structure_id"] == str(personas.structure.public_id)
    assert body["consents"] == []


def test_invalid_patient_gets_400_with_every_code_and_nothing_is_saved(personas, client_as):
    body = {**BODY, "ins_matricule": "2 60 05 69 123 456 53", "cancer_site": "E11", "sex": "Z"}

    response = _post(client_as(personas.coordinator), BASE, body)

    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["ins_matricule"]["code"] == "identifier.nir.checksum"
    assert "clé de contrôle" in errors["ins_matricule"]["message"]
    assert errors["cancer_site"]["code"] == "patient.cancer_site.not_cancer"
    assert errors["sex"]["code"] == "patient.sex.invalid"
    assert not Patient.objects.exists()


def test_a_body_without_a_required_trait_is_a_schema_error(personas, client_as):
    body = {k: v for k, v in BODY.items() if k != "birth_name"}
    response = _post(client_as(personas.coordinator), BASE, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "birth_name"


def test_duplicate_ins_answers_with_the_existing_patients_id(personas, client_as, geography):
    existing = make_patient(
        personas.structure, geography["69123"], ins_matricule=NIR, ins_kind="nir"
    )

    response = _post(client_as(personas.coordinator), BASE, {**BODY, "birth_name": "Autre"})

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["code"] == "patient.duplicate_ins"
    assert error["field"] == "ins_matricule"
    assert str(existing.public_id) in error["message"]
    assert Patient.objects.count() == 1


def test_duplicate_ins_in_another_structure_names_nobody(personas, client_as, geography):
    make_patient(
        personas.other_structure,
        geography["63113"],
        birth_name="Volcan",
        ins_matricule=NIR,
        ins_kind="nir",
    )

    response = _post(client_as(personas.coordinator), BASE, BODY)

    assert response.status_code == 400
    assert _codes(response) == ["patient.duplicate_ins"]
    assert "autre structure" in response.content.decode()
    assert "Volcan" not in response.content.decode()


def test_possible_duplicate_is_refused_until_confirmed(personas, client_as, geography):
    existing = make_patient(
        personas.structure, geography["69123"], birth_name="BERARD", first_given_name="Emilie"
    )
    body = {k: v for k, v in BODY.items() if k not in ("ins_matricule", "ins_kind")}
    body["identity_status"] = "provisional"
    client = client_as(personas.coordinator)

    refused = _post(client, BASE, body)
    assert refused.status_code == 400
    [error] = refused.json()["errors"]
    assert error["code"] == "patient.possible_duplicate"
    assert error["field"] is None
    assert str(existing.public_id) in error["message"]

    assert _post(client, BASE, {**body, "confirm_not_duplicate": True}).status_code == 201
    assert Patient.objects.count() == 2


def test_a_retried_post_with_the_same_idempotency_key_returns_the_same_patient(personas):
    client, headers = _token_client(personas.coordinator)
    headers["Idempotency-Key"] = "sih-2026-000123"

    first = _post(client, BASE, BODY, headers)
    second = _post(client, BASE, BODY, headers)

    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Patient.objects.count() == 1
    stored = IdempotencyKey.objects.get()
    assert stored.key == "sih-2026-000123"
    assert stored.membership == personas.coordinator


def test_the_same_key_with_another_body_is_refused(personas):
    client, headers = _token_client(personas.coordinator)
    headers["Idempotency-Key"] = "sih-2026-000123"
    assert _post(client, BASE, BODY, headers).status_code == 201

    response = _post(client, BASE, {**BODY, "first_given_name": "Emma"}, headers)

    assert response.status_code == 400
    assert _codes(response) == ["idempotency.key_reused"]
    assert Patient.objects.count() == 1


def test_a_refused_request_does_not_burn_its_key(personas):
    client, headers = _token_client(personas.coordinator)
    headers["Idempotency-Key"] = "sih-2026-000124"

    assert _post(client, BASE, {**BODY, "sex": "Z"}, headers).status_code == 400
    assert _post(client, BASE, BODY, headers).status_code == 201
    assert Patient.objects.count() == 1


def test_keys_are_per_membership(personas, geography):
    ours, our_headers = _token_client(personas.coordinator)
    theirs, their_headers = _token_client(personas.other_coordinator)
    our_headers["Idempotency-Key"] = their_headers["Idempotency-Key"] = "1"
    body = {k: v for k, v in BODY.items() if k not in ("ins_matricule", "ins_kind")}
    body["identity_status"] = "provisional"

    assert _post(ours, BASE, body, our_headers).status_code == 201
    response = _post(theirs, BASE, {**body, "commune_insee": "63113"}, their_headers)

    assert response.status_code == 201
    assert response.json()["structure_id"] == str(personas.other_structure.public_id)
    assert Patient.objects.count() == 2


def test_a_replay_never_shows_a_patient_now_followed_elsewhere(personas):
    client, headers = _token_client(personas.coordinator)
    headers["Idempotency-Key"] = "sih-2026-000125"
    assert _post(client, BASE, BODY, headers).status_code == 201
    Patient.objects.update(structure=personas.other_structure)

    response = _post(client, BASE, BODY, headers)

    assert response.status_code == 404
    assert "Bérard" not in response.content.decode()
    assert Patient.objects.count() == 1


def test_an_overlong_idempotency_key_is_refused(personas):
    client, headers = _token_client(personas.coordinator)
    headers["Idempotency-Key"] = "k" * 256
    response = _post(client, BASE, BODY, headers)
    assert response.status_code == 400
    assert _codes(response) == ["idempotency.key_invalid"]
    assert not Patient.objects.exists()


def test_coordinator_patches_a_patient_and_clears_a_date(personas, client_as, geography):
    patient = make_patient(personas.structure, geography["69123"], diagnosis_date=date(2025, 1, 10))
    url = f"{BASE}/{patient.public_id}"

    response = _patch(
        client_as(personas.coordinator),
        url,
        {"ald_cancer": True, "cancer_site": "c61", "diagnosis_date": None, "phone": None},
    )

    assert response.status_code == 200
    assert response.json()["cancer_site"] == "C61"
    patient.refresh_from_db()
    assert patient.ald_cancer
    assert patient.diagnosis_date is None


def test_an_invalid_patch_changes_nothing(personas, client_as, geography):
    patient = make_patient(personas.structure, geography["69123"], phone="0612345678")

    response = _patch(
        client_as(personas.coordinator),
        f"{BASE}/{patient.public_id}",
        {"phone": "?", "identity_status": "qualified"},
    )

    assert response.status_code == 400
    assert sorted(_codes(response)) == [
        "patient.identity_status.requires_ins",
        "patient.phone.invalid",
    ]
    patient.refresh_from_db()
    assert patient.phone == "0612345678"


def test_consents_are_recorded_withdrawn_and_kept(personas, client_as, geography):
    patient = make_patient(personas.structure, geography["69123"])
    client = client_as(personas.coordinator)
    url = f"{BASE}/{patient.public_id}/consents"

    created = _post(client, url, {"scope": "share_reports_gp", "given_at": "2026-01-05"})
    assert created.status_code == 201
    consent_id = created.json()["id"]

    withdrawn = _post(client, f"{url}/{consent_id}/withdraw", {"withdrawn_at": "2026-02-01"})
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn_at"] == "2026-02-01"

    [consent] = client.get(f"{BASE}/{patient.public_id}").json()["consents"]
    assert consent["id"] == consent_id
    assert consent["withdrawn_at"] == "2026-02-01"
    assert consent["scope_label"] == "Partage des comptes rendus avec le médecin traitant"


def test_a_minors_consent_without_representative_is_refused(personas, client_as, geography):
    child = make_patient(personas.structure, geography["69123"], birth_date=date(2015, 3, 3))
    response = _post(
        client_as(personas.coordinator),
        f"{BASE}/{child.public_id}/consents",
        {"scope": "evaluation_data", "given_at": "2026-01-05"},
    )
    assert response.status_code == 400
    assert _codes(response) == ["consent.given_by.representative_required"]
    assert not Consent.objects.exists()


def test_withdrawing_another_patients_consent_is_a_404(personas, client_as, geography):
    one = make_patient(personas.structure, geography["69123"])
    other = make_patient(personas.structure, geography["69123"])
    consent = Consent.objects.create(
        patient=other,
        scope="share_reports_gp",
        given_at=date(2026, 1, 5),
        recorded_by=personas.coordinator,
    )
    response = _post(
        client_as(personas.coordinator),
        f"{BASE}/{one.public_id}/consents/{consent.public_id}/withdraw",
        {},
    )
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize("persona", ["ars_analyst", "admin", "psychologist", "outsider"])
def test_roles_that_may_not_handle_patients_cannot_write_either(
    personas, client_as, geography, persona
):
    patient = make_patient(personas.structure, geography["69123"])
    consent = Consent.objects.create(
        patient=patient,
        scope="share_reports_gp",
        given_at=date(2026, 1, 5),
        recorded_by=personas.coordinator,
    )
    client = client_as(getattr(personas, persona))
    url = f"{BASE}/{patient.public_id}"

    responses = [
        _post(client, BASE, BODY),
        _patch(client, url, {"phone": "0600000000"}),
        _post(client, f"{url}/consents", {"scope": "research_reuse", "given_at": "2026-01-05"}),
        _post(client, f"{url}/consents/{consent.public_id}/withdraw", {}),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert Patient.objects.count() == 1
    assert Consent.objects.get().withdrawn_at is None


def test_other_structures_coordinator_gets_404_on_our_patient(personas, client_as, geography):
    patient = make_patient(personas.structure, geography["69123"])
    client = client_as(personas.other_coordinator)
    url = f"{BASE}/{patient.public_id}"

    assert _patch(client, url, {"phone": "0600000000"}).status_code == 404
    consent = _post(
        client, f"{url}/consents", {"scope": "research_reuse", "given_at": "2026-01-05"}
    )
    assert consent.status_code == 404
    patient.refresh_from_db()
    assert patient.phone == ""
