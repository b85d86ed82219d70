"""PSG-01 … PSG-04 and the age groups, with boundaries computed by hand."""

import dataclasses
from datetime import date

import pytest

from oncoparcours.accounts.models import MedicalSpecialty
from oncoparcours.pathways.rules.eligibility import (
    GENERAL_PRACTICE,
    ONCOLOGY,
    PAEDIATRICS,
    PRESCRIBER_SPECIALTIES,
    AgeGroup,
    age_group,
    check_prescription,
    prescription_deadline,
)
from oncoparcours.pathways.rules.failures import RuleFailure

TODAY = date(2026, 6, 15)
ALL_ITEMS = ["apa_assessment", "diet_assessment", "psy_assessment", "diet_followup", "psy_followup"]


def _check(params, **overrides) -> list[RuleFailure]:
    values = {
        "ald_cancer": True,
        "treatment_received": True,
        "prescriber_specialty": ONCOLOGY,
        "prescription_date": date(2025, 9, 1),
        "active_treatment_end_date": date(2025, 3, 31),
        "items": ["diet_assessment", "psy_followup"],
        "params": params,
        "today": TODAY,
    }
    values.update(overrides)
    return check_prescription(**values)


def _codes(failures: list[RuleFailure]) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in failures]


def test_a_complete_prescription_is_eligible(params):
    assert _check(params) == []


# PSG-01


def test_psg01_patient_without_cancer_ald_is_refused(params):
    failures = _check(params, ald_cancer=False)
    assert _codes(failures) == [("PSG-01", "ald_cancer")]
    assert "affection de longue durée" in failures[0].message


def test_psg01_patient_who_received_no_cancer_treatment_is_refused(params):
    assert _codes(_check(params, treatment_received=False)) == [("PSG-01", "treatment_received")]


# PSG-02


@pytest.mark.parametrize("specialty", [ONCOLOGY, GENERAL_PRACTICE, PAEDIATRICS])
def test_psg02_oncologist_gp_and_paediatrician_may_prescribe(params, specialty):
    assert _check(params, prescriber_specialty=specialty) == []


@pytest.mark.parametrize("specialty", ["other", "cardiology", "", None])
def test_psg02_any_other_prescriber_is_refused(params, specialty):
    failures = _check(params, prescriber_specialty=specialty)
    assert _codes(failures) == [("PSG-02", "prescriber_specialty")]
    assert "pédiatre" in failures[0].message


def test_psg02_specialty_codes_are_those_of_the_accounts_model():
    assert set(MedicalSpecialty.values) >= PRESCRIBER_SPECIALTIES
    assert MedicalSpecialty.OTHER.value not in PRESCRIBER_SPECIALTIES


# PSG-03


def test_psg03_last_day_of_the_window_is_accepted(params):
    # 2025-03-31 + 12 calendar months = 2026-03-31.
    assert prescription_deadline(date(2025, 3, 31), params) == date(2026, 3, 31)
    assert _check(params, prescription_date=date(2026, 3, 31)) == []


def test_psg03_prescription_twelve_months_and_one_day_after_treatment_is_refused(params):
    failures = _check(params, prescription_date=date(2026, 4, 1))
    assert _codes(failures) == [("PSG-03", "prescription_date")]
    assert "31/03/2026" in failures[0].message


def test_psg03_window_from_29_february_ends_on_28_february(params):
    # relativedelta clips to the month's last day: 2024-02-29 + 12 months = 2025-02-28.
    assert prescription_deadline(date(2024, 2, 29), params) == date(2025, 2, 28)
    end = date(2024, 2, 29)
    assert _check(params, active_treatment_end_date=end, prescription_date=date(2025, 2, 28)) == []
    failures = _check(params, active_treatment_end_date=end, prescription_date=date(2025, 3, 1))
    assert _codes(failures) == [("PSG-03", "prescription_date")]


def test_psg03_window_length_comes_from_the_parameters(params):
    six_months = dataclasses.replace(params, prescription_window_months=6)
    assert _check(six_months, prescription_date=date(2025, 9, 30)) == []
    assert _codes(_check(six_months, prescription_date=date(2025, 10, 1))) == [
        ("PSG-03", "prescription_date")
    ]


def test_psg03_prescription_dated_before_the_end_of_treatment_is_accepted(params):
    assert _check(params, prescription_date=date(2025, 1, 10)) == []


def test_psg03_missing_end_of_treatment_date_is_a_failure_on_that_field(params):
    failures = _check(params, active_treatment_end_date=None)
    assert _codes(failures) == [("PSG-03", "active_treatment_end_date")]


def test_prescription_dated_in_the_future_is_refused(params):
    end = date(2026, 1, 31)
    failures = _check(params, active_treatment_end_date=end, prescription_date=date(2026, 6, 16))
    assert _codes(failures) == [("prescription.date_in_future", "prescription_date")]
    assert _check(params, active_treatment_end_date=end, prescription_date=TODAY) == []


# PSG-04


def test_psg04_all_five_prestations_may_be_prescribed_together(params):
    assert _check(params, items=ALL_ITEMS) == []


def test_psg04_prescription_without_any_prestation_is_refused(params):
    assert _codes(_check(params, items=[])) == [("PSG-04", "items")]


def test_psg04_unknown_prestation_is_refused(params):
    failures = _check(params, items=["diet_assessment", "apa_session", "massage"])
    assert _codes(failures) == [("PSG-04", "items"), ("PSG-04", "items")]
    assert "apa_session" in failures[0].message
    assert "massage" in failures[1].message


def test_psg04_prestation_prescribed_twice_is_refused(params):
    failures = _check(params, items=["psy_followup", "psy_followup"])
    assert _codes(failures) == [("PSG-04", "items")]
    assert "Consultation de suivi psychologique" in failures[0].message


# Together


def test_every_failure_is_returned_together_in_rule_order(params):
    failures = _check(
        params,
        ald_cancer=False,
        treatment_received=False,
        prescriber_specialty="other",
        prescription_date=date(2026, 4, 1),
        items=[],
    )
    assert _codes(failures) == [
        ("PSG-01", "ald_cancer"),
        ("PSG-01", "treatment_received"),
        ("PSG-02", "prescriber_specialty"),
        ("PSG-03", "prescription_date"),
        ("PSG-04", "items"),
    ]
    assert all(f.message for f in failures)


# Age groups (OQ-7: child < 15, AJA 15-25 inclusive, adult > 25)

BIRTH = date(2000, 6, 15)


@pytest.mark.parametrize(
    ("on", "group"),
    [
        (date(2014, 6, 15), AgeGroup.CHILD),  # 14th birthday
        (date(2015, 6, 14), AgeGroup.CHILD),  # the day before the 15th
        (date(2015, 6, 15), AgeGroup.AJA),  # 15th birthday
        (date(2025, 6, 15), AgeGroup.AJA),  # 25th birthday
        (date(2026, 6, 14), AgeGroup.AJA),  # the day before the 26th
        (date(2026, 6, 15), AgeGroup.ADULT),  # 26th birthday
    ],
)
def test_age_group_changes_on_the_birthday(params, on, group):
    assert age_group(BIRTH, on, params) == group


def test_age_group_bounds_come_from_the_parameters(params):
    # The INCa reading of OQ-7 (15-24): a 25-year-old is then an adult.
    inca = dataclasses.replace(params, aja_max_years=24)
    assert age_group(BIRTH, date(2025, 6, 15), inca) == AgeGroup.ADULT


def test_someone_born_on_29_february_ages_on_1_march(params):
    born = date(2008, 2, 29)
    assert age_group(born, date(2023, 2, 28), params) == AgeGroup.CHILD
    assert age_group(born, date(2023, 3, 1), params) == AgeGroup.AJA


def test_age_group_before_birth_is_an_error(params):
    with pytest.raises(ValueError, match="before the birth"):
        age_group(BIRTH, date(1999, 1, 1), params)
