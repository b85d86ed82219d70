from decimal import Decimal
from typing import Any

import pytest

from oncoparcours.assessments.instruments import (
    InstrumentError,
    bmi,
    undernutrition_has,
    weight_loss,
)


def code(result):
    assert result.interpretation is not None
    return result.interpretation.code


# --- BMI ------------------------------------------------------------------------------------


def test_bmi_is_weight_over_height_squared_rounded_to_one_decimal():
    result = bmi(weight_kg=Decimal("72.3"), height_cm=170)
    # 72.3 / 1.70^2 = 72.3 / 2.89 = 25.017... -> 25.0, exactly the overweight threshold
    assert result.instrument == "bmi"
    assert result.version == "who-2000"
    assert result.score == Decimal("25.0")
    assert code(result) == "overweight"
    assert result.interpretation is not None
    assert result.interpretation.label == "Surpoids"


@pytest.mark.parametrize(
    ("weight", "height", "expected", "band"),
    [
        # 47.36 / 1.60^2 = 47.36 / 2.56 = 18.5 exactly -> normal
        (Decimal("47.36"), 160, Decimal("18.5"), "normal"),
        # 47.2 / 2.56 = 18.4375 -> 18.4 -> underweight
        (Decimal("47.2"), 160, Decimal("18.4"), "underweight"),
        # 97.2 / 1.80^2 = 97.2 / 3.24 = 30.0 -> obesity
        (Decimal("97.2"), 180, Decimal("30.0"), "obesity"),
        # 97 / 3.24 = 29.938 -> 29.9 -> overweight
        (97, 180, Decimal("29.9"), "overweight"),
    ],
)
def test_bmi_who_bands_start_at_18_5_25_and_30(weight, height, expected, band):
    result = bmi(weight_kg=weight, height_cm=height)
    assert result.score == expected
    assert code(result) == band


@pytest.mark.parametrize(
    ("weight", "height", "error"),
    [
        (-3, 170, "instrument.value_out_of_range"),
        (0, 170, "instrument.value_out_of_range"),
        (70, 0, "instrument.value_out_of_range"),
        (None, 170, "instrument.value_missing"),
        # 350 / 1.00^2 = 350 > 80
        (350, 100, "instrument.bmi_out_of_range"),
        # 20 / 2.50^2 = 3.2 < 10
        (20, 250, "instrument.bmi_out_of_range"),
    ],
)
def test_bmi_refuses_impossible_weights_heights_and_bmis(weight, height, error):
    with pytest.raises(InstrumentError) as caught:
        bmi(weight_kg=weight, height_cm=height)
    assert caught.value.code == error


def test_bmi_out_of_human_range_says_so_in_french():
    with pytest.raises(InstrumentError) as caught:
        bmi(weight_kg=350, height_cm=100)
    assert caught.value.message == (
        "IMC de 350,0 kg/m² hors des valeurs humaines (10 à 80) : vérifiez le poids et la taille."
    )


# --- Weight loss ----------------------------------------------------------------------------


def test_weight_loss_of_exactly_5_percent_in_a_month_meets_the_has_criterion():
    result = weight_loss(current_kg=57, one_month_ago_kg=60)
    # (60 - 57) / 60 * 100 = 5.0 >= 5
    assert result.subscores == {
        "loss_1_month_percent": Decimal("5.0"),
        "loss_6_months_percent": None,
        "loss_vs_usual_percent": None,
    }
    assert code(result) == "loss_criterion_met"


def test_weight_loss_just_under_5_percent_in_a_month_does_not():
    result = weight_loss(current_kg=Decimal("57.1"), one_month_ago_kg=60)
    # (60 - 57.1) / 60 * 100 = 4.833... -> 4.8 < 5
    assert result.subscores["loss_1_month_percent"] == Decimal("4.8")
    assert code(result) == "loss_criterion_not_met"


def test_weight_loss_over_six_months_and_versus_usual_weight_start_at_10_percent():
    six = weight_loss(current_kg=63, six_months_ago_kg=70)
    # (70 - 63) / 70 * 100 = 10.0 >= 10
    assert six.subscores["loss_6_months_percent"] == Decimal("10.0")
    assert code(six) == "loss_criterion_met"
    usual = weight_loss(current_kg=Decimal("81.1"), usual_kg=90)
    # (90 - 81.1) / 90 * 100 = 9.888... -> 9.9 < 10
    assert usual.subscores["loss_vs_usual_percent"] == Decimal("9.9")
    assert code(usual) == "loss_criterion_not_met"


def test_weight_gain_is_a_negative_loss():
    result = weight_loss(current_kg=62, usual_kg=60)
    # (60 - 62) / 60 * 100 = -3.333... -> -3.3
    assert result.subscores["loss_vs_usual_percent"] == Decimal("-3.3")
    assert code(result) == "loss_criterion_not_met"


def test_weight_loss_without_an_earlier_weight_says_so():
    result = weight_loss(current_kg=62)
    assert code(result) == "no_reference_weight"
    assert result.interpretation is not None
    assert result.interpretation.label == "Aucun poids antérieur saisi"


def test_weight_loss_refuses_an_impossible_earlier_weight():
    with pytest.raises(InstrumentError) as caught:
        weight_loss(current_kg=62, six_months_ago_kg=-60)
    assert (caught.value.code, caught.value.field) == (
        "instrument.value_out_of_range",
        "weight_6_months_ago_kg",
    )


# --- HAS undernutrition: adults under 70 (HAS 2019) -----------------------------------------

ADULT: dict[str, Any] = {"age": 45, "height_cm": 170, "aggression": True}


def test_under_70_weight_loss_with_a_cancer_is_moderate_undernutrition():
    result = undernutrition_has(**ADULT, weight_kg=55, weight_1_month_ago_kg=58, albumin_g_l=33)
    # BMI 55 / 2.89 = 19.03 -> 19.0 (not < 18.5); loss (58 - 55) / 58 = 5.17 -> 5.2 >= 5
    # phenotypic (weight loss) + etiologic (aggression) -> undernutrition;
    # severity: BMI 19.0 > 17, loss 5.2 < 10, albumin 33 > 30 -> moderate
    assert result.instrument == "has_undernutrition"
    assert result.version == "has-2019"
    assert result.subscores["bmi"] == Decimal("19.0")
    assert result.subscores["loss_1_month_percent"] == Decimal("5.2")
    assert result.flags == frozenset({"phenotypic.weight_loss", "etiologic.aggression"})
    assert code(result) == "moderate"
    assert result.interpretation is not None
    assert result.interpretation.label == "Dénutrition modérée"


def test_under_70_a_bmi_of_exactly_17_is_severe_and_17_1_is_moderate():
    severe = undernutrition_has(**ADULT, weight_kg=Decimal("49.13"))
    # 49.13 / 2.89 = 17.0 -> < 18.5 (phenotypic) and <= 17 (severe)
    assert severe.subscores["bmi"] == Decimal("17.0")
    assert code(severe) == "severe"
    assert "severity.bmi" in severe.flags
    moderate = undernutrition_has(**ADULT, weight_kg=Decimal("49.3"))
    # 49.3 / 2.89 = 17.059 -> 17.1 > 17
    assert moderate.subscores["bmi"] == Decimal("17.1")
    assert code(moderate) == "moderate"


def test_under_70_an_albumin_of_exactly_30_is_severe_and_30_1_is_not():
    # BMI 49.3 / 2.89 -> 17.1: undernourished, moderate by BMI
    assert code(undernutrition_has(**ADULT, weight_kg=Decimal("49.3"), albumin_g_l=30)) == "severe"
    assert (
        code(undernutrition_has(**ADULT, weight_kg=Decimal("49.3"), albumin_g_l=Decimal("30.1")))
        == "moderate"
    )


def test_a_bmi_of_exactly_18_5_under_70_is_not_a_phenotypic_criterion():
    result = undernutrition_has(**ADULT, weight_kg=Decimal("53.47"))
    # 53.47 / 2.89 = 18.5017 -> 18.5, not < 18.5: aggression alone is not enough
    assert result.subscores["bmi"] == Decimal("18.5")
    assert code(result) == "no_undernutrition"


def test_severe_weight_loss_starts_at_15_percent_in_six_months():
    result = undernutrition_has(**ADULT, weight_kg=Decimal("59.5"), weight_6_months_ago_kg=70)
    # (70 - 59.5) / 70 * 100 = 15.0 >= 15 -> severe; BMI 59.5 / 2.89 = 20.6
    assert result.subscores["loss_6_months_percent"] == Decimal("15.0")
    assert result.flags >= {"phenotypic.weight_loss", "severity.weight_loss"}
    assert code(result) == "severe"


def test_a_phenotypic_criterion_without_an_etiologic_one_is_not_undernutrition():
    result = undernutrition_has(age=45, height_cm=170, weight_kg=Decimal("49.3"))
    # BMI 17.1 < 18.5 but no etiologic criterion; severity is not graded
    assert result.flags == frozenset({"phenotypic.bmi"})
    assert code(result) == "no_undernutrition"
    assert result.interpretation is not None
    assert result.interpretation.label == "Pas de dénutrition"


@pytest.mark.parametrize(
    ("percent", "days", "undernourished"),
    [
        (50, 7, False),  # >= 50 % but not for more than 1 week
        (50, 8, True),  # >= 50 % for more than 1 week
        (Decimal("49.9"), 8, False),  # < 50 % and not more than 2 weeks
        (20, 14, False),  # any reduction, but not more than 2 weeks
        (20, 15, True),  # any reduction for more than 2 weeks
        (0, 30, False),  # no reduction at all
    ],
)
def test_the_intake_criterion_needs_half_for_over_a_week_or_any_for_over_two(
    percent, days, undernourished
):
    result = undernutrition_has(
        age=45,
        height_cm=170,
        weight_kg=70,
        muscle_criterion=True,
        intake_reduction_percent=percent,
        intake_reduction_days=days,
    )
    # muscle criterion is the only phenotypic one (BMI 70 / 2.89 = 24.2)
    assert ("etiologic.intake" in result.flags) is undernourished
    assert code(result) == ("moderate" if undernourished else "no_undernutrition")


# --- HAS undernutrition: 70 and over (HAS 2021) ---------------------------------------------

OLDER: dict[str, Any] = {
    "height_cm": 160,
    "intake_reduction_percent": 50,
    "intake_reduction_days": 8,
}


def test_from_70_a_bmi_under_22_is_phenotypic_and_albumin_30_is_not_yet_severe():
    result = undernutrition_has(**OLDER, age=70, weight_kg=56, albumin_g_l=30)
    # 56 / 1.60^2 = 56 / 2.56 = 21.875 -> 21.9 < 22; intake 50 % for 8 days;
    # severity: 21.9 >= 20 and albumin 30 is not < 30 -> moderate
    assert result.version == "has-2021"
    assert result.subscores["bmi"] == Decimal("21.9")
    assert result.flags == frozenset({"phenotypic.bmi", "etiologic.intake"})
    assert code(result) == "moderate"
    severe = undernutrition_has(**OLDER, age=70, weight_kg=56, albumin_g_l=Decimal("29.9"))
    assert code(severe) == "severe"
    assert "severity.albumin" in severe.flags


def test_at_69_the_same_bmi_is_not_undernutrition():
    result = undernutrition_has(**OLDER, age=69, weight_kg=56)
    # HAS 2019: 21.9 is not < 18.5
    assert result.version == "has-2019"
    assert code(result) == "no_undernutrition"


def test_from_70_a_bmi_of_exactly_20_is_moderate_and_19_9_is_severe():
    moderate = undernutrition_has(**OLDER, age=75, weight_kg=Decimal("51.2"))
    # 51.2 / 2.56 = 20.0: < 22 but not < 20
    assert moderate.subscores["bmi"] == Decimal("20.0")
    assert code(moderate) == "moderate"
    severe = undernutrition_has(**OLDER, age=75, weight_kg=Decimal("50.9"))
    # 50.9 / 2.56 = 19.88 -> 19.9 < 20
    assert severe.subscores["bmi"] == Decimal("19.9")
    assert code(severe) == "severe"


def test_from_70_the_muscle_criterion_is_a_confirmed_sarcopenia():
    result = undernutrition_has(
        age=80, height_cm=160, weight_kg=60, muscle_criterion=True, reduced_absorption=True
    )
    # BMI 60 / 2.56 = 23.4 (not < 22): phenotypic by sarcopenia, etiologic by absorption
    assert result.flags == frozenset({"phenotypic.muscle", "etiologic.absorption"})
    assert code(result) == "moderate"


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"age": 17}, "instrument.value_out_of_range", "age"),
        ({"weight_kg": -1}, "instrument.value_out_of_range", "weight_kg"),
        ({"albumin_g_l": 80}, "instrument.value_out_of_range", "albumin_g_l"),
        (
            {"intake_reduction_percent": 120},
            "instrument.value_out_of_range",
            "intake_reduction_percent",
        ),
        ({"intake_reduction_days": None}, "instrument.item_missing", "intake_reduction_days"),
    ],
)
def test_undernutrition_refuses_impossible_or_incomplete_values(changes, error, field):
    values = {**OLDER, "age": 45, "height_cm": 170, "weight_kg": 60}
    with pytest.raises(InstrumentError) as caught:
        undernutrition_has(**{**values, **changes})
    assert (caught.value.code, caught.value.field) == (error, field)
