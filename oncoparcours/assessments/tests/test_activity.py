from decimal import Decimal

import pytest

from oncoparcours.assessments.instruments import InstrumentError, ipaq_short, stage_of_change

NONE = {
    "vigorous_days": 0,
    "vigorous_minutes": 0,
    "moderate_days": 0,
    "moderate_minutes": 0,
    "walking_days": 0,
    "walking_minutes": 0,
}


def ipaq(**answers):
    return ipaq_short(**{**NONE, **answers})


def category(result):
    assert result.interpretation is not None
    return result.interpretation.code


# --- IPAQ short form: MET-minutes/week ------------------------------------------------------


def test_ipaq_sums_met_minutes_per_intensity():
    result = ipaq(
        vigorous_days=3,
        vigorous_minutes=60,
        moderate_days=2,
        moderate_minutes=30,
        walking_days=5,
        walking_minutes=30,
        sitting_minutes=300,
    )
    # vigorous 8.0*60*3 = 1440; moderate 4.0*30*2 = 240; walking 3.3*30*5 = 495
    # total 1440 + 240 + 495 = 2175; vigorous on 3 days and >= 1500 -> high
    assert result.instrument == "ipaq_short"
    assert result.version == "ipaq-sf-scoring-2005"
    assert result.score == Decimal("2175.0")
    assert result.subscores == {
        "vigorous_met": Decimal("1440.0"),
        "moderate_met": Decimal("240.0"),
        "walking_met": Decimal("495.0"),
    }
    assert category(result) == "high"
    assert result.interpretation is not None
    assert result.interpretation.label == "Activité physique élevée"
    assert result.answers["sitting_minutes"] == 300


def test_ipaq_high_by_vigorous_days_starts_exactly_at_1500_met_minutes():
    on = ipaq(vigorous_days=3, vigorous_minutes=50, moderate_days=1, moderate_minutes=75)
    # 8*50*3 = 1200 + 4*75*1 = 300 -> 1500, vigorous 3 days -> high
    assert on.score == Decimal("1500.0")
    assert category(on) == "high"
    below = ipaq(vigorous_days=3, vigorous_minutes=50, moderate_days=1, moderate_minutes=74)
    # 1200 + 4*74 = 296 -> 1496 < 1500; still 3 vigorous days of >= 20 min -> moderate
    assert below.score == Decimal("1496.0")
    assert category(below) == "moderate"


def test_ipaq_high_by_seven_days_starts_exactly_at_3000_met_minutes():
    on = ipaq(vigorous_days=2, vigorous_minutes=100, moderate_days=5, moderate_minutes=70)
    # 8*100*2 = 1600 + 4*70*5 = 1400 -> 3000 over 2 + 5 = 7 days -> high
    assert on.score == Decimal("3000.0")
    assert category(on) == "high"
    below = ipaq(vigorous_days=2, vigorous_minutes=100, moderate_days=5, moderate_minutes=69)
    # 1600 + 4*69*5 = 1380 -> 2980 < 3000; 7 days and >= 600 -> moderate
    assert below.score == Decimal("2980.0")
    assert category(below) == "moderate"


def test_ipaq_moderate_by_three_vigorous_days_needs_20_minutes_a_day():
    on = ipaq(vigorous_days=3, vigorous_minutes=20)
    # 8*20*3 = 480 (< 1500, not high); 3 days of >= 20 min -> moderate
    assert on.score == Decimal("480.0")
    assert category(on) == "moderate"
    below = ipaq(vigorous_days=3, vigorous_minutes=19)
    # 8*19*3 = 456; 19 < 20; 3 days < 5 for the other criteria -> low
    assert below.score == Decimal("456.0")
    assert category(below) == "low"


def test_ipaq_moderate_by_five_days_of_walking_needs_30_minutes_a_day():
    on = ipaq(walking_days=5, walking_minutes=30)
    # 3.3*30*5 = 495 (< 600) but 5 days of >= 30 min -> moderate
    assert on.score == Decimal("495.0")
    assert category(on) == "moderate"
    below = ipaq(walking_days=5, walking_minutes=29)
    # 3.3*29*5 = 478.5 < 600 and 29 < 30 -> low
    assert below.score == Decimal("478.5")
    assert category(below) == "low"
    assert below.interpretation is not None
    assert below.interpretation.label == "Activité physique faible"


def test_ipaq_moderate_activity_and_walking_days_add_up_for_the_five_days():
    result = ipaq(moderate_days=2, moderate_minutes=30, walking_days=3, walking_minutes=30)
    # 4*30*2 = 240 + 3.3*30*3 = 297 -> 537 (< 600); 2 + 3 = 5 days of >= 30 min -> moderate
    assert result.score == Decimal("537.0")
    assert category(result) == "moderate"


def test_ipaq_moderate_by_any_five_days_starts_exactly_at_600_met_minutes():
    on = ipaq(vigorous_days=1, vigorous_minutes=25, moderate_days=4, moderate_minutes=25)
    # 8*25*1 = 200 + 4*25*4 = 400 -> 600 over 5 days -> moderate
    assert on.score == Decimal("600.0")
    assert category(on) == "moderate"
    below = ipaq(vigorous_days=1, vigorous_minutes=24, moderate_days=4, moderate_minutes=25)
    # 8*24 = 192 + 400 -> 592 < 600 -> low
    assert below.score == Decimal("592.0")
    assert category(below) == "low"


def test_ipaq_truncates_each_intensity_to_180_minutes_a_day():
    result = ipaq(walking_days=7, walking_minutes=240)
    # 240 -> 180; 3.3*180*7 = 4158; the answers keep what was said
    assert result.score == Decimal("4158.0")
    assert result.answers["walking_minutes"] == 240


def test_ipaq_recodes_bouts_under_10_minutes_to_zero():
    result = ipaq(vigorous_days=7, vigorous_minutes=9, walking_days=1, walking_minutes=10)
    # vigorous 9 < 10 -> 0 minutes and 0 days; walking 3.3*10*1 = 33
    assert result.subscores["vigorous_met"] == Decimal(0)
    assert result.score == Decimal("33.0")
    assert category(result) == "low"


def test_ipaq_ignores_minutes_given_for_zero_days():
    assert ipaq(moderate_days=0, moderate_minutes=60).score == Decimal(0)


def test_ipaq_accepts_exactly_16_hours_a_day_and_refuses_more():
    result = ipaq(
        vigorous_days=1,
        vigorous_minutes=600,
        moderate_days=1,
        moderate_minutes=200,
        walking_days=1,
        walking_minutes=160,
    )
    # 600 + 200 + 160 = 960, not > 960: kept. Truncated: 8*180 + 4*180 + 3.3*160 =
    # 1440 + 720 + 528 = 2688; only 3 days in all -> low
    assert result.score == Decimal("2688.0")
    assert category(result) == "low"
    with pytest.raises(InstrumentError) as caught:
        ipaq(
            vigorous_days=1,
            vigorous_minutes=600,
            moderate_days=1,
            moderate_minutes=200,
            walking_days=1,
            walking_minutes=161,
        )
    # 600 + 200 + 161 = 961 > 960
    assert caught.value.code == "instrument.implausible_answers"


@pytest.mark.parametrize(
    ("answers", "code", "field"),
    [
        ({"walking_days": 8}, "instrument.value_out_of_range", "walking_days"),
        ({"moderate_minutes": -5}, "instrument.value_out_of_range", "moderate_minutes"),
        ({"sitting_minutes": 1441}, "instrument.value_out_of_range", "sitting_minutes"),
        ({"vigorous_days": Decimal("2.5")}, "instrument.not_a_number", "vigorous_days"),
        ({"vigorous_days": None}, "instrument.value_missing", "vigorous_days"),
    ],
)
def test_ipaq_refuses_answers_out_of_scale(answers, code, field):
    with pytest.raises(InstrumentError) as caught:
        ipaq(**answers)
    assert (caught.value.code, caught.value.field) == (code, field)


# --- Stage of change ------------------------------------------------------------------------


def test_stage_of_change_is_stored_as_a_code_with_its_french_label():
    result = stage_of_change(stage="preparation")
    assert result.instrument == "stage_of_change"
    assert result.score is None
    assert result.answers == {"stage": "preparation"}
    assert result.interpretation is not None
    assert result.interpretation.code == "preparation"
    assert result.interpretation.label == "Préparation (intention dans le mois)"


def test_stage_of_change_refuses_a_stage_outside_the_vocabulary():
    with pytest.raises(InstrumentError) as caught:
        stage_of_change(stage="relapse")
    assert caught.value.code == "instrument.unknown_choice"
    assert caught.value.field == "stage"
