from datetime import date

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.patients.rules import (
    age_on,
    clean_birth_place_code,
    clean_cancer_site,
    is_minor_on,
    nir_trait_mismatches,
)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("69123", "69123"),
        ("2a004", "2A004"),
        ("2B033", "2B033"),
        ("97411", "97411"),  # Saint-Denis, La Réunion
        ("98818", "98818"),  # Nouméa
        ("99134", "99134"),  # born in Spain
        (" 15 014 ", "15014"),
    ],
)
def test_birthplace_codes_of_france_overseas_and_abroad_are_accepted(typed, clean):
    assert clean_birth_place_code(typed) == clean


@pytest.mark.parametrize("typed", ["", "6912", "691234", "00123", "96001", "2C004", "ABCDE"])
def test_impossible_birthplace_codes_are_refused_in_french(typed):
    with pytest.raises(ValidationError) as caught:
        clean_birth_place_code(typed)
    assert caught.value.code == "patient.birth_place_insee_code.format"
    assert "lieu de naissance" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "clean"),
    [("C50", "C50"), ("c50.9", "C50.9"), ("C509", "C50.9"), ("C 61", "C61"), ("D05.1", "D05.1")],
)
def test_icd10_cancer_codes_are_normalised(typed, clean):
    assert clean_cancer_site(typed) == clean


@pytest.mark.parametrize("typed", ["50", "C5", "C50.12", "C50-9", "cancer du sein", "C.50"])
def test_malformed_icd10_codes_are_refused(typed):
    with pytest.raises(ValidationError) as caught:
        clean_cancer_site(typed)
    assert caught.value.code == "patient.cancer_site.format"
    assert "CIM-10" in caught.value.message


@pytest.mark.parametrize("typed", ["C98", "D10", "D48.1", "E11", "I10"])
def test_codes_that_are_not_cancers_are_refused(typed):
    with pytest.raises(ValidationError) as caught:
        clean_cancer_site(typed)
    assert caught.value.code == "patient.cancer_site.not_cancer"
    assert "n'est pas celui d'un cancer" in caught.value.message % caught.value.params


def test_age_counts_completed_years():
    assert age_on(date(2008, 6, 15), date(2026, 6, 14)) == 17
    assert age_on(date(2008, 6, 15), date(2026, 6, 15)) == 18


def test_a_person_born_on_29_february_comes_of_age_on_1_march():
    assert is_minor_on(date(2008, 2, 29), date(2026, 2, 28))
    assert not is_minor_on(date(2008, 2, 29), date(2026, 3, 1))


def test_nir_traits_agree_with_the_identity():
    assert nir_trait_mismatches("260056912345652", sex="F", birth_date=date(1960, 5, 17)) == []


def test_nir_traits_that_contradict_the_identity_are_named():
    assert nir_trait_mismatches("260056912345652", sex="M", birth_date=date(1961, 6, 1)) == [
        "sex",
        "birth_year",
        "birth_month",
    ]


def test_unknown_sex_and_unknown_month_are_not_compared():
    # Month 50: INSEE's code when the civil-status record gives no month.
    assert nir_trait_mismatches("178509912304526", sex="U", birth_date=date(1978, 3, 3)) == []
