import pytest

from oncoparcours.assessments.instruments import InstrumentError, distress_thermometer, hads
from oncoparcours.assessments.instruments.psychology import DISTRESS_PROBLEMS, HADS

# --- Distress thermometer -------------------------------------------------------------------


def test_distress_of_exactly_4_is_significant_and_counts_problems_by_category():
    result = distress_thermometer(score=4, problems=["worry", "fatigue", "pain", "worry"])
    assert result.instrument == "distress_thermometer"
    assert result.version == "nccn-dt-0-10-pl5"
    assert result.score == 4
    # duplicates collapse; sorted for a stable record
    assert result.answers == {"score": 4, "problems": ("fatigue", "pain", "worry")}
    # worry: emotional; fatigue, pain: physical
    assert result.subscores == {
        "practical": 0,
        "family": 0,
        "emotional": 1,
        "spiritual": 0,
        "physical": 2,
    }
    assert result.interpretation is not None
    assert result.interpretation.code == "significant"
    assert result.interpretation.label == "Détresse significative : évaluation et orientation"


def test_distress_of_3_is_below_the_threshold():
    result = distress_thermometer(score=3)
    assert result.interpretation is not None
    assert result.interpretation.code == "below_threshold"
    assert result.answers == {"score": 3, "problems": ()}


def test_distress_problem_list_has_five_categories_and_unique_codes():
    codes = [p.code for p in DISTRESS_PROBLEMS]
    assert len(codes) == len(set(codes))
    assert {p.category.value for p in DISTRESS_PROBLEMS} == {
        "practical",
        "family",
        "emotional",
        "spiritual",
        "physical",
    }


@pytest.mark.parametrize(
    ("score", "problems", "error", "field"),
    [
        (11, (), "instrument.value_out_of_range", "score"),
        (-1, (), "instrument.value_out_of_range", "score"),
        (3.5, (), "instrument.not_a_number", "score"),
        (None, (), "instrument.value_missing", "score"),
        (5, ("worry", "boredom"), "instrument.item_unknown", "problems"),
    ],
)
def test_distress_refuses_a_score_out_of_0_10_or_an_unknown_problem(score, problems, error, field):
    with pytest.raises(InstrumentError) as caught:
        distress_thermometer(score=score, problems=problems)
    assert (caught.value.code, caught.value.field) == (error, field)


# --- HADS -----------------------------------------------------------------------------------

# Positions (0 = first printed option) that score 0 on every item: reversed items (first option
# scores 3) need the last position, 3; the others the first, 0.
ALL_ZERO = {
    "A1": 3,
    "D1": 0,
    "A2": 3,
    "D2": 0,
    "A3": 3,
    "D3": 3,
    "A4": 0,
    "D4": 3,
    "A5": 0,
    "D5": 3,
    "A6": 3,
    "D6": 0,
    "A7": 3,
    "D7": 0,
}


def sub_band(result, name):
    return result.sub_interpretations[name].code


def test_hads_reverses_the_items_whose_first_option_scores_3():
    result = hads(dict.fromkeys(ALL_ZERO, 0))
    # every answer on the first option: reversed A1 A2 A3 A6 A7 score 3 each = 15, A4 A5 = 0;
    # reversed D3 D4 D5 = 9, D1 D2 D6 D7 = 0; total 24
    assert result.instrument == "hads"
    assert result.version == "zigmond-snaith-1983"
    assert result.subscores == {"anxiety": 15, "depression": 9}
    assert result.score == 24
    assert sub_band(result, "anxiety") == "case"
    assert sub_band(result, "depression") == "doubtful"
    # the overall interpretation is the more severe sub-band
    assert result.interpretation is not None
    assert result.interpretation.code == "case"


def test_hads_all_last_options_score_only_the_direct_items():
    result = hads(dict.fromkeys(ALL_ZERO, 3))
    # reversed score 0, direct score 3: anxiety A4 A5 = 6; depression D1 D2 D6 D7 = 12
    assert result.subscores == {"anxiety": 6, "depression": 12}
    assert sub_band(result, "anxiety") == "normal"
    assert sub_band(result, "depression") == "case"


def test_hads_all_zero_is_normal_on_both_subscales():
    result = hads(ALL_ZERO)
    assert result.score == 0
    assert result.interpretation is not None
    assert result.interpretation.code == "normal"
    assert result.interpretation.label == "Pas de symptomatologie"


@pytest.mark.parametrize(
    ("changes", "anxiety", "band"),
    [
        # A1 first option 3 + A4 last option 3 + A5 third option 2 = 8: start of doubtful
        ({"A1": 0, "A4": 3, "A5": 2}, 8, "doubtful"),
        # 3 + 3 + 1 = 7: just below -> normal
        ({"A1": 0, "A4": 3, "A5": 1}, 7, "normal"),
        # A1 3 + A2 3 + A4 3 + A5 2 = 11: start of case
        ({"A1": 0, "A2": 0, "A4": 3, "A5": 2}, 11, "case"),
        # 3 + 3 + 3 + 1 = 10: just below -> doubtful
        ({"A1": 0, "A2": 0, "A4": 3, "A5": 1}, 10, "doubtful"),
    ],
)
def test_hads_bands_start_at_8_and_11(changes, anxiety, band):
    result = hads({**ALL_ZERO, **changes})
    assert result.subscores == {"anxiety": anxiety, "depression": 0}
    assert sub_band(result, "anxiety") == band
    assert sub_band(result, "depression") == "normal"


def test_hads_depression_maximum_is_21():
    worst = {"D1": 3, "D2": 3, "D3": 0, "D4": 0, "D5": 0, "D6": 3, "D7": 3}
    result = hads({**ALL_ZERO, **worst})
    # 7 items x 3 = 21
    assert result.subscores["depression"] == 21
    assert result.sub_interpretations["depression"].label == "Symptomatologie certaine"


def test_hads_definitions_hold_codes_and_neutral_labels_only():
    assert [i.code for i in HADS.items][:4] == ["A1", "D1", "A2", "D2"]
    # printed items 1, 3, 5, 6, 8, 10, 11, 13 are the reversed ones
    reversed_positions = [n for n, item in enumerate(HADS.items, start=1) if item.reverse]
    assert reversed_positions == [1, 3, 5, 6, 8, 10, 11, 13]
    assert str(HADS.item("A3").label) == "Anxiété, question 3"
    assert str(HADS.item("D7").label) == "Dépression, question 7"


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"D7": None}, "instrument.item_missing", "D7"),
        ({"A1": 4}, "instrument.answer_out_of_scale", "A1"),
        ({"A1": -1}, "instrument.answer_out_of_scale", "A1"),
        ({"A8": 0}, "instrument.item_unknown", "A8"),
    ],
)
def test_hads_refuses_missing_unknown_or_out_of_scale_items(changes, error, field):
    with pytest.raises(InstrumentError) as caught:
        hads({**ALL_ZERO, **changes})
    assert (caught.value.code, caught.value.field) == (error, field)
