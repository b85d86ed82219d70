"""The chart coordinates (pure) and the outcomes of a pathway (first vs latest)."""

from datetime import date
from decimal import Decimal

import pytest

from oncoparcours.assessments.charts import line_chart
from oncoparcours.assessments.selectors import pathway_outcomes
from oncoparcours.assessments.services import assessment_submit

from .helpers import DIET_DATA, FOLLOWUP_DAY, book_act

D = Decimal


def test_points_are_placed_by_date_and_value_within_the_plotting_area():
    chart = line_chart(
        [(date(2026, 6, 11), D(2)), (date(2026, 6, 1), D(4)), (date(2026, 6, 6), D(3))]
    )
    # Plotting area x 48..308, y 12..96; values 2..4 with a 10 % margin: 1.8..4.2.
    assert (chart.plot_left, chart.plot_right, chart.plot_top, chart.plot_bottom) == (
        48,
        308,
        12,
        96,
    )
    assert (chart.bottom_value, chart.top_value) == (D("1.8"), D("4.2"))
    # x: 0, 5 and 10 days of 10 -> 48, 178, 308.
    # y: 96 - (v - 1.8) / 2.4 * 84 -> 4: 19.0; 3: 54.0; 2: 89.0.
    assert [(p.x, p.y) for p in chart.points] == [(48, 19), (178, 54), (308, 89)]
    assert [p.on.day for p in chart.points] == [1, 6, 11]
    assert chart.polyline == "48,19 178,54 308,89"


def test_a_flat_series_is_drawn_in_the_middle():
    chart = line_chart([(date(2026, 6, 1), D(5)), (date(2026, 7, 1), D(5))])
    assert [(p.x, p.y) for p in chart.points] == [(48, 54), (308, 54)]
    assert chart.top_value == chart.bottom_value == D(5)


def test_points_of_one_day_are_spread_evenly_and_an_empty_series_draws_nothing():
    chart = line_chart([(date(2026, 6, 1), D(1)), (date(2026, 6, 1), D(3))])
    assert [p.x for p in chart.points] == [48, 308]
    single = line_chart([(date(2026, 6, 1), D(1))])
    assert [(p.x, p.y) for p in single.points] == [(178, 54)]
    assert line_chart([]).points == ()


@pytest.mark.django_db
@pytest.mark.usefixtures("today")
def test_outcomes_compare_the_first_and_latest_current_values(personas, team, open_pathway):
    bilan = book_act(personas, team, open_pathway, "diet_assessment")
    assessment_submit(by=team.dietitian, act=bilan, data=DIET_DATA)
    followup = book_act(personas, team, open_pathway, "diet_followup", day=FOLLOWUP_DAY)
    data = {"measures": {"weight": {"weight_kg": 57}}}
    assessment_submit(by=team.dietitian, act=followup, data=data)
    # A correction supersedes the mistaken entry: only current entries count.
    corrected = {"measures": {"weight": {"weight_kg": Decimal("57.5")}}}
    assessment_submit(by=team.dietitian, act=followup, data=corrected)
    outcomes = {o.code: o for o in pathway_outcomes(open_pathway)}
    assert list(outcomes) == ["weight", "bmi"]
    weight = outcomes["weight"]
    assert (weight.first.value, weight.latest.value, weight.difference) == (
        D(55),
        D("57.5"),
        D("2.5"),
    )
    assert (weight.first.on, weight.latest.on) == (bilan.day, FOLLOWUP_DAY)
    # 57.5 / 1.70² = 19.896 -> 19.9
    bmi = outcomes["bmi"]
    assert (bmi.first.value, bmi.latest.value, bmi.difference) == (D(19), D("19.9"), D("0.9"))
    assert (weight.label, weight.unit) == ("Poids", "kg")
