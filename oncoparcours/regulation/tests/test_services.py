"""parameter_version_create: a version is added, the open one closed the day before, the past
never rewritten."""

import logging
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.regulation.models import RegulatoryParameter
from oncoparcours.regulation.selectors import psgac_parameters_at
from oncoparcours.regulation.services import parameter_version_create

pytestmark = pytest.mark.django_db

CAP = "psgac.cap_per_patient"
SOURCE = "Arrêté du 2 décembre 2026 modifiant l'arrêté du 24 décembre 2020"


def _create(personas, **overrides):
    values = {
        "by": personas.admin,
        "key": CAP,
        "value": Decimal("200.00"),
        "effective_from": date(2027, 1, 1),
        "source": SOURCE,
    }
    values.update(overrides)
    return parameter_version_create(**values)


def _codes(exc: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def _snapshot() -> list[tuple]:
    return list(
        RegulatoryParameter.objects.order_by("pk").values_list(
            "key", "value", "effective_from", "effective_to"
        )
    )


def test_psg09_new_cap_applies_from_its_date_and_not_before(personas):
    version = _create(personas)

    assert version.created_by == personas.admin.user
    assert version.effective_to is None
    previous = RegulatoryParameter.objects.get(key=CAP, effective_from=date(2020, 12, 24))
    assert previous.effective_to == date(2026, 12, 31)
    assert previous.value == Decimal("180.00")
    assert psgac_parameters_at(date(2026, 12, 31)).cap_per_patient == Decimal("180.00")
    assert psgac_parameters_at(date(2027, 1, 1)).cap_per_patient == Decimal("200.00")


def test_a_version_may_start_today(personas):
    _create(personas, effective_from=date(2026, 6, 1))
    assert psgac_parameters_at(date(2026, 5, 31)).cap_per_patient == Decimal("180.00")
    assert psgac_parameters_at(date(2026, 6, 1)).cap_per_patient == Decimal("200.00")


def test_a_third_version_closes_the_second_and_leaves_the_first_alone(personas):
    _create(personas)
    _create(personas, value=Decimal("210.00"), effective_from=date(2028, 1, 1))

    versions = RegulatoryParameter.objects.filter(key=CAP).order_by("effective_from")
    assert [(v.value, v.effective_from, v.effective_to) for v in versions] == [
        (Decimal("180.00"), date(2020, 12, 24), date(2026, 12, 31)),
        (Decimal("200.00"), date(2027, 1, 1), date(2027, 12, 31)),
        (Decimal("210.00"), date(2028, 1, 1), None),
    ]


def test_psg05_count_accepts_a_whole_number_and_stores_it_to_the_cent(personas):
    version = _create(personas, key="psgac.max_followups", value=Decimal("8"))
    assert version.value == Decimal("8.00")
    assert psgac_parameters_at(date(2027, 1, 1)).max_followups == 8


@pytest.mark.parametrize("start", [date(2020, 12, 24), date(2019, 1, 1)])
def test_version_starting_on_or_before_the_latest_start_is_refused_as_overlap(personas, start):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        _create(personas, effective_from=start)
    assert _codes(caught.value) == {"effective_from": ["regulation.overlap"]}
    assert "ne se chevauchent pas" in caught.value.messages[0]
    assert _snapshot() == before


def test_version_starting_on_the_day_of_a_scheduled_one_is_refused_as_overlap(personas):
    _create(personas)
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        _create(personas, value=Decimal("190.00"), effective_from=date(2027, 1, 1))
    assert _codes(caught.value) == {"effective_from": ["regulation.overlap"]}
    assert _snapshot() == before


def test_version_inside_a_closed_period_is_refused_as_overlap(personas):
    RegulatoryParameter.objects.filter(key=CAP).update(effective_to=date(2027, 6, 30))
    with pytest.raises(ValidationError) as caught:
        _create(personas, effective_from=date(2027, 1, 1))
    assert _codes(caught.value) == {"effective_from": ["regulation.overlap"]}


def test_version_in_the_past_is_refused(personas):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        _create(personas, effective_from=date(2026, 5, 31))
    assert _codes(caught.value) == {"effective_from": ["regulation.retroactive"]}
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("key", "value", "code"),
    [
        (CAP, Decimal("-0.01"), "regulation.negative"),
        ("psgac.max_followups", Decimal("6.5"), "regulation.not_integer"),
        ("psgac.prescription_window_months", Decimal("12.01"), "regulation.not_integer"),
        (CAP, Decimal("180.005"), "regulation.too_precise"),
        (CAP, Decimal("100000000"), "regulation.too_large"),
        ("reminders.budget_threshold_percent", Decimal("101"), "regulation.percent_range"),
        (CAP, Decimal("NaN"), "regulation.not_a_number"),
    ],
)
def test_bad_value_is_refused_with_a_stable_code_and_nothing_saved(personas, key, value, code):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        _create(personas, key=key, value=value)
    assert _codes(caught.value) == {"value": [code]}
    assert _snapshot() == before


def test_every_error_is_reported_together_and_the_refusal_logged(personas, caplog):
    caplog.set_level(logging.INFO, logger="oncoparcours.refusals")
    with pytest.raises(ValidationError) as caught:
        _create(personas, value=Decimal("-1"), effective_from=date(2020, 1, 1), source="  ")
    assert _codes(caught.value) == {
        "value": ["regulation.negative"],
        "source": ["regulation.source_required"],
        "effective_from": ["regulation.overlap"],
    }
    assert "La valeur ne peut pas être négative." in caught.value.messages
    line = caplog.records[-1].getMessage()
    assert "where=parameter_version_create" in line
    assert "regulation.negative" in line
    assert str(personas.admin.public_id) in line


def test_unknown_key_is_refused(personas):
    with pytest.raises(ValidationError) as caught:
        _create(personas, key="psgac.unknown")
    assert _codes(caught.value) == {"key": ["regulation.unknown_key"]}
    assert not RegulatoryParameter.objects.filter(key="psgac.unknown").exists()


def test_first_version_of_a_key_without_any_is_accepted(personas):
    RegulatoryParameter.objects.filter(key="reminders.contact_after_days").delete()
    version = _create(personas, key="reminders.contact_after_days", value=Decimal("10"))
    assert version.effective_to is None
    assert RegulatoryParameter.objects.filter(key="reminders.contact_after_days").count() == 1
