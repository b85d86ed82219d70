"""Each indicator on the hand-built dataset (indicators_dataset.py), expected values computed by
hand: the arithmetic is in the comments."""

from decimal import Decimal

import pytest

from oncoparcours.evaluation.indicators.definitions import Result
from oncoparcours.evaluation.indicators.filters import Filters, Period
from oncoparcours.evaluation.selectors import (
    department_scope,
    indicator_set,
    region_scope,
    structure_scope,
    territory_scope,
)
from oncoparcours.evaluation.tests.indicators_dataset import Dataset, dataset_fixture  # noqa: F401

pytestmark = pytest.mark.django_db

YEAR = Period(2026)
D = Decimal


NO_FILTER = Filters()


def results(scope, period=YEAR, filters=NO_FILTER) -> dict[str, Result]:
    return {r.code: r for r in indicator_set(scope, period, filters).results}


def parts(result: Result) -> dict[str, Decimal | None]:
    return {p.code: p.value for p in result.parts}


@pytest.fixture
def region(dataset: Dataset) -> dict[str, Result]:
    return results(region_scope())


def test_i1_counts_pathways_whose_first_assessment_is_in_the_period(region):
    # Pathways 1 (01-20), 2 (02-15), 3 (04-30), 5 (05-20); 6 started in 2025, 4 and 7 never.
    assert region["I-1"].value == 4


def test_i2_share_of_refused_prescriptions_with_reasons(region):
    # Prescribed in 2026: 1, 2, 3, 4, 5, 7 = 6; refused: 4 → 1/6 = 16.67 → 16.7 %.
    i2 = region["I-2"]
    assert (i2.value, i2.numerator, i2.denominator) == (D("16.7"), 1, 6)
    # Pathway 4 broke PSG-02 and PSG-03: each is 1/1 of the refusals.
    assert parts(i2) == {
        "received": 6,
        "refused": 1,
        "PSG-01": D("0.0"),
        "PSG-02": D("100.0"),
        "PSG-03": D("100.0"),
        "PSG-04": D("0.0"),
        "other": D("0.0"),
    }


def test_i3_prescriber_mix(region):
    # 6 prescriptions: oncology 1, 5, 7 = 3/6 = 50 %; GP 2, paediatrics 3, other 4: 1/6 each.
    i3 = region["I-3"]
    assert i3.value == 6
    assert parts(i3) == {
        "oncology": D("50.0"),
        "general_practice": D("16.7"),
        "paediatrics": D("16.7"),
        "other": D("16.7"),
    }


def test_i4_children_and_aja_share(region):
    # Included 1 (adult), 2 (aja), 3 (child), 5 (adult): (1 + 1) / 4 = 50 %.
    i4 = region["I-4"]
    assert (i4.value, i4.numerator, i4.denominator) == (D("50.0"), 2, 4)
    assert parts(i4) == {"child": D("25.0"), "aja": D("25.0"), "adult": D("50.0")}


def test_i5_cancer_site_mix(region):
    # Included: 1 C50.9 breast, 2 C18 colorectal, 3 none, 5 C34 lung: 1/4 = 25 % each.
    assert parts(region["I-5"]) == {
        "breast": D("25.0"),
        "colorectal": D("25.0"),
        "prostate": D("0.0"),
        "lung": D("25.0"),
        "other": D("0.0"),
        "unknown": D("25.0"),
    }


def test_i6_median_delay_from_end_of_treatment_to_prescription(region):
    # Days: 1: 12-01→01-10 = 40; 2: 01-01→02-01 = 31; 3: 03-01→04-01 = 31;
    # 4: 2024-12-01→2026-03-01 = 365 + 90 = 455; 5: 04-01→05-01 = 30; 7: 05-01→06-01 = 31.
    # Sorted 30, 31, 31, 31, 40, 455: median (31 + 31) / 2 = 31.
    i6 = region["I-6"]
    assert (i6.value, i6.denominator) == (D("31.0"), 6)


def test_i7_median_delays_prescription_contact_first_assessment(region):
    # Prescription → first bilan: 1: 10, 2: 14, 3: 29, 5: 19 → (14 + 19) / 2 = 16.5.
    i7 = region["I-7"]
    assert (i7.value, i7.denominator) == (D("16.5"), 4)
    # Prescription → contact (contacted in 2026): 5, 2, 1, 4 → (2 + 4) / 2 = 3.
    # Contact → first bilan (first bilan in 2026): 5, 12, 28, 15 → (12 + 15) / 2 = 13.5.
    assert parts(i7) == {"prescription_to_contact": D("3.0"), "contact_to_assessment": D("13.5")}


def test_i8_done_prestations_by_type(region):
    # Done in 2026: 1: five acts; 2: psy bilan (its follow-up was cancelled); 3: APA bilan (its
    # follow-up is only booked); 5: diet bilan and follow-up; 6: diet follow-up (its APA bilan
    # was in 2025). APA 2, diet 2, psy 2, diet follow-ups 3, psy follow-ups 1 = 10.
    i8 = region["I-8"]
    assert i8.value == 10
    assert parts(i8) == {
        "apa_assessment": 2,
        "diet_assessment": 2,
        "psy_assessment": 2,
        "diet_followup": 3,
        "psy_followup": 1,
    }


def test_i9_mean_spend_of_closed_pathways_and_share_at_cap(region):
    # Closed in 2026: 1 (45 x 3 + 22.50 x 2 = 180), 2 (45; the cancelled act is not spent),
    # 6 (45 + 22.50 = 67.50): (180 + 45 + 67.50) / 3 = 292.50 / 3 = 97.5 €.
    i9 = region["I-9"]
    assert (i9.value, i9.numerator, i9.denominator) == (D("97.5"), D("292.50"), 3)
    # At the 180 € cap: pathway 1 only → 1/3 = 33.3 %.
    assert parts(i9) == {"at_cap": D("33.3")}


def test_i10_completion_and_dropout(region):
    # Closed in 2026: 1 completed, 2 withdrawn, 6 completed → completed 2/3 = 66.7 %.
    i10 = region["I-10"]
    assert (i10.value, i10.numerator, i10.denominator) == (D("66.7"), 2, 3)
    assert parts(i10) == {
        "completed": D("66.7"),
        "expired": D("0.0"),
        "withdrawn": D("33.3"),
        "lost": D("0.0"),
        "deceased": D("0.0"),
        "dropout": D("33.3"),
    }


def test_i11_share_of_bilans_whose_report_reached_both_doctors(region):
    # Bilans done in 2026: 1 APA, 1 diet, 1 psy, 2 psy, 3 APA, 5 diet = 6. Reports: 1 APA sent
    # to both; 1 diet to the prescriber (GP withheld, no consent); 2 psy to the GP (the
    # prescriber's failed). Both: 1/6 = 16.7 %; prescriber 2/6 = 33.3 %; GP 2/6 = 33.3 %.
    i11 = region["I-11"]
    assert (i11.value, i11.numerator, i11.denominator) == (D("16.7"), 1, 6)
    assert parts(i11) == {
        "prescriber": D("33.3"),
        "gp": D("33.3"),
        "withheld_no_consent": D("16.7"),
    }


def test_i12_professionals_under_contract_in_the_period(region):
    # 2026: the psychologist (two contracted contracts, counted once) and the dietitian
    # (salaried from March); the APA teacher's contract ended in 2025. 2 professionals.
    i12 = region["I-12"]
    assert i12.value == 2
    assert parts(i12) == {
        "salaried": 1,
        "contracted": 1,
        "profession_psychologist": 1,
        "profession_dietitian": 1,
    }


def test_i13_inclusion_rate_coverage_and_distance(region):
    # Included residents 4 / 1,145,000 inhabitants (the six test communes) x 100,000 = 0.349.
    i13 = region["I-13"]
    assert (i13.value, i13.numerator, i13.denominator) == (D("0.3"), 4, 1_145_000)
    values = parts(i13)
    # Uncovered: Saint-Étienne 173,000 + Annecy 130,000 + Aurillac 25,000 = 328,000
    # / 1,145,000 = 28.65 %.
    assert values["uncovered_population"] == D("28.6")
    # Rhône: 3 (pathways 1, 2, 3) / 670,000 x 100,000 = 0.448; Puy-de-Dôme: 1 / 147,000 = 0.680.
    assert values["department_69"] == D("0.4")
    assert values["department_63"] == D("0.7")
    assert values["department_15"] == D("0.0")
    # No dietetic or psychological offer is located: not computable.
    assert values["distance_nutrition"] is None
    deprivation = next(p for p in i13.parts if p.code == "deprivation")
    assert not deprivation.computable
    assert "défavorisation" in str(deprivation.reason)


def test_i13_for_a_structure_uses_its_territories(dataset):
    i13 = results(structure_scope(str(dataset.personas.structure.public_id)))["I-13"]
    # Residents of Lyon + Villeurbanne included by the Lyon structure: 1, 2, 3 → 3 / 670,000
    # x 100,000 = 0.448.
    assert (i13.value, i13.denominator) == (D("0.4"), 670_000)
    values = {p.code: p for p in i13.parts}
    assert not values["uncovered_population"].computable
    # The APA offer is at Lyon's town hall: Lyon 0 km, Villeurbanne 3.554 km (haversine);
    # weighted: 3.554 x 150,000 / 670,000 = 0.796 → 0.8 km.
    assert values["distance_apa"].value == D("0.8")


def test_i14_mean_change_between_first_and_last_measure(region):
    # 6MWT: pathway 1 400 → 460 (+60; the superseded 999 is ignored), pathway 5 350 → 380
    # (+30), pathway 2 has one measure → (60 + 30) / 2 = 45 m. HADS: pathway 1 20 → 14 = -6.
    i14 = region["I-14"]
    assert i14.value == 3
    assert parts(i14) == {
        "six_minute_walk": D("45.0"),
        "ipaq_short": None,
        "hads": D("-6.0"),
        "bmi": None,
    }


def test_i15_apa_uptake_proxy(region):
    # First APA project in 2026: pathways 1 and 3 (6's is from 2025); oriented to APA: 1 → 50 %.
    i15 = region["I-15"]
    assert (i15.value, i15.numerator, i15.denominator) == (D("50.0"), 1, 2)


def test_i16_is_not_computable_until_the_questionnaire_exists(region):
    i16 = region["I-16"]
    assert not i16.computable
    assert "questionnaire de satisfaction" in str(i16.reason)


def test_a_structure_sees_only_its_pathways(dataset):
    volcans = results(structure_scope(str(dataset.personas.other_structure.public_id)))
    # Included: pathway 5 only. Closed in 2026: pathway 6, 67.50 € spent, below the cap.
    assert volcans["I-1"].value == 1
    assert (volcans["I-9"].value, parts(volcans["I-9"])) == (D("67.5"), {"at_cap": D("0.0")})
    lyon = results(structure_scope(str(dataset.personas.structure.public_id)))
    # Prescribed in 2026 to Lyon: 1, 2, 3, 4 → 1 refused / 4 = 25 %.
    assert lyon["I-2"].value == D("25.0")


def test_department_and_territory_scopes(dataset):
    # Rhône holds the Lyon structure: its included pathways 1, 2, 3.
    assert results(department_scope("69"))["I-1"].value == 3
    # The territory "Lyon Villeurbanne": Lyon's pathways of residents of its communes.
    assert results(territory_scope(str(dataset.lyon_territory.public_id)))["I-1"].value == 3


def test_quarter_and_filters(dataset):
    # First quarter 2026: first bilans of pathways 1 (01-20) and 2 (02-15).
    assert results(region_scope(), Period(2026, 1))["I-1"].value == 2
    # Adults: 1 and 5; breast cancer: 1 (6 started in 2025); lung: 5.
    assert results(region_scope(), YEAR, Filters(age_group="adult"))["I-1"].value == 2
    assert results(region_scope(), YEAR, Filters(cancer_group="breast"))["I-1"].value == 1
    assert results(region_scope(), YEAR, Filters(cancer_group="other"))["I-1"].value == 0
    assert results(region_scope(), YEAR, Filters(cancer_group="unknown"))["I-1"].value == 1


def test_empty_denominators_are_not_computable_with_a_reason(dataset):
    empty = results(region_scope(), Period(2031))
    assert empty["I-1"].value == 0
    for code in ("I-2", "I-4", "I-6", "I-7", "I-9", "I-10", "I-11", "I-15", "I-16"):
        assert not empty[code].computable, code
        assert empty[code].reason, code
    assert "Aucune prescription" in str(empty["I-2"].reason)
    # A share inside a mix is not computable either, with its reason.
    assert all(not p.computable for p in empty["I-3"].parts)


def test_drill_down_region_to_departments_to_structures_to_territories(dataset):
    region = indicator_set(region_scope(), YEAR, Filters())
    rhone = next(c for c in region.children if c.key == "69")
    assert rhone.included == 3
    rhone_scope = department_scope("69")
    assert rhone_scope is not None
    department = indicator_set(rhone_scope, YEAR, Filters())
    assert [(c.label, c.included) for c in department.children] == [
        ("Association Après-Cancer Lyon", 3)
    ]
    lyon = structure_scope(str(dataset.personas.structure.public_id))
    assert lyon is not None
    structure = indicator_set(lyon, YEAR, Filters())
    assert [c.label for c in structure.children] == ["Lyon Villeurbanne"]
