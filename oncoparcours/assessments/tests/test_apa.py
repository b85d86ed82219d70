from decimal import Decimal

import pytest

from oncoparcours.assessments.instruments import (
    InstrumentError,
    chair_stand_30s,
    handgrip,
    six_minute_walk,
)

# --- 6-minute walk (Enright & Sherrill 1998) -------------------------------------------------


def test_six_minute_walk_of_a_man_gives_predicted_distance_percent_and_lower_limit():
    result = six_minute_walk(distance_m=500, sex="male", age=60, height_cm=175, weight_kg=70)
    # predicted = 7.57*175 - 5.02*60 - 1.76*70 - 309 = 1324.75 - 301.2 - 123.2 - 309 = 591.35
    # lower limit = 591.35 - 153 = 438.35; % = 500 / 591.35 * 100 = 84.552... -> 84.6
    assert result.instrument == "six_minute_walk"
    assert result.version == "enright-sherrill-1998"
    assert result.score == Decimal(500)
    assert result.subscores == {
        "predicted_m": Decimal("591.4"),
        "percent_predicted": Decimal("84.6"),
        "lower_limit_m": Decimal("438.4"),
    }
    assert result.interpretation is not None
    assert result.interpretation.code == "within_normal"
    assert result.interpretation.label == "Distance dans les valeurs attendues"
    assert result.answers == {
        "distance_m": Decimal(500),
        "sex": "male",
        "age": 60,
        "height_cm": Decimal(175),
        "weight_kg": Decimal(70),
    }
    assert result.flags == frozenset()


def test_six_minute_walk_exactly_on_the_lower_limit_of_a_woman_is_within_normal():
    result = six_minute_walk(
        distance_m=Decimal("439.2"), sex="female", age=50, height_cm=160, weight_kg=60
    )
    # predicted = 2.11*160 - 2.29*60 - 5.78*50 + 667 = 337.6 - 137.4 - 289 + 667 = 578.2
    # lower limit = 578.2 - 139 = 439.2; % = 439.2 / 578.2 * 100 = 75.959... -> 76.0
    assert result.subscores["predicted_m"] == Decimal("578.2")
    assert result.subscores["lower_limit_m"] == Decimal("439.2")
    assert result.subscores["percent_predicted"] == Decimal("76.0")
    assert result.interpretation is not None
    assert result.interpretation.code == "within_normal"


def test_six_minute_walk_just_below_the_lower_limit_is_flagged_below():
    result = six_minute_walk(
        distance_m=Decimal("439.1"), sex="female", age=50, height_cm=160, weight_kg=60
    )
    # 439.1 < 439.2; % = 439.1 / 578.2 * 100 = 75.942... -> 75.9
    assert result.subscores["percent_predicted"] == Decimal("75.9")
    assert result.interpretation is not None
    assert result.interpretation.code == "below_lower_limit"
    assert result.interpretation.label == "Distance inférieure à la limite basse de la normale"


def test_six_minute_walk_outside_the_study_ages_is_computed_but_flagged_extrapolated():
    young = six_minute_walk(distance_m=600, sex="female", age=39, height_cm=160, weight_kg=60)
    # predicted = 337.6 - 137.4 - 5.78*39 + 667 = 337.6 - 137.4 - 225.42 + 667 = 641.78
    assert young.subscores["predicted_m"] == Decimal("641.8")
    assert young.flags == frozenset({"extrapolated"})
    assert (
        six_minute_walk(distance_m=600, sex="female", age=40, height_cm=160, weight_kg=60).flags
        == frozenset()
    )
    assert (
        six_minute_walk(distance_m=600, sex="female", age=80, height_cm=160, weight_kg=60).flags
        == frozenset()
    )
    assert six_minute_walk(
        distance_m=600, sex="female", age=81, height_cm=160, weight_kg=60
    ).flags == frozenset({"extrapolated"})


def test_six_minute_walk_without_a_usable_prediction_keeps_the_distance_only():
    result = six_minute_walk(distance_m=100, sex="female", age=120, height_cm=100, weight_kg=350)
    # predicted = 211 - 801.5 - 693.6 + 667 = -617.1 <= 0: no reference
    assert result.score == Decimal(100)
    assert result.subscores == {
        "predicted_m": None,
        "percent_predicted": None,
        "lower_limit_m": None,
    }
    assert result.interpretation is not None
    assert result.interpretation.code == "no_reference"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"distance_m": -1}, "instrument.value_out_of_range", "distance_m"),
        ({"distance_m": 1001}, "instrument.value_out_of_range", "distance_m"),
        ({"sex": "x"}, "instrument.unknown_choice", "sex"),
        ({"age": 17}, "instrument.value_out_of_range", "age"),
        ({"height_cm": None}, "instrument.value_missing", "height_cm"),
        ({"weight_kg": "abc"}, "instrument.not_a_number", "weight_kg"),
        ({"weight_kg": True}, "instrument.not_a_number", "weight_kg"),
        ({"weight_kg": float("nan")}, "instrument.not_a_number", "weight_kg"),
    ],
)
def test_six_minute_walk_refuses_impossible_values(changes, code, field):
    values = {"distance_m": 500, "sex": "male", "age": 60, "height_cm": 175, "weight_kg": 70}
    with pytest.raises(InstrumentError) as caught:
        six_minute_walk(**{**values, **changes})
    assert (caught.value.code, caught.value.field) == (code, field)


# --- 30-second chair stand (Rikli & Jones 1999) ---------------------------------------------


@pytest.mark.parametrize(
    ("stands", "code"),
    [
        (10, "below_normal_range"),  # 10 < 11, the low end for women 65-69
        (11, "within_normal_range"),  # exactly the low end
        (16, "within_normal_range"),  # exactly the high end
        (17, "above_normal_range"),  # 17 > 16
    ],
)
def test_chair_stand_of_a_woman_of_66_is_read_against_the_65_69_range(stands, code):
    result = chair_stand_30s(stands=stands, sex="female", age=66)
    assert result.score == stands
    assert result.subscores == {"normal_low": 11, "normal_high": 16}
    assert result.interpretation is not None
    assert result.interpretation.code == code


def test_chair_stand_uses_the_male_range_for_a_man():
    result = chair_stand_30s(stands=12, sex="male", age=72)
    # men 70-74: 12 to 17
    assert result.subscores == {"normal_low": 12, "normal_high": 17}
    assert result.interpretation is not None
    assert result.interpretation.label == "Dans les valeurs usuelles pour l'âge et le sexe"


def test_chair_stand_age_bands_start_at_60_and_end_at_94():
    assert chair_stand_30s(stands=12, sex="female", age=60).subscores["normal_low"] == 12
    assert chair_stand_30s(stands=5, sex="male", age=94).subscores == {
        "normal_low": 7,
        "normal_high": 12,
    }
    for age in (59, 95):
        result = chair_stand_30s(stands=12, sex="female", age=age)
        assert result.score == 12
        assert result.interpretation is not None
        assert result.interpretation.code == "no_reference"


@pytest.mark.parametrize(
    ("stands", "code"),
    [
        (-1, "instrument.value_out_of_range"),
        (61, "instrument.value_out_of_range"),
        (Decimal("10.5"), "instrument.not_a_number"),
        (None, "instrument.value_missing"),
    ],
)
def test_chair_stand_refuses_impossible_counts(stands, code):
    with pytest.raises(InstrumentError) as caught:
        chair_stand_30s(stands=stands, sex="female", age=66)
    assert caught.value.code == code


# --- Handgrip (EWGSOP2) ----------------------------------------------------------------------


def test_handgrip_keeps_the_best_trial_of_each_hand_and_the_best_overall():
    result = handgrip(
        sex="male", right_kg=[Decimal("26.5"), 28, Decimal("27.2")], left_kg=[25, 24.5]
    )
    # right max(26.5, 28, 27.2) = 28; left max(25, 24.5) = 25; best 28 >= 27
    assert result.score == Decimal(28)
    assert result.subscores == {"best_right_kg": Decimal(28), "best_left_kg": Decimal(25)}
    assert result.interpretation is not None
    assert result.interpretation.code == "normal_strength"
    assert result.flags == frozenset()


@pytest.mark.parametrize(
    ("sex", "best", "code"),
    [
        ("male", Decimal(27), "normal_strength"),  # exactly the cut-off: not < 27
        ("male", Decimal("26.9"), "low_strength"),  # 26.9 < 27
        ("female", Decimal(16), "normal_strength"),  # exactly the cut-off: not < 16
        ("female", Decimal("15.9"), "low_strength"),  # 15.9 < 16
    ],
)
def test_handgrip_low_strength_cut_offs_are_27_kg_for_men_and_16_kg_for_women(sex, best, code):
    result = handgrip(sex=sex, left_kg=[best - 1, best])
    assert result.subscores == {"best_right_kg": None, "best_left_kg": best}
    assert result.interpretation is not None
    assert result.interpretation.code == code
    assert (code in result.flags) == (code == "low_strength")


@pytest.mark.parametrize(
    ("right", "code"),
    [
        ([], "instrument.value_missing"),
        ([20, 21, 22, 23], "instrument.value_out_of_range"),
        ([-2], "instrument.value_out_of_range"),
        ([101], "instrument.value_out_of_range"),
    ],
)
def test_handgrip_refuses_missing_extra_or_impossible_trials(right, code):
    with pytest.raises(InstrumentError) as caught:
        handgrip(sex="female", right_kg=right)
    assert caught.value.code == code
