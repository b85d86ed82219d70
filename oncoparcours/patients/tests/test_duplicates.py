"""Issue 3 item 1: on intake, propose the existing patient instead of creating a twin."""

from datetime import date

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from oncoparcours.patients.models import Patient
from oncoparcours.patients.selectors import IdentityTraits, patient_duplicates
from oncoparcours.patients.services import patient_create, patient_update
from oncoparcours.patients.services import patients as patient_services
from oncoparcours.patients.tests.factories import make_nir, make_patient

pytestmark = pytest.mark.django_db

NIR = make_nir("2600569123456")  # key 52, see test_patient_services


@pytest.fixture
def elodie(personas, geography):
    return make_patient(
        personas.structure,
        geography["69123"],
        birth_name="Bérard-Lefèvre",
        first_given_name="Élodie",
        birth_date=date(1960, 5, 17),
        sex="F",
        birth_place_insee_code="69123",
        ins_matricule=NIR,
        ins_kind="nir",
    )


@pytest.fixture
def elsewhere(personas, geography):
    return make_patient(
        personas.other_structure,
        geography["63113"],
        birth_name="Volcan",
        first_given_name="Paule",
        birth_date=date(1960, 5, 17),
        ins_matricule=NIR,
        ins_kind="nir",
    )


def _create(membership, **overrides) -> Patient:
    values = {
        "birth_name": "BERARD LEFEVRE",
        "first_given_name": "ELODIE",
        "birth_date": date(1960, 5, 17),
        "sex": "F",
        "commune_insee": "69266",
        **overrides,
    }
    return patient_create(by=membership, structure=membership.organisation, **values)


def _only_error(exc: ValidationError, field: str) -> ValidationError:
    assert list(exc.error_dict) == [field]
    [error] = exc.error_dict[field]
    return error


def test_same_ins_in_the_same_structure_names_the_existing_patient(personas, elodie):
    with pytest.raises(ValidationError) as caught:
        _create(personas.coordinator, birth_name="Autre", ins_matricule=NIR, ins_kind="nir")

    error = _only_error(caught.value, "ins_matricule")
    assert error.code == "patient.duplicate_ins"
    assert error.params is not None
    assert error.params["patient_id"] == str(elodie.public_id)
    message = error.message % error.params
    assert "BÉRARD-LEFÈVRE Élodie" in message
    assert str(elodie.public_id) in message
    assert Patient.objects.count() == 1


def test_same_ins_in_another_structure_is_refused_without_naming_anyone(personas, elsewhere):
    with pytest.raises(ValidationError) as caught:
        _create(personas.coordinator, ins_matricule=NIR, ins_kind="nir")

    error = _only_error(caught.value, "ins_matricule")
    assert error.code == "patient.duplicate_ins"
    message = error.message % (error.params or {})
    assert "autre structure" in message
    assert "Volcan" not in message
    assert "VOLCAN" not in message
    assert "Paule" not in message
    assert str(elsewhere.public_id) not in message
    assert not error.params
    assert Patient.objects.count() == 1


def test_same_ins_is_refused_even_when_the_coordinator_confirms(personas, elodie):
    with pytest.raises(ValidationError) as caught:
        _create(
            personas.coordinator,
            ins_matricule=NIR,
            ins_kind="nir",
            confirm_not_duplicate=True,
        )
    assert _only_error(caught.value, "ins_matricule").code == "patient.duplicate_ins"


def test_same_strict_traits_with_other_accents_and_case_is_a_possible_duplicate(personas, elodie):
    with pytest.raises(ValidationError) as caught:
        _create(personas.coordinator)

    error = _only_error(caught.value, NON_FIELD_ERRORS)
    assert error.code == "patient.possible_duplicate"
    assert error.params is not None
    assert error.params["patient_ids"] == [str(elodie.public_id)]
    assert "BÉRARD-LEFÈVRE Élodie, né(e) le 17/05/1960" in error.message % error.params
    assert Patient.objects.count() == 1


def test_the_coordinator_may_confirm_it_is_another_person(personas, elodie):
    twin = _create(personas.coordinator, confirm_not_duplicate=True)
    assert twin.pk != elodie.pk
    assert Patient.objects.count() == 2


@pytest.mark.parametrize(
    "difference",
    [
        {"sex": "M"},
        {"birth_date": date(1960, 5, 18)},
        {"first_given_name": "Éloïse"},
        {"birth_name": "Bérard"},
        {"birth_place_insee_code": "42218"},
    ],
)
def test_a_different_strict_trait_is_not_a_duplicate(personas, elodie, difference):
    assert _create(personas.coordinator, **difference).pk != elodie.pk


def test_a_birthplace_known_on_one_side_only_still_matches(personas, geography):
    make_patient(
        personas.structure,
        geography["69123"],
        birth_name="Bérard Lefèvre",
        first_given_name="Élodie",
        birth_date=date(1960, 5, 17),
    )
    with pytest.raises(ValidationError) as caught:
        _create(personas.coordinator, birth_place_insee_code="69123")
    assert _only_error(caught.value, NON_FIELD_ERRORS).code == "patient.possible_duplicate"


def test_look_alikes_in_another_structure_are_not_revealed(personas, geography):
    make_patient(
        personas.other_structure,
        geography["63113"],
        birth_name="Bérard-Lefèvre",
        first_given_name="Élodie",
        birth_date=date(1960, 5, 17),
    )
    assert _create(personas.coordinator).structure == personas.structure


def test_the_selector_finds_candidates_in_every_structure(personas, elodie, geography):
    look_alike = make_patient(
        personas.other_structure,
        geography["63113"],
        birth_name="berard lefevre",
        first_given_name="elodie",
        birth_date=date(1960, 5, 17),
    )
    traits = IdentityTraits(
        birth_name="Bérard-Lefèvre",
        first_given_name="Élodie",
        birth_date=date(1960, 5, 17),
        sex="F",
        birth_place_insee_code="69123",
    )
    assert patient_duplicates(traits) == [elodie, look_alike]
    assert patient_duplicates(traits, exclude_pk=elodie.pk) == [look_alike]


def test_update_to_another_patients_ins_is_refused(personas, elodie, geography):
    other = make_patient(personas.structure, geography["69123"], birth_name="Dupont")
    with pytest.raises(ValidationError) as caught:
        patient_update(by=personas.coordinator, patient=other, ins_matricule=NIR, ins_kind="nir")
    assert _only_error(caught.value, "ins_matricule").code == "patient.duplicate_ins"
    other.refresh_from_db()
    assert other.ins_matricule == ""


def test_update_without_a_trait_change_does_not_ask_again(personas, elodie, geography):
    twin = make_patient(
        personas.structure,
        geography["69123"],
        birth_name="Bérard-Lefèvre",
        first_given_name="Élodie",
        birth_date=date(1960, 5, 17),
    )
    patient_update(by=personas.coordinator, patient=twin, phone="0612345678")

    with pytest.raises(ValidationError) as caught:
        patient_update(by=personas.coordinator, patient=twin, birth_place_insee_code="69123")
    assert _only_error(caught.value, NON_FIELD_ERRORS).code == "patient.possible_duplicate"
    patient_update(
        by=personas.coordinator,
        patient=twin,
        birth_place_insee_code="69123",
        confirm_not_duplicate=True,
    )


def test_a_concurrent_twin_caught_by_the_database_is_refused_the_same_way(
    personas, elodie, monkeypatch
):
    # As if the other request had committed between our check and our insert.
    monkeypatch.setattr(patient_services, "patient_duplicates", lambda traits, **kw: [])

    with pytest.raises(ValidationError) as caught:
        _create(
            personas.coordinator,
            birth_name="Autre",
            ins_matricule=NIR,
            ins_kind="nir",
        )

    assert _only_error(caught.value, "ins_matricule").code == "patient.duplicate_ins"
    assert Patient.objects.count() == 1
