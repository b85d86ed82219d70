"""Channel (a): the prescriber describes the patient and prescribes (issue 3 §2)."""

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.pathways.models import Pathway, Prescription
from oncoparcours.pathways.services import prescription_prescribe
from oncoparcours.pathways.tests.factories import (
    END_OF_TREATMENT,
    RPPS,
    TODAY,
    make_eligible_patient,
    make_prescriber,
)
from oncoparcours.patients.models import Patient

pytestmark = pytest.mark.django_db

NIR = "269055412300183"  # synthetic, key 83 = 97 - (2690554123001 mod 97)


def identity(**extra: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "birth_name": "Lagarde",
        "first_given_name": "Sophie",
        "birth_date": date(1969, 5, 12),
        "sex": "F",
        "commune_insee": "69266",
        "ald_cancer": True,
        "cancer_site": "C50",
        "active_treatment_end_date": END_OF_TREATMENT,
        "treatment_types": ["surgery", "radiotherapy"],
        "gp_name": "Dr Paul Girard",
    }
    fields.update(extra)
    return fields


def prescribe(by, patient: dict[str, Any], **extra: Any) -> Pathway:
    fields: dict[str, Any] = {
        "prescription_date": date(2026, 5, 1),
        "items": ["apa_assessment", "diet_assessment"],
        "today": TODAY,
    }
    fields.update(extra)
    return prescription_prescribe(by=by, patient=patient, **fields)


def test_a_new_patient_is_created_and_followed_by_the_covering_structure(personas, covered):
    prescriber = make_prescriber(personas)
    pathway = prescribe(prescriber, identity())
    assert pathway.status == "eligible"
    assert pathway.structure == personas.structure
    patient = pathway.patient
    assert patient.structure == personas.structure
    assert (patient.birth_name, patient.cancer_site) == ("Lagarde", "C50")
    prescription = pathway.prescription
    assert prescription.channel == "form"
    assert prescription.prescriber == prescriber.user
    assert prescription.prescriber_rpps == RPPS
    received = pathway.events.get(kind="received")
    assert received.data["intake"] == {"patient": "new", "completed_fields": [], "look_alikes": 0}


def test_a_patient_in_an_uncovered_commune_is_followed_by_nobody_yet(personas, geography):
    # PSG-20: no territory covers Villeurbanne here; the DSRC is alerted by orientation.
    pathway = prescribe(make_prescriber(personas), identity())
    assert pathway.uncovered is True
    assert pathway.structure is None
    assert pathway.patient.structure is None


def test_a_known_patient_is_reused_by_matricule_and_only_empty_fields_are_completed(
    personas, covered, geography
):
    known = make_eligible_patient(
        personas.structure,
        geography["69123"],
        birth_name="Lagarde",
        first_given_name="Sophie",
        birth_date=date(1969, 5, 12),
        sex="F",
        ins_matricule=NIR,
        ins_kind="nir",
        cancer_site="",
        gp_name="Dr Déjà Connu",
    )
    pathway = prescribe(
        make_prescriber(personas),
        identity(ins_matricule=NIR, ins_kind="nir", gp_name="Dr Autre"),
    )
    assert Patient.objects.count() == 1
    assert pathway.patient == known
    known.refresh_from_db()
    # The empty cancer site is completed; the GP and the commune already known are kept.
    assert known.cancer_site == "C50"
    assert known.gp_name == "Dr Déjà Connu"
    assert known.commune_id == "69123"
    assert pathway.events.get(kind="received").data["intake"]["completed_fields"] == ["cancer_site"]


def test_a_known_patient_is_reused_by_strict_traits_whatever_the_accents(
    personas, covered, geography
):
    known = make_eligible_patient(
        personas.structure,
        geography["69123"],
        birth_name="LAGARDE",
        first_given_name="Sophie",
        birth_date=date(1969, 5, 12),
        sex="F",
    )
    pathway = prescribe(make_prescriber(personas), identity(first_given_name="sophie"))
    assert pathway.patient == known
    assert Patient.objects.count() == 1


def test_two_look_alikes_already_give_a_new_record_and_the_timeline_says_so(
    personas, covered, geography
):
    for structure in (personas.structure, personas.other_structure):
        make_eligible_patient(
            structure,
            geography["69123"],
            birth_name="Lagarde",
            first_given_name="Sophie",
            birth_date=date(1969, 5, 12),
            sex="F",
        )
    pathway = prescribe(make_prescriber(personas), identity())
    assert Patient.objects.count() == 3
    assert pathway.events.get(kind="received").data["intake"]["look_alikes"] == 2


def test_a_hospital_oncologist_may_prescribe_too(personas, covered):
    hospital = make_organisation("CHU test", OrgKind.HEALTH_ESTABLISHMENT)
    oncologist = make_member(
        hospital, RoleCode.HOSPITAL_ONCOLOGIST, "onco@chu.test", specialty="oncology", rpps=RPPS
    )
    assert prescribe(oncologist, identity()).status == "eligible"


@pytest.mark.parametrize("role", ["coordinator", "psychologist", "outsider", "ars_analyst"])
def test_only_a_prescriber_may_use_this_channel(personas, covered, role):
    with pytest.raises(ValidationError) as caught:
        prescribe(getattr(personas, role), identity())
    assert caught.value.code == "prescription.prescriber_required"
    assert not Patient.objects.exists()


def test_a_bad_identity_refuses_everything_and_saves_nothing(personas, covered):
    with pytest.raises(ValidationError) as caught:
        prescribe(
            make_prescriber(personas),
            identity(birth_name="", commune_insee="99999", unexpected="x"),
        )
    fields = set(caught.value.error_dict)
    assert {"birth_name", "commune_insee", "unexpected"} <= fields
    assert not Patient.objects.exists()
    assert not Prescription.objects.exists()


def test_psg03_a_late_prescription_is_kept_refused_with_its_new_patient(personas, covered):
    pathway = prescribe(
        make_prescriber(personas),
        identity(),
        prescription_date=date(2027, 1, 16),
        today=date(2027, 2, 1),
    )
    assert pathway.status == "refused"
    assert [f["code"] for f in pathway.prescription.failures] == ["PSG-03"]
    # Refused but oriented: the structure's coordinator sees the reasons and may override.
    assert pathway.patient.structure == personas.structure


def test_a_data_error_in_the_prescription_rolls_back_the_new_patient(personas, covered):
    with pytest.raises(ValidationError):
        prescribe(make_prescriber(personas), identity(), items=["massage"])
    assert not Patient.objects.exists()
