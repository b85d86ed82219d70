"""The seeded versions (arrêté du 24 décembre 2020) and psgac_parameters_at."""

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from oncoparcours.regulation.catalogue import PARAMETERS
from oncoparcours.regulation.models import RegulatoryParameter
from oncoparcours.regulation.parameters import ParameterNotInForce, PsgacParameters
from oncoparcours.regulation.selectors import (
    parameter_overview,
    parameter_versions_at,
    psgac_parameters_at,
)

pytestmark = pytest.mark.django_db

ARRETE_2020 = PsgacParameters(
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


def test_catalogue_keys_match_the_parameters_dataclass_one_to_one():
    assert {spec.field for spec in PARAMETERS.values()} == {
        f.name for f in dataclasses.fields(PsgacParameters)
    }


def test_every_key_is_seeded_from_24_december_2020_with_an_open_version():
    seeded = RegulatoryParameter.objects.all()
    assert {p.key for p in seeded} == set(PARAMETERS)
    assert {p.effective_from for p in seeded} == {date(2020, 12, 24)}
    assert all(p.effective_to is None and p.created_by is None for p in seeded)
    cap = seeded.get(key="psgac.cap_per_patient")
    assert cap.value == Decimal("180.00")
    assert "SSAS2035908A" in cap.source


def test_seeded_values_are_those_of_the_arrete_psg05_to_psg10(django_assert_num_queries):
    with django_assert_num_queries(1):
        params = psgac_parameters_at(date(2026, 6, 1))
    assert params == ARRETE_2020
    assert isinstance(params.cap_per_patient, Decimal)
    assert isinstance(params.max_followups, int)
    assert str(params.followup_max_rate) == "22.50"


def test_seeded_values_are_in_force_on_their_first_day():
    assert psgac_parameters_at(date(2020, 12, 24)) == ARRETE_2020


def test_a_day_before_the_arrete_has_no_parameters_and_says_which():
    with pytest.raises(ParameterNotInForce) as caught:
        psgac_parameters_at(date(2020, 12, 23))
    assert "psgac.cap_per_patient" in caught.value.keys
    assert "2020-12-23" in str(caught.value)


def test_a_key_without_a_version_in_force_is_named():
    RegulatoryParameter.objects.filter(key="age.aja_max_years").delete()
    with pytest.raises(ParameterNotInForce) as caught:
        psgac_parameters_at(date(2026, 6, 1))
    assert caught.value.keys == ["age.aja_max_years"]


def test_a_closed_version_stops_on_its_last_day():
    # As the service leaves it: old version closed on 31 Dec, new one from 1 Jan.
    RegulatoryParameter.objects.filter(key="psgac.cap_per_patient").update(
        effective_to=date(2026, 12, 31)
    )
    RegulatoryParameter.objects.create(
        key="psgac.cap_per_patient",
        value=Decimal("200.00"),
        effective_from=date(2027, 1, 1),
        source="Arrêté fictif",
    )
    assert psgac_parameters_at(date(2026, 12, 31)).cap_per_patient == Decimal("180.00")
    assert psgac_parameters_at(date(2027, 1, 1)).cap_per_patient == Decimal("200.00")
    assert parameter_versions_at(date(2027, 1, 1))["psgac.cap_per_patient"].value == 200


def test_overview_lists_every_key_with_its_current_and_scheduled_versions():
    RegulatoryParameter.objects.filter(key="psgac.followup_max_rate").update(
        effective_to=date(2026, 12, 31)
    )
    RegulatoryParameter.objects.create(
        key="psgac.followup_max_rate",
        value=Decimal("25.00"),
        effective_from=date(2027, 1, 1),
        source="Arrêté fictif",
    )
    overview = {item.spec.key: item for item in parameter_overview(date(2026, 6, 1))}
    assert list(overview) == list(PARAMETERS)
    rate = overview["psgac.followup_max_rate"]
    assert rate.current is not None
    assert rate.current.value == Decimal("22.50")
    assert [v.value for v in rate.versions] == [Decimal("25.00"), Decimal("22.50")]
    assert [v.value for v in rate.scheduled] == [Decimal("25.00")]
