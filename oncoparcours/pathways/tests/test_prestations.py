"""PSG-04 (the five prestations) and PSG-12/PSG-13 (who performs them)."""

import dataclasses

import pytest

from oncoparcours.accounts.models import Profession
from oncoparcours.pathways.rules.prestations import (
    PRESTATIONS,
    PrestationKind,
    check_performer,
    is_assessment,
    is_followup,
)
from oncoparcours.regulation.parameters import PsgacParameters


def test_psg04_there_are_three_assessments_and_two_followups():
    kinds = {code: p.kind for code, p in PRESTATIONS.items()}
    assert kinds == {
        "apa_assessment": PrestationKind.ASSESSMENT,
        "diet_assessment": PrestationKind.ASSESSMENT,
        "psy_assessment": PrestationKind.ASSESSMENT,
        "diet_followup": PrestationKind.FOLLOWUP,
        "psy_followup": PrestationKind.FOLLOWUP,
    }
    assert is_assessment("psy_assessment")
    assert not is_assessment("psy_followup")
    assert is_followup("diet_followup")
    assert not is_followup("apa_session")


def test_durations_point_to_parameters_of_sixty_and_thirty_minutes(params):
    fields = {f.name for f in dataclasses.fields(PsgacParameters)}
    for prestation in PRESTATIONS.values():
        assert prestation.duration_key in fields
    assert getattr(params, PRESTATIONS["apa_assessment"].duration_key) == 60
    assert getattr(params, PRESTATIONS["psy_followup"].duration_key) == 30


def test_every_prestation_has_a_french_label():
    assert str(PRESTATIONS["diet_assessment"].label) == "Bilan diététique"


def test_performer_professions_are_those_of_the_accounts_model():
    for prestation in PRESTATIONS.values():
        assert prestation.professions <= set(Profession.values)


@pytest.mark.parametrize(
    "profession",
    [
        "physiotherapist",
        "occupational_therapist",
        "psychomotor_therapist",
        "apa_teacher",
        "sport_educator",
    ],
)
def test_psg13_apa_professionals_may_perform_the_apa_assessment(profession):
    assert check_performer(item="apa_assessment", profession=profession) == []


@pytest.mark.parametrize("profession", ["dietitian", "psychologist", "nurse", None])
def test_psg13_others_may_not_perform_the_apa_assessment(profession):
    failures = check_performer(item="apa_assessment", profession=profession)
    assert [(f.code, f.field) for f in failures] == [("PSG-13", "professional")]


@pytest.mark.parametrize(
    ("item", "profession"),
    [
        ("diet_assessment", "dietitian"),
        ("diet_followup", "dietitian"),
        ("psy_assessment", "psychologist"),
        ("psy_followup", "psychologist"),
    ],
)
def test_psg12_dietitians_and_psychologists_perform_their_own_prestations(item, profession):
    assert check_performer(item=item, profession=profession) == []


@pytest.mark.parametrize(
    ("item", "profession"),
    [
        ("diet_followup", "psychologist"),
        ("psy_assessment", "dietitian"),
        ("psy_followup", "physician"),
    ],
)
def test_psg12_a_professional_of_another_discipline_is_refused(item, profession):
    failures = check_performer(item=item, profession=profession)
    assert [f.code for f in failures] == ["PSG-12"]
    assert "n'est pas qualifié" in failures[0].message


def test_performer_of_an_unknown_prestation_is_refused_psg04():
    assert [f.code for f in check_performer(item="massage", profession="dietitian")] == ["PSG-04"]
