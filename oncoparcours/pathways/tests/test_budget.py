"""PSG-04 … PSG-11 at booking, and the ledger to the cent."""

import dataclasses
from datetime import date, timedelta
from decimal import Decimal

import pytest

from oncoparcours.pathways.rules.budget import (
    Act,
    ActStatus,
    cents,
    check_booking,
    delivery_deadline,
    ledger,
)
from oncoparcours.pathways.rules.failures import RuleFailure

ALL_ITEMS = ("apa_assessment", "diet_assessment", "psy_assessment", "diet_followup", "psy_followup")
ASSESSMENT = Decimal("45.00")
FOLLOWUP = Decimal("22.50")
FIRST = date(2025, 3, 31)
CAP = Decimal("180.00")


def _act(kind: str, amount: Decimal, status: ActStatus = ActStatus.BOOKED, on: date = FIRST):
    return Act(kind=kind, amount=amount, status=status, date=on)


def _book(params, acts, kind, amount, on=FIRST, *, items=ALL_ITEMS, first=FIRST):
    return check_booking(
        prescribed_items=items,
        existing_acts=acts,
        new_kind=kind,
        new_amount=amount,
        new_date=on,
        first_assessment_date=first,
        params=params,
    )


def _codes(failures: list[RuleFailure]) -> list[str]:
    return [f.code for f in failures]


def _book_all(params, plan: list[tuple[str, Decimal]]) -> list[Act]:
    """Books each act in turn, asserting each is accepted; returns the acts."""
    acts: list[Act] = []
    for kind, amount in plan:
        assert _book(params, acts, kind, amount) == [], (kind, len(acts))
        acts.append(_act(kind, amount))
    return acts


def test_a_prescribed_assessment_within_every_limit_is_accepted(params):
    assert _book(params, [], "apa_assessment", ASSESSMENT, first=None) == []


# PSG-04


def test_psg04_prestation_not_prescribed_is_refused(params):
    failures = _book(params, [], "psy_followup", FOLLOWUP, items=["diet_assessment"])
    assert [(f.code, f.field) for f in failures] == [("PSG-04", "kind")]
    assert "n'a pas été prescrite" in failures[0].message


def test_psg04_unknown_kind_is_refused(params):
    assert _codes(_book(params, [], "massage", FOLLOWUP)) == ["PSG-04"]


# PSG-11


def test_psg11_apa_session_is_never_billed_to_the_pathway(params):
    failures = _book(params, [], "apa_session", Decimal("0.00"))
    assert [(f.code, f.field) for f in failures] == [("PSG-11", "kind")]
    assert "orientation" in failures[0].message


# PSG-06


def test_psg06_act_on_the_deadline_is_accepted(params):
    # First assessment 2025-03-31 + 12 calendar months = 2026-03-31.
    assert delivery_deadline(FIRST, params) == date(2026, 3, 31)
    assert _book(params, [], "psy_followup", FOLLOWUP, on=date(2026, 3, 31)) == []


def test_psg06_act_one_day_after_the_deadline_is_refused(params):
    failures = _book(params, [], "psy_followup", FOLLOWUP, on=date(2026, 4, 1))
    assert [(f.code, f.field) for f in failures] == [("PSG-06", "date")]
    assert "31/03/2026" in failures[0].message


def test_psg06_deadline_from_29_february_is_28_february(params):
    leap = date(2024, 2, 29)
    assert _book(params, [], "diet_followup", FOLLOWUP, on=date(2025, 2, 28), first=leap) == []
    assert _codes(
        _book(params, [], "diet_followup", FOLLOWUP, on=date(2025, 3, 1), first=leap)
    ) == ["PSG-06"]


def test_psg06_first_assessment_booked_now_opens_the_window(params):
    # No assessment done yet: the new assessment's own date starts the window.
    assert _book(params, [], "psy_assessment", ASSESSMENT, on=date(2027, 1, 5), first=None) == []


def test_psg06_booked_first_assessment_stands_in_until_it_is_done(params):
    booked = [_act("psy_assessment", ASSESSMENT, on=date(2025, 5, 1))]
    ok = _book(params, booked, "psy_followup", FOLLOWUP, on=date(2026, 5, 1), first=None)
    late = _book(params, booked, "psy_followup", FOLLOWUP, on=date(2026, 5, 2), first=None)
    assert ok == []
    assert _codes(late) == ["PSG-06"]


def test_psg06_cancelled_assessment_does_not_open_the_window(params):
    cancelled = [_act("psy_assessment", ASSESSMENT, ActStatus.CANCELLED, on=date(2025, 5, 1))]
    assert _book(params, cancelled, "psy_followup", FOLLOWUP, on=date(2027, 1, 1), first=None) == []


def test_psg06_followup_before_any_assessment_has_no_deadline_yet(params):
    assert _book(params, [], "diet_followup", FOLLOWUP, on=date(2030, 1, 1), first=None) == []


# PSG-10


def test_psg10_second_dietetic_assessment_is_refused(params):
    done = [_act("diet_assessment", ASSESSMENT, ActStatus.DONE)]
    failures = _book(params, done, "diet_assessment", ASSESSMENT)
    assert [(f.code, f.field) for f in failures] == [("PSG-10", "kind")]
    assert "Bilan diététique" in failures[0].message


def test_psg10_a_booked_assessment_counts_but_a_cancelled_one_does_not(params):
    booked = [_act("diet_assessment", ASSESSMENT)]
    assert _codes(_book(params, booked, "diet_assessment", ASSESSMENT)) == ["PSG-10"]
    for status in (ActStatus.CANCELLED, ActStatus.NO_SHOW):
        released = [_act("diet_assessment", ASSESSMENT, status)]
        assert _book(params, released, "diet_assessment", ASSESSMENT) == []


def test_psg10_one_assessment_of_each_kind_is_accepted(params):
    _book_all(
        params,
        [
            ("apa_assessment", ASSESSMENT),
            ("diet_assessment", ASSESSMENT),
            ("psy_assessment", ASSESSMENT),
        ],
    )


# PSG-05


def test_psg05_seventh_followup_is_refused(params):
    six = [_act("diet_followup", Decimal("10.00")) for _ in range(3)] + [
        _act("psy_followup", Decimal("10.00"), ActStatus.DONE) for _ in range(3)
    ]
    failures = _book(params, six, "psy_followup", Decimal("10.00"))
    assert [(f.code, f.field) for f in failures] == [("PSG-05", "kind")]
    assert "6 consultations" in failures[0].message


def test_psg05_cancelled_and_missed_followups_do_not_count(params):
    acts = [_act("diet_followup", FOLLOWUP) for _ in range(5)] + [
        _act("psy_followup", FOLLOWUP, ActStatus.CANCELLED),
        _act("psy_followup", FOLLOWUP, ActStatus.NO_SHOW),
    ]
    assert _book(params, acts, "psy_followup", FOLLOWUP) == []


# PSG-07 / PSG-08


def test_psg07_assessment_at_45_is_accepted_and_at_45_01_refused(params):
    assert _book(params, [], "apa_assessment", Decimal("45.00")) == []
    failures = _book(params, [], "apa_assessment", Decimal("45.01"))
    assert [(f.code, f.field) for f in failures] == [("PSG-07", "amount")]
    assert "45,00 €" in failures[0].message


def test_psg08_followup_at_22_50_is_accepted_and_at_22_51_refused(params):
    assert _book(params, [], "diet_followup", Decimal("22.50")) == []
    failures = _book(params, [], "diet_followup", Decimal("22.51"))
    assert [(f.code, f.field) for f in failures] == [("PSG-08", "amount")]
    assert "22,50 €" in failures[0].message


def test_rates_come_from_the_parameters(params):
    raised = dataclasses.replace(params, followup_max_rate=Decimal("25.00"))
    assert _book(raised, [], "diet_followup", Decimal("25.00")) == []


def test_negative_amount_and_fractions_of_a_cent_are_refused(params):
    assert _codes(_book(params, [], "diet_followup", Decimal("-1.00"))) == ["act.amount_negative"]
    assert _codes(_book(params, [], "diet_followup", Decimal("10.005"))) == ["act.amount_precision"]


def test_float_amount_is_a_programming_error(params):
    with pytest.raises(TypeError):
        _book(params, [], "diet_followup", 22.5)
    with pytest.raises(TypeError):
        Act(kind="diet_followup", amount=22.5, status=ActStatus.BOOKED, date=FIRST)  # type: ignore[arg-type]


# PSG-09: 45·B + 22.50·C ≤ 180 (PSG-10's combinations)


def test_psg09_one_assessment_and_six_followups_fill_the_cap(params):
    # 45 + 6 x 22.50 = 45 + 135 = 180.
    acts = _book_all(params, [("psy_assessment", ASSESSMENT)] + [("psy_followup", FOLLOWUP)] * 6)
    assert ledger(acts, cap=CAP).remaining == Decimal("0.00")
    failures = _book(params, acts, "diet_assessment", ASSESSMENT)
    assert [(f.code, f.field) for f in failures] == [("PSG-09", "amount")]
    assert "180,00 €" in failures[0].message
    assert "il reste 0,00 €" in failures[0].message


def test_psg09_two_assessments_and_four_followups_fill_the_cap(params):
    # 2 x 45 + 4 x 22.50 = 90 + 90 = 180; a fifth follow-up (≤ 6) is refused for the cap only.
    acts = _book_all(
        params,
        [("diet_assessment", ASSESSMENT), ("psy_assessment", ASSESSMENT)]
        + [("diet_followup", FOLLOWUP), ("psy_followup", FOLLOWUP)] * 2,
    )
    assert _codes(_book(params, acts, "psy_followup", FOLLOWUP)) == ["PSG-09"]


def test_psg09_three_assessments_and_two_followups_fill_the_cap(params):
    # 3 x 45 + 2 x 22.50 = 135 + 45 = 180.
    acts = _book_all(
        params,
        [
            ("apa_assessment", ASSESSMENT),
            ("diet_assessment", ASSESSMENT),
            ("psy_assessment", ASSESSMENT),
            ("diet_followup", FOLLOWUP),
            ("psy_followup", FOLLOWUP),
        ],
    )
    assert _codes(_book(params, acts, "diet_followup", FOLLOWUP)) == ["PSG-09"]
    assert _codes(_book(params, acts, "diet_followup", Decimal("0.01"))) == ["PSG-09"]


def test_psg09_spent_and_committed_count_but_released_amounts_do_not(params):
    acts = [
        _act("apa_assessment", ASSESSMENT, ActStatus.DONE),
        _act("diet_assessment", ASSESSMENT, ActStatus.BOOKED),
        _act("psy_assessment", ASSESSMENT, ActStatus.CANCELLED),
        _act("diet_followup", Decimal("20.00"), ActStatus.DONE),
        _act("diet_followup", FOLLOWUP, ActStatus.NO_SHOW),
    ]
    # Used: 45 + 45 + 20 = 110; remaining 70 = 3 x 22.50 + 2.50.
    _book_all_from = list(acts)
    for _ in range(3):
        assert _book(params, _book_all_from, "psy_followup", FOLLOWUP) == []
        _book_all_from.append(_act("psy_followup", FOLLOWUP))
    assert _book(params, _book_all_from, "psy_followup", Decimal("2.50")) == []
    assert _codes(_book(params, _book_all_from, "psy_followup", Decimal("2.51"))) == ["PSG-09"]


def test_psg09_cap_comes_from_the_parameters(params):
    lower = dataclasses.replace(params, cap_per_patient=Decimal("100.00"))
    acts = [_act("apa_assessment", ASSESSMENT), _act("diet_assessment", ASSESSMENT)]
    assert _codes(_book(lower, acts, "psy_followup", Decimal("10.01"))) == ["PSG-09"]
    assert _book(lower, acts, "psy_followup", Decimal("10.00")) == []


# Together


def test_every_booking_failure_is_returned_together(params):
    acts = [_act("diet_assessment", ASSESSMENT, ActStatus.DONE)] + [
        _act("diet_followup", FOLLOWUP, ActStatus.DONE) for _ in range(6)
    ]
    failures = _book(
        params,
        acts,
        "diet_assessment",
        Decimal("45.01"),
        on=FIRST + timedelta(days=366),
        items=["diet_followup"],
    )
    assert [(f.code, f.field) for f in failures] == [
        ("PSG-04", "kind"),
        ("PSG-06", "date"),
        ("PSG-10", "kind"),
        ("PSG-07", "amount"),
        ("PSG-09", "amount"),
    ]


def test_seventh_followup_over_the_cap_reports_both_rules(params):
    acts = _book_all(params, [("psy_assessment", ASSESSMENT)] + [("diet_followup", FOLLOWUP)] * 6)
    assert _codes(_book(params, acts, "psy_followup", FOLLOWUP)) == ["PSG-05", "PSG-09"]


# Ledger


def test_ledger_sums_each_status_to_the_cent():
    acts = [
        _act("psy_followup", FOLLOWUP, ActStatus.DONE),
        _act("psy_followup", FOLLOWUP, ActStatus.DONE),
        _act("psy_followup", FOLLOWUP, ActStatus.DONE),
        _act("diet_assessment", Decimal("44.99"), ActStatus.BOOKED),
        _act("diet_followup", Decimal("22.50"), ActStatus.BOOKED),
        _act("apa_assessment", ASSESSMENT, ActStatus.CANCELLED),
        _act("diet_followup", Decimal("0.01"), ActStatus.NO_SHOW),
    ]
    result = ledger(acts, cap=CAP)
    # Spent 3 x 22.50 = 67.50; committed 44.99 + 22.50 = 67.49; released 45 + 0.01 = 45.01;
    # remaining 180 - 67.49 - 67.50 = 45.01.
    assert result.spent == Decimal("67.50")
    assert result.committed == Decimal("67.49")
    assert result.released == Decimal("45.01")
    assert result.remaining == Decimal("45.01")
    assert result.used == Decimal("134.99")
    assert result.followups_used == 4
    assert str(result.remaining) == "45.01"


def test_ledger_of_no_act_has_the_whole_cap():
    result = ledger([], cap=CAP)
    assert (result.committed, result.spent, result.released) == (Decimal("0.00"),) * 3
    assert result.remaining == Decimal("180.00")
    assert result.followups_used == 0


def test_rounding_is_half_up_never_bankers():
    assert cents(Decimal("22.505")) == Decimal("22.51")
    assert cents(Decimal("22.515")) == Decimal("22.52")
    assert cents(Decimal("0.125")) == Decimal("0.13")


def test_twelve_followups_at_a_third_of_a_euro_add_up_exactly():
    # Decimal, not float: 0.1 + 0.2 style drift never appears.
    acts = [_act("diet_followup", Decimal("0.10"), ActStatus.DONE) for _ in range(3)]
    assert ledger(acts, cap=CAP).spent == Decimal("0.30")
