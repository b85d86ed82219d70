"""The pure parts of the indicators: arithmetic, periods, the cancer grouping, computations on
empty aggregates, and the documentation kept equal to the definitions. No database."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from oncoparcours.evaluation.indicators import arith
from oncoparcours.evaluation.indicators.definitions import INDICATORS, compute_all
from oncoparcours.evaluation.indicators.filters import Period, cancer_group_of

D = Decimal
DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_share_rounds_half_up_and_refuses_an_empty_denominator():
    assert arith.share(1, 6) == D("16.7")  # 16.666…
    assert arith.share(1, 8) == D("12.5")
    assert arith.share(1, 800) == D("0.1")  # 0.125 → 0.1
    assert arith.share(3, 1600) == D("0.2")  # 0.1875 → 0.2
    assert arith.share(0, 0) is None


def test_mean_and_rate():
    assert arith.mean(D("292.50"), 3) == D("97.5")
    assert arith.mean(10, 0) is None
    assert arith.rate_per(4, 1_145_000) == D("0.3")  # 0.349
    assert arith.rate_per(1, 0) is None


def test_median_of_odd_and_even_counts():
    assert arith.median([455, 30, 31]) == D("31.0")
    assert arith.median([10, 14, 19, 29]) == D("16.5")
    assert arith.median([-5, 3]) == D("-1.0")
    assert arith.median([]) is None


@pytest.mark.parametrize(
    ("count", "window"), [(0, (0, 0)), (1, (0, 1)), (2, (0, 2)), (5, (2, 1)), (6, (2, 2))]
)
def test_median_window_names_the_middle_rows(count, window):
    assert arith.median_window(count) == window


def test_periods_are_years_or_quarters():
    assert (Period(2026).start, Period(2026).end_exclusive) == (date(2026, 1, 1), date(2027, 1, 1))
    q2 = Period(2026, 2)
    assert (q2.start, q2.end_exclusive, q2.label) == (date(2026, 4, 1), date(2026, 7, 1), "T2 2026")
    assert Period(2026, 4).end_exclusive == date(2027, 1, 1)
    with pytest.raises(ValueError, match="quarter"):
        Period(2026, 5)


@pytest.mark.parametrize(
    ("site", "group"),
    [
        ("C50.9", "breast"),
        ("C18", "colorectal"),
        ("C21.1", "colorectal"),
        ("C61", "prostate"),
        ("C34.1", "lung"),
        ("C33", "lung"),
        ("C43", "other"),
        ("D05", "other"),
        ("", "unknown"),
    ],
)
def test_cancer_grouping(site, group):
    assert cancer_group_of(site) == group


EMPTY = {
    "included": 0,
    "received": 0,
    "refused": 0,
    "refusal_reasons": dict.fromkeys(("PSG-01", "PSG-02", "PSG-03", "PSG-04", "other"), 0),
    "prescriber_specialties": dict.fromkeys(
        ("oncology", "general_practice", "paediatrics", "other"), 0
    ),
    "age_groups": {"child": 0, "aja": 0, "adult": 0},
    "cancer_groups": dict.fromkeys(
        ("breast", "colorectal", "prostate", "lung", "other", "unknown"), 0
    ),
    "treatment_to_prescription": [],
    "treatment_to_prescription_n": 0,
    "prescription_to_assessment": [],
    "prescription_to_assessment_n": 0,
    "prescription_to_contact": [],
    "prescription_to_contact_n": 0,
    "contact_to_assessment": [],
    "contact_to_assessment_n": 0,
    "acts_by_kind": dict.fromkeys(
        ("apa_assessment", "diet_assessment", "psy_assessment", "diet_followup", "psy_followup"), 0
    ),
    "closed": 0,
    "closed_by_status": dict.fromkeys(("completed", "expired", "withdrawn", "lost", "deceased"), 0),
    "spend_pathways": 0,
    "spend_total": D(0),
    "spend_at_cap": 0,
    "bilans": 0,
    "reports_both": 0,
    "reports_prescriber": 0,
    "reports_gp": 0,
    "reports_withheld_no_consent": 0,
    "contracts": [],
    "profession_labels": [],
    "residents_included": 0,
    "population": 0,
    "uncovered_population": 0,
    "distances": {},
    "department_rates": [("15", "Cantal", 0, 0)],
    "outcome_pairs": [],
    "apa_projects": 0,
    "apa_started": 0,
}


def test_empty_aggregates_give_zero_counts_and_non_computable_ratios_never_an_error():
    results = {r.code: r for r in compute_all(EMPTY)}
    assert list(results) == [f"I-{n}" for n in range(1, 17)]
    for code in ("I-1", "I-3", "I-5", "I-8", "I-12", "I-14"):
        assert results[code].value == 0, code  # counts: zero is a figure
    for code in ("I-2", "I-4", "I-6", "I-7", "I-9", "I-10", "I-11", "I-13", "I-15", "I-16"):
        assert results[code].value is None, code
        assert results[code].reason, code
    for result in results.values():
        for part in result.parts:
            assert part.computable or part.reason, (result.code, part.code)


def test_small_samples_are_flagged_not_hidden():
    result = compute_all({**EMPTY, "received": 4, "refused": 1}, ["I-2"])[0]
    assert (result.value, result.small_sample) == (D("25.0"), True)


def test_the_documentation_repeats_each_definition():
    """docs/indicators.md holds one table row per indicator with the code's very texts."""
    doc = DOC.read_text(encoding="utf-8")
    with translation.override("fr"):
        for indicator in INDICATORS:
            row = (
                f"| {indicator.id} | {indicator.title} | {indicator.definition} | "
                f"{indicator.period_date} |"
            )
            assert row in doc, indicator.id
