import pytest

from oncoparcours.assessments.instruments import InstrumentError, mna_sf, nrs_2002

# --- MNA-SF ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # 1 + 2 + 2 + 2 + 2 + 3 = 12: exactly the start of "normal"
        ({"A": 1, "B": 2, "C": 2, "D": 2, "E": 2, "F1": 3}, 12, "normal"),
        # 1 + 1 + 2 + 2 + 2 + 3 = 11: just below -> at risk
        ({"A": 1, "B": 1, "C": 2, "D": 2, "E": 2, "F1": 3}, 11, "at_risk"),
        # 0 + 2 + 2 + 0 + 2 + 2 = 8: exactly the start of "at risk"
        ({"A": 0, "B": 2, "C": 2, "D": 0, "E": 2, "F1": 2}, 8, "at_risk"),
        # 0 + 1 + 2 + 0 + 2 + 2 = 7: just below -> malnourished
        ({"A": 0, "B": 1, "C": 2, "D": 0, "E": 2, "F1": 2}, 7, "malnourished"),
    ],
)
def test_mna_sf_bands_are_0_7_8_11_and_12_14(answers, total, band):
    result = mna_sf(answers)
    assert result.instrument == "mna_sf"
    assert result.version == "mna-sf-2009"
    assert result.score == total
    assert result.interpretation is not None
    assert result.interpretation.code == band


def test_mna_sf_uses_calf_circumference_when_bmi_is_unavailable():
    result = mna_sf({"A": 2, "B": 3, "C": 2, "D": 2, "E": 2, "F1": None, "F2": 3})
    # 2 + 3 + 2 + 2 + 2 + 3 = 14, the maximum
    assert result.score == 14
    assert result.answers == {"A": 2, "B": 3, "C": 2, "D": 2, "E": 2, "F2": 3}
    assert result.interpretation is not None
    assert result.interpretation.label == "État nutritionnel normal"


@pytest.mark.parametrize(
    ("answers", "error", "field"),
    [
        (
            {"A": 2, "B": 3, "C": 2, "D": 2, "E": 2, "F1": 3, "F2": 3},
            "instrument.item_conflict",
            "F2",
        ),
        ({"A": 2, "B": 3, "C": 2, "D": 1, "E": 2, "F1": 3}, "instrument.answer_out_of_scale", "D"),
        ({"A": 2, "B": 3, "C": 2, "D": 2, "F1": 3}, "instrument.item_missing", "E"),
        ({"A": 2, "B": 3, "C": 2, "D": 2, "E": 2}, "instrument.item_missing", "F1"),
        ({"A": 2, "B": 3, "C": 2, "D": 2, "E": 2, "F1": 3, "G": 1}, "instrument.item_unknown", "G"),
        (
            {"A": True, "B": 3, "C": 2, "D": 2, "E": 2, "F1": 3},
            "instrument.answer_out_of_scale",
            "A",
        ),
        (
            {"A": "2", "B": 3, "C": 2, "D": 2, "E": 2, "F1": 3},
            "instrument.answer_out_of_scale",
            "A",
        ),
        ({"A": 2, "B": 3, "C": 2, "D": 2, "E": 2, "F2": 2}, "instrument.answer_out_of_scale", "F2"),
    ],
)
def test_mna_sf_refuses_missing_unknown_conflicting_or_out_of_scale_answers(answers, error, field):
    with pytest.raises(InstrumentError) as caught:
        mna_sf(answers)
    assert (caught.value.code, caught.value.field) == (error, field)


# --- NRS-2002 -------------------------------------------------------------------------------


def test_nrs_2002_age_point_from_70_brings_a_total_of_exactly_3_to_at_risk():
    result = nrs_2002(nutritional_status=1, disease_severity=1, age=70)
    # 1 + 1 + 1 (age >= 70) = 3 >= 3 -> at risk
    assert result.instrument == "nrs_2002"
    assert result.version == "kondrup-2003"
    assert result.score == 3
    assert result.subscores == {"nutritional_status": 1, "disease_severity": 1, "age_point": 1}
    assert result.interpretation is not None
    assert result.interpretation.code == "at_risk"
    assert result.interpretation.label == "Risque nutritionnel : plan de soins nutritionnels"


def test_nrs_2002_at_69_the_same_answers_total_2_and_are_not_at_risk():
    result = nrs_2002(nutritional_status=1, disease_severity=1, age=69)
    # 1 + 1 + 0 = 2 < 3
    assert result.score == 2
    assert result.interpretation is not None
    assert result.interpretation.code == "not_at_risk"


def test_nrs_2002_maximum_is_7():
    # 3 + 3 + 1 = 7
    assert nrs_2002(nutritional_status=3, disease_severity=3, age=80).score == 7


@pytest.mark.parametrize(
    ("values", "error", "field"),
    [
        ({"nutritional_status": 4}, "instrument.answer_out_of_scale", "nutritional_status"),
        ({"disease_severity": -1}, "instrument.answer_out_of_scale", "disease_severity"),
        ({"disease_severity": None}, "instrument.item_missing", "disease_severity"),
        ({"age": 17}, "instrument.value_out_of_range", "age"),
    ],
)
def test_nrs_2002_refuses_answers_out_of_scale(values, error, field):
    with pytest.raises(InstrumentError) as caught:
        nrs_2002(**{"nutritional_status": 1, "disease_severity": 1, "age": 50, **values})
    assert (caught.value.code, caught.value.field) == (error, field)
