from datetime import date

import pytest

from oncoparcours.patients.selectors import patient_list_for
from oncoparcours.patients.tests.factories import make_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def patients(personas, geography):
    lyon, clermont = geography["69123"], geography["63113"]
    return {
        "berard": make_patient(
            personas.structure, lyon, birth_name="Bérard", first_given_name="Émilie"
        ),
        "dupont": make_patient(
            personas.structure, lyon, birth_name="Dupont", first_given_name="Jean"
        ),
        "emile": make_patient(personas.structure, lyon, birth_name="Émery", first_given_name="Zoé"),
        "faure": make_patient(
            personas.structure,
            lyon,
            birth_name="Martin",
            used_name="Faure",
            first_given_name="Anne",
        ),
        "elsewhere": make_patient(
            personas.other_structure, clermont, birth_name="Bérard", first_given_name="Paul"
        ),
    }


def _ids(queryset) -> list[int]:
    return [p.pk for p in queryset]


def test_coordinator_sees_the_patients_of_their_structure_ordered_by_name(personas, patients):
    # Accents do not push "Émery" after "Z": the order is on the folded used-or-birth name.
    assert _ids(patient_list_for(personas.coordinator)) == [
        patients["berard"].pk,
        patients["dupont"].pk,
        patients["emile"].pk,
        patients["faure"].pk,
    ]


def test_search_ignores_accents_and_case(personas, patients):
    for query in ("berard", "BÉRARD", "bérard émilie", "EMILIE"):
        assert _ids(patient_list_for(personas.coordinator, q=query)) == [patients["berard"].pk]


def test_search_looks_at_birth_name_used_name_and_first_name(personas, patients):
    assert _ids(patient_list_for(personas.coordinator, q="martin")) == [patients["faure"].pk]
    assert _ids(patient_list_for(personas.coordinator, q="faure")) == [patients["faure"].pk]
    assert _ids(patient_list_for(personas.coordinator, q="zoe")) == [patients["emile"].pk]
    assert _ids(patient_list_for(personas.coordinator, q="inconnu")) == []


def test_other_structure_coordinator_sees_only_their_own_patients(personas, patients):
    assert _ids(patient_list_for(personas.other_coordinator, q="berard")) == [
        patients["elsewhere"].pk
    ]


@pytest.mark.parametrize("persona", ["ars_analyst", "admin", "psychologist", "outsider"])
def test_every_other_role_sees_no_patient(personas, patients, persona):
    assert _ids(patient_list_for(getattr(personas, persona))) == []


def test_nobody_without_a_role_sees_a_patient(patients):
    assert _ids(patient_list_for(None)) == []


def test_archived_patients_stay_listed(personas, geography):
    archived = make_patient(personas.structure, geography["69123"], birth_date=date(1950, 1, 1))
    archived.archived_at = archived.created_at
    archived.save()
    assert _ids(patient_list_for(personas.coordinator)) == [archived.pk]


@pytest.fixture
def identified(personas, geography):
    return make_patient(
        personas.structure,
        geography["42218"],
        birth_name="Lefèvre",
        first_given_name="Inès",
        birth_date=date(1960, 5, 17),
        ins_matricule="260056912345652",
        ins_kind="nir",
    )


def test_search_by_ins_is_exact_and_ignores_spaces(personas, patients, identified):
    assert _ids(patient_list_for(personas.coordinator, q="2 60 05 69 123 456 52")) == [
        identified.pk
    ]
    assert _ids(patient_list_for(personas.coordinator, q="260056912345653")) == []
    assert _ids(patient_list_for(personas.coordinator, ins=" 260056912345652")) == [identified.pk]


def test_search_by_french_birth_date(personas, patients, identified):
    assert _ids(patient_list_for(personas.coordinator, q="17/05/1960")) == [
        patients["berard"].pk,
        patients["dupont"].pk,
        patients["emile"].pk,
        patients["faure"].pk,
        identified.pk,
    ]
    assert _ids(patient_list_for(personas.coordinator, q="lefevre 17/05/1960")) == [identified.pk]
    assert _ids(patient_list_for(personas.coordinator, q="31/02/1960")) == []


def test_search_by_commune_name(personas, patients, identified):
    assert _ids(patient_list_for(personas.coordinator, q="Saint-Étienne")) == [identified.pk]
    assert _ids(patient_list_for(personas.coordinator, q="etienne ines")) == [identified.pk]


def test_family_name_filter_matches_the_start_of_birth_or_used_name(personas, patients):
    assert _ids(patient_list_for(personas.coordinator, family_name="BER")) == [
        patients["berard"].pk
    ]
    assert _ids(patient_list_for(personas.coordinator, family_name="fau")) == [patients["faure"].pk]
    assert _ids(patient_list_for(personas.coordinator, family_name="rard")) == []


def test_birth_date_filter_is_exact(personas, patients):
    assert _ids(patient_list_for(personas.coordinator, birth_date=date(1960, 5, 18))) == []


def test_no_search_reaches_another_structure(personas, patients, geography):
    make_patient(
        personas.other_structure,
        geography["63113"],
        birth_name="Lefèvre",
        ins_matricule="178509912304526",
        ins_kind="nir",
    )
    assert _ids(patient_list_for(personas.coordinator, q="178509912304526")) == []
    assert _ids(patient_list_for(personas.coordinator, family_name="lefevre")) == []
    assert _ids(patient_list_for(personas.coordinator, q="clermont")) == []


def test_search_keys_follow_a_change_of_used_name_even_with_update_fields(personas, patients):
    # The keys are stored (indexed) columns: a save limited to one field still refreshes them.
    faure = patients["faure"]
    faure.used_name = "Lefèvre"
    faure.save(update_fields=["used_name"])
    faure.refresh_from_db()
    assert (faure.name_key, faure.used_name_key, faure.birth_name_key) == (
        "lefevre",
        "lefevre",
        "martin",
    )
    assert _ids(patient_list_for(personas.coordinator, q="lefevre")) == [faure.pk]
    assert _ids(patient_list_for(personas.coordinator, q="faure")) == []
