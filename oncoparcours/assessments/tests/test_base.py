import dataclasses
import json
from decimal import Decimal

import pytest

from oncoparcours.assessments.instruments import InstrumentError, bmi, handgrip
from oncoparcours.assessments.instruments.base import (
    VALUE_OUT_OF_RANGE,
    Bounds,
    whole_value,
)


def test_a_refusal_is_a_value_error_with_a_stable_code_a_french_message_and_a_field():
    with pytest.raises(InstrumentError) as caught:
        bmi(weight_kg=-3, height_cm=170)
    assert isinstance(caught.value, ValueError)
    assert caught.value.code == VALUE_OUT_OF_RANGE
    assert caught.value.field == "weight_kg"
    assert caught.value.message == "Poids : -3 kg est hors des valeurs possibles (20 à 350)."
    assert str(caught.value) == caught.value.message


def test_a_result_cannot_be_changed_after_scoring():
    result = bmi(weight_kg=70, height_cm=175)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.score = Decimal(1)  # type: ignore[misc]
    with pytest.raises(TypeError):
        result.answers["weight_kg"] = Decimal(1)  # type: ignore[index]


def test_a_float_keeps_the_value_typed_not_its_binary_approximation():
    # Decimal(72.3) would be 72.2999999999999971578...; the string route keeps 72.3.
    assert bmi(weight_kg=72.3, height_cm=170).answers["weight_kg"] == Decimal("72.3")


def test_a_record_is_json_ready_with_decimals_as_strings():
    record = handgrip(sex="male", right_kg=[Decimal("26.5"), 28], left_kg=[])
    data = json.loads(json.dumps(record.as_record()))
    assert data == {
        "instrument": "handgrip",
        "version": "ewgsop2-2019",
        "answers": {"sex": "male", "right_kg": ["26.5", "28"], "left_kg": []},
        "score": "28",
        "subscores": {"best_right_kg": "28", "best_left_kg": None},
        "interpretation": {"code": "normal_strength", "label": "Force de préhension non abaissée"},
        "sub_interpretations": {},
        "flags": [],
    }


def test_a_whole_number_written_as_a_decimal_is_accepted_but_a_fraction_is_not():
    bounds = Bounds(Decimal(0), Decimal(10), "")
    assert whole_value(Decimal("4.0"), field="x", label="X", bounds=bounds) == 4
    with pytest.raises(InstrumentError) as caught:
        whole_value(Decimal("4.5"), field="x", label="X", bounds=bounds)
    assert caught.value.code == "instrument.not_a_number"
