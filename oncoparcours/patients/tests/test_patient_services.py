import logging
from datetime import date, timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from oncoparcours.patients.models import IdentityStatus, Patient
from oncoparcours.patients.services import patient_create, patient_update
from oncoparcours.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db

# Woman born in May 1960 in Lyon (69123): 2 60 05 69 123 456, key 97 - (2600569123456 mod 97)
# = 97 - 45 = 52.
NIR = "2 60 05 69 123 456 52"
NIR_CLEAN = "260056912345652"


def _codes(exc: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def _create(personas, **overrides) -> Patient:
    values = {
        "birth_name": "Bérard",
        "first_given_name": "Émilie",
        "birth_date": date(1960, 5, 17),
        "sex": "F",
        "commune_insee": "69266",
        **overrides,
    }
    return patient_create(by=personas.coordinator, structure=personas.structure, **values)


def test_patient_is_created_with_every_field_normalised(personas):
    patient = _create(
        personas,
        birth_name="  Bérard  ",
        birth_given_names="Émilie  Jeanne Marie",
        used_name="Faure",
        birth_place_insee_code="69123",
        ins_matricule=NIR,
        ins_kind="nir",
        identity_status="qualified",
        phone="06 12 34 56 78",
        email=" Emilie.Berard@Exemple.FR ",
        address="12 rue des Tilleuls",
        gp_name="Dr Anne Martin",
        gp_rpps="1000 0000 009",
        ald_cancer=True,
        ald_start_date=date(2025, 2, 1),
        cancer_site="c509",
        diagnosis_date=date(2025, 1, 10),
        active_treatment_end_date=date(2025, 9, 30),
        treatment_types=["radiotherapy", "surgery", "surgery"],
    )

    patient.refresh_from_db()
    assert patient.birth_name == "Bérard"
    assert patient.birth_given_names == "Émilie Jeanne Marie"
    assert patient.ins_matricule == NIR_CLEAN
    assert patient.ins_oid == "1.2.250.1.213.1.4.8"
    assert patient.ins_is_qualified
    assert patient.email == "emilie.berard@exemple.fr"
    assert patient.gp_rpps == "10000000009"
    assert patient.cancer_site == "C50.9"
    assert patient.treatment_types == ["surgery", "radiotherapy"]
    assert patient.commune_id == "69266"
    assert patient.structure == personas.structure


def test_a_minimal_patient_is_provisional_and_has_no_ins(personas):
    patient = _create(personas, ins_kind="nir")
    assert patient.identity_status == IdentityStatus.PROVISIONAL
    assert patient.ins_kind == ""  # a type without a matricule is dropped
    assert patient.treatment_types == []


FUTURE = timezone.localdate() + timedelta(days=2)


@pytest.mark.parametrize(
    ("field", "value", "code", "french"),
    [
        ("birth_name", "  ", "patient.birth_name.required", "nom de naissance"),
        ("birth_name", "X" * 101, "patient.birth_name.too_long", "100 caractères"),
        ("first_given_name", "", "patient.first_given_name.required", "premier prénom"),
        (
            "birth_given_names",
            "Jeanne Émilie",
            "patient.birth_given_names.first_mismatch",
            "commencer par le premier prénom",
        ),
        ("birth_date", None, "patient.birth_date.required", "date de naissance"),
        ("birth_date", FUTURE, "patient.birth_date.future", "futur"),
        ("birth_date", date(1899, 12, 31), "patient.birth_date.too_old", "1900"),
        ("sex", "X", "patient.sex.invalid", "sexe"),
        (
            "birth_place_insee_code",
            "96001",
            "patient.birth_place_insee_code.format",
            "lieu de naissance",
        ),
        ("ins_matricule", "2 60 05 69 123 456 53", "identifier.nir.checksum", "clé de contrôle"),
        ("ins_matricule", "2600569", "identifier.nir.format", "15 caractères"),
        ("identity_status", "certain", "patient.identity_status.invalid", "Statut"),
        ("phone", "appelez-moi", "patient.phone.invalid", "téléphone"),
        ("email", "pas-une-adresse", "patient.email.invalid", "adresse électronique"),
        ("address", "x" * 251, "patient.address.too_long", "250 caractères"),
        ("commune_insee", "", "patient.commune.required", "commune de résidence"),
        ("commune_insee", "75056", "patient.commune.unknown", "Auvergne-Rhône-Alpes"),
        ("gp_rpps", "10000000008", "identifier.rpps.checksum", "clé de contrôle"),
        ("ald_start_date", date(2025, 1, 1), "patient.ald_start_date.without_ald", "ALD"),
        ("cancer_site", "E11", "patient.cancer_site.not_cancer", "cancer"),
        ("cancer_site", "sein", "patient.cancer_site.format", "CIM-10"),
        ("diagnosis_date", FUTURE, "patient.diagnosis_date.future", "futur"),
        ("diagnosis_date", date(1950, 1, 1), "patient.diagnosis_date.before_birth", "naissance"),
        (
            "active_treatment_end_date",
            FUTURE + timedelta(days=400),
            "patient.active_treatment_end_date.too_far",
            "moins d'un an",
        ),
        (
            "active_treatment_end_date",
            date(1959, 1, 1),
            "patient.active_treatment_end_date.before_birth",
            "naissance",
        ),
        (
            "treatment_types",
            ["surgery", "homeopathy"],
            "patient.treatment_types.invalid",
            "homeopathy",
        ),
    ],
)
def test_each_invalid_field_is_refused_with_its_code_and_a_french_message(
    personas, field, value, code, french
):
    overrides = {"gp_name": "Dr Martin"} if field == "gp_rpps" else {}
    with pytest.raises(ValidationError) as caught:
        _create(personas, **{field: value, **overrides})

    errors = caught.value.error_dict
    assert [e.code for e in errors[field]] == [code]
    error = errors[field][0]
    assert french in (error.message % error.params if error.params else error.message)
    assert not Patient.objects.exists()


def test_every_error_is_reported_at_once_and_nothing_is_saved(personas, caplog):
    with (
        caplog.at_level(logging.INFO, logger="oncoparcours.refusals"),
        pytest.raises(ValidationError) as caught,
    ):
        _create(
            personas,
            birth_name="",
            sex="?",
            commune_insee="00000",
            ins_matricule="123",
            cancer_site="Z99",
            email="@",
        )

    assert _codes(caught.value) == {
        "birth_name": ["patient.birth_name.required"],
        "sex": ["patient.sex.invalid"],
        "commune_insee": ["patient.commune.unknown"],
        "ins_matricule": ["identifier.nir.format"],
        "ins_kind": ["patient.ins_kind.required"],
        "cancer_site": ["patient.cancer_site.not_cancer"],
        "email": ["patient.email.invalid"],
    }
    assert not Patient.objects.exists()
    # The refusal is logged with its codes, never with who the patient is.
    assert "patient.birth_name.required" in caplog.text
    assert "Émilie" not in caplog.text


def test_a_matricule_needs_its_kind_nir_or_nia(personas):
    with pytest.raises(ValidationError) as caught:
        _create(personas, ins_matricule=NIR)
    assert _codes(caught.value) == {"ins_kind": ["patient.ins_kind.required"]}
    assert _create(personas, ins_matricule=NIR, ins_kind="nia").ins_oid == "1.2.250.1.213.1.4.9"


@pytest.mark.parametrize("status", ["qualified", "recovered"])
def test_a_qualified_or_recovered_identity_requires_a_matricule_ins06(personas, status):
    with pytest.raises(ValidationError) as caught:
        _create(personas, identity_status=status)
    assert _codes(caught.value) == {"identity_status": ["patient.identity_status.requires_ins"]}
    assert "INSi" in caught.value.error_dict["identity_status"][0].message


def test_a_matricule_that_contradicts_sex_and_birth_date_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        _create(personas, ins_matricule=NIR, ins_kind="nir", sex="M", birth_date=date(1961, 5, 1))
    error = caught.value.error_dict["ins_matricule"][0]
    assert error.code == "patient.ins_matricule.traits_mismatch"
    assert error.message % error.params == (
        "Le matricule INS ne correspond pas à l'identité saisie (le sexe, l'année de "
        "naissance). Vérifiez le matricule et les traits d'identité."
    )


def test_an_rpps_without_the_doctors_name_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        _create(personas, gp_rpps="10000000009")
    assert _codes(caught.value) == {"gp_name": ["patient.gp_name.required"]}


def test_end_of_treatment_cannot_precede_the_diagnosis(personas):
    with pytest.raises(ValidationError) as caught:
        _create(
            personas,
            diagnosis_date=date(2025, 3, 1),
            active_treatment_end_date=date(2025, 2, 1),
        )
    assert _codes(caught.value) == {
        "active_treatment_end_date": ["patient.active_treatment_end_date.before_diagnosis"]
    }


def test_a_planned_end_of_treatment_a_few_months_ahead_is_accepted(personas):
    ahead = timezone.localdate() + timedelta(days=90)
    assert _create(personas, active_treatment_end_date=ahead).active_treatment_end_date == ahead


def test_only_an_active_structure_porteuse_follows_patients(personas):
    ars = personas.ars_analyst.organisation
    with pytest.raises(ValidationError) as caught:
        patient_create(
            by=personas.coordinator,
            structure=ars,
            birth_name="Bérard",
            first_given_name="Émilie",
            birth_date=date(1960, 5, 17),
            sex="F",
            commune_insee="69266",
        )
    assert _codes(caught.value) == {NON_FIELD_ERRORS: ["patient.structure.invalid"]}


def test_update_changes_the_given_fields_only(personas, geography):
    patient = make_patient(personas.structure, geography["69123"], birth_name="Bérard")

    patient_update(
        by=personas.coordinator,
        patient=patient,
        ald_cancer=True,
        cancer_site="C61",
        commune_insee="42218",
    )

    patient.refresh_from_db()
    assert patient.ald_cancer
    assert patient.cancer_site == "C61"
    assert patient.commune_id == "42218"
    assert patient.birth_name == "Bérard"


def test_update_validates_the_patient_as_it_would_become_and_saves_nothing(personas, geography):
    patient = make_patient(personas.structure, geography["69123"], diagnosis_date=date(2025, 3, 1))

    with pytest.raises(ValidationError) as caught:
        patient_update(
            by=personas.coordinator,
            patient=patient,
            cancer_site="C50",
            active_treatment_end_date=date(2025, 1, 1),
        )

    assert _codes(caught.value) == {
        "active_treatment_end_date": ["patient.active_treatment_end_date.before_diagnosis"]
    }
    patient.refresh_from_db()
    assert patient.cancer_site == ""


def test_an_archived_patient_cannot_be_changed(personas, geography):
    patient = make_patient(personas.structure, geography["69123"], archived_at=timezone.now())
    with pytest.raises(ValidationError) as caught:
        patient_update(by=personas.coordinator, patient=patient, phone="0600000000")
    assert _codes(caught.value) == {NON_FIELD_ERRORS: ["patient.archived"]}


def test_update_rejects_fields_that_are_not_editable(personas, geography):
    patient = make_patient(personas.structure, geography["69123"])
    with pytest.raises(TypeError):
        patient_update(by=personas.coordinator, patient=patient, structure=None)
