"""Submitting an act's form: every measure scored by the pure functions and stored as returned,
all or nothing, the act declared done, the previous entry superseded (issue 4 §2, §5, §8)."""

from copy import deepcopy
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.assessments.services import assessment_submit
from oncoparcours.core.errors import error_items_from_validation
from oncoparcours.pathways.models import Act, PathwayEvent
from oncoparcours.pathways.selectors import pathway_ledger
from oncoparcours.pathways.services import act_cancel, act_complete

from .helpers import (
    APA_DATA,
    DIET_DATA,
    FOLLOWUP_DAY,
    HADS_LAST_OPTIONS,
    PSY_DATA,
    TODAY,
    book_act,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def by_instrument(assessment: Assessment) -> dict[str, InstrumentRecord]:
    return {r.instrument: r for r in assessment.results.all()}


def refusal(call) -> list[dict]:
    """The refusal's items; asserts nothing was written (assessments, results, events, acts)."""
    counts = (
        Assessment.objects.count,
        InstrumentRecord.objects.count,
        PathwayEvent.objects.count,
        lambda: Act.objects.filter(status="done").count(),
    )
    before = [count() for count in counts]
    with pytest.raises(ValidationError) as caught:
        call()
    assert [count() for count in counts] == before
    return error_items_from_validation(caught.value)


def test_apa_assessment_is_scored_stored_and_completes_the_booked_act(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    assessment = assessment_submit(by=team.apa, act=act, data=APA_DATA)

    results = by_instrument(assessment)
    assert list(results) == [
        "six_minute_walk",
        "chair_stand_30s",
        "handgrip",
        "ipaq_short",
        "stage_of_change",
    ]
    walk = results["six_minute_walk"]
    # Camille: female, 66 on 10 June 2026 (born 17 May 1960), age and sex from the patient.
    # predicted = 2.11*160 - 2.29*60 - 5.78*66 + 667 = 337.6 - 137.4 - 381.48 + 667 = 485.72
    # lower limit = 485.72 - 139 = 346.72; % = 450 / 485.72 = 92.646… -> 92.6
    assert walk.score == Decimal(450)
    assert walk.subscores == {
        "predicted_m": "485.7",
        "percent_predicted": "92.6",
        "lower_limit_m": "346.7",
    }
    assert (walk.version, walk.interpretation_code) == ("enright-sherrill-1998", "within_normal")
    assert walk.answers == {
        "distance_m": "450",
        "sex": "female",
        "age": 66,
        "height_cm": "160",
        "weight_kg": "60",
    }
    assert walk.flags == []
    # Women 65-69: 11 to 16 stands (Rikli & Jones).
    chair = results["chair_stand_30s"]
    assert (chair.score, chair.subscores) == (12, {"normal_low": 11, "normal_high": 16})
    assert chair.interpretation_code == "within_normal_range"
    # Best of the trials: 22.5 kg (>= 16 kg for a woman: not low).
    grip = results["handgrip"]
    assert grip.score == Decimal("22.5")
    assert grip.subscores == {"best_right_kg": "22.5", "best_left_kg": "18"}
    assert grip.interpretation_code == "normal_strength"
    # IPAQ: moderate 4.0 * 30 * 3 = 360, walking 3.3 * 40 * 5 = 660, total 1020; 3 + 5 days
    # of >= 30 min -> "moderate".
    ipaq = results["ipaq_short"]
    assert ipaq.score == Decimal(1020)
    assert ipaq.subscores == {
        "vigorous_met": "0.0",
        "moderate_met": "360.0",
        "walking_met": "660.0",
    }
    assert (ipaq.interpretation_code, ipaq.interpretation_label) == (
        "moderate",
        "Activité physique modérée",
    )
    assert ipaq.answers["sitting_minutes"] == 480
    stage = results["stage_of_change"]
    assert (stage.score, stage.interpretation_code) == (None, "preparation")

    assert assessment.observations == {
        "barriers": "Fatigue l'après-midi.",
        "motivation": "Reprendre la marche.",
    }
    assert assessment.summary == "Capacités conservées, motivation à accompagner."
    assert (assessment.kind, assessment.performed_on) == ("apa_assessment", act.day)
    act.refresh_from_db()
    assert (act.status, act.completed_by) == ("done", team.apa)
    open_pathway.refresh_from_db()
    # PSG-06: the first assessment done activates the pathway.
    assert (open_pathway.status, open_pathway.first_assessment_date) == ("active", act.day)
    assert pathway_ledger(open_pathway).spent == Decimal("45.00")
    event = open_pathway.events.get(kind="assessment_recorded")
    # Codes and ids only, never values.
    assert event.data == {
        "act": str(act.public_id),
        "kind": "apa_assessment",
        "assessment": str(assessment.public_id),
        "instruments": list(results),
    }
    assert event.actor == team.apa


def test_diet_assessment_computes_bmi_weight_loss_and_has_diagnosis(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "diet_assessment")
    results = by_instrument(assessment_submit(by=team.dietitian, act=act, data=DIET_DATA))
    assert list(results) == ["bmi", "weight_loss", "has_undernutrition", "mna_sf", "nrs_2002"]
    # BMI 55 / 1.70² = 19.03 -> 19.0, WHO "normal".
    assert (results["bmi"].score, results["bmi"].interpretation_code) == (
        Decimal("19.0"),
        "normal",
    )
    # (58 - 55) / 58 = 5.17 -> 5.2 % in a month; (62 - 55) / 62 = 11.29 -> 11.3 % vs usual.
    loss = results["weight_loss"]
    assert loss.subscores == {
        "loss_1_month_percent": "5.2",
        "loss_6_months_percent": None,
        "loss_vs_usual_percent": "11.3",
    }
    assert loss.interpretation_code == "loss_criterion_met"
    # 66 years: HAS 2019; weight loss (phenotypic) + cancer (etiologic); BMI 19.0 > 17, losses
    # under 10 % in a month and 15 % vs usual, albumin 33 > 30 -> moderate.
    has = results["has_undernutrition"]
    assert (has.version, has.interpretation_code, has.interpretation_label) == (
        "has-2019",
        "moderate",
        "Dénutrition modérée",
    )
    assert has.flags == ["etiologic.aggression", "phenotypic.weight_loss"]
    assert has.answers["albumin_g_l"] == "33"
    # MNA-SF 1 + 2 + 2 + 2 + 2 + 3 = 12: normal. NRS-2002 2 + 1 + 0 (66 < 70) = 3: at risk.
    assert (results["mna_sf"].score, results["mna_sf"].interpretation_code) == (12, "normal")
    nrs = results["nrs_2002"]
    assert (nrs.score, nrs.interpretation_code, nrs.subscores["age_point"]) == (3, "at_risk", 0)


def test_diet_assessment_without_earlier_weight_stores_no_weight_loss(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "diet_assessment")
    data = {"measures": {"anthropometry": {"weight_kg": 55, "height_cm": 170}}}
    results = by_instrument(assessment_submit(by=team.dietitian, act=act, data=data))
    assert list(results) == ["bmi", "has_undernutrition"]
    assert results["has_undernutrition"].interpretation_code == "no_undernutrition"


def test_psy_assessment_scores_distress_and_hads(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    results = by_instrument(assessment_submit(by=team.psychologist, act=act, data=PSY_DATA))
    distress = results["distress_thermometer"]
    # 4 is the NCCN threshold; one emotional and one physical problem.
    assert (distress.score, distress.interpretation_code) == (4, "significant")
    assert distress.subscores == {
        "practical": 0,
        "family": 0,
        "emotional": 1,
        "spiritual": 0,
        "physical": 1,
    }
    assert distress.answers["problems"] == ["fatigue", "worry"]
    # First options everywhere: reversed items A1 A2 A3 A6 A7 = 15, D3 D4 D5 = 9.
    hads = results["hads"]
    assert (hads.score, hads.subscores) == (24, {"anxiety": 15, "depression": 9})
    assert hads.sub_interpretations == {
        "anxiety": {"code": "case", "label": "Symptomatologie certaine"},
        "depression": {"code": "doubtful", "label": "Symptomatologie douteuse"},
    }
    assert hads.interpretation_code == "case"


def test_followup_weight_uses_the_height_and_usual_weight_of_the_diet_bilan(
    personas, team, open_pathway
):
    bilan = book_act(personas, team, open_pathway, "diet_assessment")
    assessment_submit(by=team.dietitian, act=bilan, data=DIET_DATA)
    followup = book_act(personas, team, open_pathway, "diet_followup", day=FOLLOWUP_DAY)
    data = {"measures": {"weight": {"weight_kg": 57}}, "summary": "Poids repris."}
    results = by_instrument(assessment_submit(by=team.dietitian, act=followup, data=data))
    # 57 / 1.70² = 19.72 -> 19.7; (62 - 57) / 62 = 8.06 -> 8.1 % vs usual: criterion not met.
    assert results["bmi"].score == Decimal("19.7")
    assert results["bmi"].answers == {"weight_kg": "57", "height_cm": "170"}
    loss = results["weight_loss"]
    assert loss.subscores["loss_vs_usual_percent"] == "8.1"
    assert loss.interpretation_code == "loss_criterion_not_met"


def test_followup_of_notes_only_is_accepted(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_followup")
    assessment = assessment_submit(
        by=team.psychologist, act=act, data={"summary": "Entretien de soutien."}
    )
    assert (assessment.summary, assessment.results.count()) == ("Entretien de soutien.", 0)


def test_age_and_sex_given_replace_the_patients(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    data = {"age": 60, "sex": "male", "measures": {"chair_stand_30s": {"stands": 13}}}
    chair = by_instrument(assessment_submit(by=team.apa, act=act, data=data))["chair_stand_30s"]
    # Men 60-64: 14 to 19.
    assert chair.answers == {"stands": 13, "sex": "male", "age": 60}
    assert chair.interpretation_code == "below_normal_range"


def test_an_impossible_value_refuses_everything_with_the_instruments_code(
    personas, team, open_pathway
):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    data = deepcopy(APA_DATA)
    data["measures"]["six_minute_walk"]["distance_m"] = 1200
    data["measures"]["hads"] = {}
    data["measures"]["handgrip"]["right_kg"] = [20, 21, 22, 23]
    items = refusal(lambda: assessment_submit(by=team.apa, act=act, data=data))
    assert {(i["field"], i["code"]) for i in items} == {
        ("six_minute_walk.distance_m", "instrument.value_out_of_range"),
        ("handgrip.right_kg", "instrument.value_out_of_range"),
        ("hads", "assessment.measure_not_allowed"),
    }
    walk = next(i for i in items if i["field"] == "six_minute_walk.distance_m")
    assert walk["message"] == (
        "Distance parcourue : 1200 m est hors des valeurs possibles (0 à 1000)."
    )
    act.refresh_from_db()
    assert act.status == "booked"


def test_an_incomplete_questionnaire_or_unknown_field_is_refused(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    answers = dict(PSY_DATA["measures"]["hads"])
    del answers["D7"]
    data = {
        "measures": {"hads": answers, "distress_thermometer": {"score": 4, "colour": "red"}},
    }
    items = refusal(lambda: assessment_submit(by=team.psychologist, act=act, data=data))
    assert {(i["field"], i["code"]) for i in items} == {
        ("hads.D7", "instrument.item_missing"),
        ("distress_thermometer.colour", "assessment.field_unknown"),
    }


def test_an_empty_submission_is_refused(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    items = refusal(lambda: assessment_submit(by=team.psychologist, act=act, data={}))
    assert [(i["code"], i["message"]) for i in items] == [
        ("assessment.empty", "Saisissez au moins une mesure ou la synthèse.")
    ]


def test_the_undernutrition_diagnosis_needs_the_height(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "diet_assessment")
    data = {"measures": {"anthropometry": {"weight_kg": 55, "aggression": True}}}
    items = refusal(lambda: assessment_submit(by=team.dietitian, act=act, data=data))
    assert [(i["field"], i["code"], i["message"]) for i in items] == [
        ("anthropometry.height_cm", "instrument.value_missing", "Taille : valeur manquante.")
    ]


def test_a_second_submission_supersedes_the_first_which_is_kept(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    first = assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    corrected = deepcopy(PSY_DATA)
    corrected["measures"]["hads"] = HADS_LAST_OPTIONS
    second = assessment_submit(by=team.psychologist, act=act, data=corrected)
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert first.superseded_by == second
    assert second.superseded_at is None
    assert first.results.count() == 2  # kept as it was
    assert Assessment.objects.filter(act=act, superseded_at__isnull=True).get() == second
    # The act was completed once; the second submission found it done.
    assert PathwayEvent.objects.filter(kind="act_done").count() == 1
    events = PathwayEvent.objects.filter(kind="assessment_recorded").order_by("pk")
    assert events[1].data["supersedes"] == str(first.public_id)


def test_only_the_acts_professional_may_submit(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    for who in (personas.coordinator, team.dietitian, personas.other_coordinator):
        items = refusal(lambda who=who: assessment_submit(by=who, act=act, data=PSY_DATA))
        assert [i["code"] for i in items] == ["assessment.not_performer"]


def test_a_future_act_is_refused(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment", day=TODAY + timedelta(days=1))
    items = refusal(lambda: assessment_submit(by=team.psychologist, act=act, data=PSY_DATA))
    assert [(i["code"], i["message"]) for i in items] == [
        (
            "assessment.act_in_future",
            "Ce rendez-vous est à venir : la saisie sera possible le jour venu.",
        )
    ]


def test_an_act_of_today_is_completed_today(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment", day=TODAY)
    assessment = assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    act.refresh_from_db()
    assert (act.status, assessment.performed_on) == ("done", TODAY)


def test_a_cancelled_act_is_refused(personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    act_cancel(by=personas.coordinator, act=act, reason="Patient hospitalisé.")
    items = refusal(lambda: assessment_submit(by=team.psychologist, act=act, data=PSY_DATA))
    assert [i["code"] for i in items] == ["assessment.act_not_held"]


def test_a_done_act_may_be_entered_after_the_pathway_closed(personas, team, open_pathway):
    from oncoparcours.pathways.services import pathway_close

    act = book_act(personas, team, open_pathway, "psy_assessment")
    act_complete(by=personas.coordinator, act=act, done_on=act.day)
    open_pathway.refresh_from_db()
    pathway_close(by=personas.coordinator, pathway=open_pathway, outcome="completed", reason="Fin.")
    assessment = assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    assert assessment.results.count() == 2


def test_a_booked_act_of_a_closed_pathway_is_refused(personas, team, open_pathway):
    from oncoparcours.pathways.services import pathway_close

    act = book_act(personas, team, open_pathway, "psy_assessment")
    pathway_close(
        by=personas.coordinator, pathway=open_pathway, outcome="withdrawn", reason="Arrêt."
    )
    items = refusal(lambda: assessment_submit(by=team.psychologist, act=act, data=PSY_DATA))
    assert [i["code"] for i in items] == ["assessment.pathway_not_open"]
