import datetime
from decimal import Decimal

from oncoparcours.core.files import upload_type as evidence_type
from oncoparcours.professionals.rules import check_contract_rates, periods_overlap
from oncoparcours.regulation.parameters import PsgacParameters

PARAMS = PsgacParameters(
    assessment_max_rate=Decimal("45.00"),
    followup_max_rate=Decimal("22.50"),
    cap_per_patient=Decimal("180.00"),
    max_followups=6,
    max_assessments_per_kind=1,
    prescription_window_months=12,
    delivery_window_months=12,
    assessment_minutes=60,
    followup_minutes=30,
    child_max_years=14,
    aja_min_years=15,
    aja_max_years=25,
    contact_after_days=7,
    deadline_within_days=30,
    budget_threshold_percent=80,
)
D = datetime.date


def _codes(assessment: str, followup: str) -> list[str]:
    failures = check_contract_rates(
        assessment_rate=Decimal(assessment), followup_rate=Decimal(followup), params=PARAMS
    )
    return [f.code for f in failures]


def test_rates_exactly_at_the_maximum_are_accepted():
    assert _codes("45.00", "22.50") == []


def test_one_cent_above_either_maximum_is_refused_with_its_rule():
    assert _codes("45.01", "22.50") == ["PSG-07"]
    assert _codes("45.00", "22.51") == ["PSG-08"]


def test_fractions_of_a_cent_are_refused():
    assert _codes("44.999", "10") == ["contract.rate_invalid"]


def test_periods_sharing_one_day_overlap_and_adjacent_ones_do_not():
    assert periods_overlap(D(2026, 1, 1), D(2026, 3, 31), D(2026, 3, 31), None)
    assert not periods_overlap(D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 1), None)
    assert periods_overlap(D(2026, 4, 1), None, D(2020, 1, 1), None)


def test_evidence_type_is_read_from_the_bytes_not_the_name():
    assert evidence_type(b"%PDF-1.7") == "application/pdf"
    assert evidence_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert evidence_type(b"\x89PNG\r\n\x1a\n") == "image/png"
    assert evidence_type(b"MZ\x90\x00") is None
