"""The fill and read pages, and the pathway page's section (entries, outcomes, charts)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from oncoparcours.assessments.models import Assessment
from oncoparcours.assessments.services import assessment_submit
from oncoparcours.pathways.tests.factories import make_eligible_patient
from oncoparcours.pathways.tests.factories import open_pathway as open_new_pathway

from .helpers import FOLLOWUP_DAY, PSY_DATA, book_act

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]


def fill_url(act) -> str:
    return reverse("assessments:fill", kwargs={"act_id": act.public_id})


def read_url(assessment) -> str:
    return reverse("assessments:detail", kwargs={"public_id": assessment.public_id})


def pathway_url(pathway) -> str:
    return reverse("pathways:detail", kwargs={"public_id": pathway.public_id})


def hads_post(positions: dict[str, int]) -> dict[str, str]:
    return {f"hads__{code}": str(p) for code, p in positions.items()}


def test_the_form_is_prefilled_with_the_patients_age_and_sex(
    client_as, personas, team, open_pathway
):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    page = client_as(team.apa).get(fill_url(act)).content.decode()
    assert 'name="age" value="66"' in page
    assert '<option value="female" selected>' in page
    assert "Test de marche de 6 minutes" in page
    assert "Freins à l&#x27;activité physique" in page
    assert "Enregistrer la saisie indique aussi la prestation comme réalisée." in page


def test_the_hads_form_shows_neutral_labels_only(client_as, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    page = client_as(team.psychologist).get(fill_url(act)).content.decode()
    assert "Anxiété, question 1" in page
    assert "Dépression, question 7" in page
    assert "1re réponse" in page
    assert "Fatigue" in page  # the problem list (our own labels)


def test_filling_a_form_stores_it_and_shows_the_results(client_as, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    client = client_as(team.apa)
    response = client.post(
        fill_url(act),
        {
            "age": "66",
            "sex": "female",
            "six_minute_walk__distance_m": "450",
            "six_minute_walk__height_cm": "160",
            "six_minute_walk__weight_kg": "60",
            "handgrip__right_kg_1": "20",
            "handgrip__right_kg_2": "22,5",
            "barriers": "Fatigue.",
            "summary": "Bon potentiel.",
        },
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == read_url(assessment)
    assert [r.instrument for r in assessment.results.all()] == ["six_minute_walk", "handgrip"]
    assert assessment.results.get(instrument="handgrip").answers["right_kg"] == ["20", "22.5"]
    assert assessment.observations == {"barriers": "Fatigue."}
    page = client.get(read_url(assessment)).content.decode()
    assert "Distance dans les valeurs attendues" in page
    assert "Part de la distance théorique (%)" in page
    assert "92,6" in page
    assert "Équations de référence d&#x27;Enright et Sherrill" in page
    assert "enright-sherrill-1998" in page
    assert "Bon potentiel." in page


def test_a_refused_value_is_shown_in_french_next_to_its_field(
    client_as, personas, team, open_pathway
):
    act = book_act(personas, team, open_pathway, "apa_assessment")
    response = client_as(team.apa).post(
        fill_url(act),
        {
            "age": "66",
            "sex": "female",
            "six_minute_walk__distance_m": "1200",
            "six_minute_walk__height_cm": "160",
            "six_minute_walk__weight_kg": "60",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    message = "Distance parcourue : 1200 m est hors des valeurs possibles (0 à 1000)."
    assert f'<p class="fr-error-text" id="id_six_minute_walk__distance_m_error">{message}</p>' in (
        page
    )
    assert not Assessment.objects.exists()


def test_an_empty_form_says_what_is_expected(client_as, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    response = client_as(team.psychologist).post(fill_url(act), {"age": "66", "sex": "female"})
    assert "Saisissez au moins une mesure ou la synthèse." in response.content.decode()


def test_an_incomplete_hads_names_the_missing_question(client_as, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    answers = hads_post(PSY_DATA["measures"]["hads"])
    del answers["hads__D7"]
    page = client_as(team.psychologist).post(fill_url(act), answers).content.decode()
    assert 'id="id_hads__D7_error">Question D7 : réponse manquante.</p>' in page


def test_correcting_prefills_the_previous_answers(client_as, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    page = client_as(team.psychologist).get(fill_url(act)).content.decode()
    assert "Une saisie existe déjà" in page
    assert 'name="distress_thermometer__score" value="4"' in page
    assert re.search(r'value="worry" id="[^"]+" checked', page)


def test_a_viewer_who_is_not_the_performer_gets_403_and_outsiders_404(
    client_as, personas, team, open_pathway
):
    act = book_act(personas, team, open_pathway, "psy_assessment")
    assessment = assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)
    # The coordinator sees the act but does not fill it.
    assert client_as(personas.coordinator).get(fill_url(act)).status_code == 403
    assert client_as(personas.coordinator).get(read_url(assessment)).status_code == 200
    for who in (personas.other_coordinator, personas.outsider, team.dietitian):
        client = client_as(who)
        assert client.get(fill_url(act)).status_code == 404
        assert client.post(fill_url(act), {"summary": "x"}).status_code == 404
        assert client.get(read_url(assessment)).status_code == 404
    assert Assessment.objects.count() == 1


def test_the_pathway_page_links_each_act_to_its_entry(client_as, personas, team, open_pathway):
    done = book_act(personas, team, open_pathway, "psy_assessment")
    assessment = assessment_submit(by=team.psychologist, act=done, data=PSY_DATA)
    pending = book_act(personas, team, open_pathway, "psy_followup", day=FOLLOWUP_DAY)
    page = client_as(team.psychologist).get(pathway_url(open_pathway)).content.decode()
    assert f'href="{read_url(assessment)}">Voir la saisie</a>' in page
    assert f'href="{fill_url(pending)}">Saisir le bilan</a>' in page
    coordinator_page = client_as(personas.coordinator).get(pathway_url(open_pathway)).content
    assert "Saisir le bilan" not in coordinator_page.decode()
    assert "Voir la saisie" in coordinator_page.decode()


def test_the_pathway_page_shows_the_evolution_with_a_chart(client_as, personas, team, open_pathway):
    first = book_act(personas, team, open_pathway, "psy_assessment")
    assessment_submit(by=team.psychologist, act=first, data=PSY_DATA)
    followup = book_act(personas, team, open_pathway, "psy_followup", day=FOLLOWUP_DAY)
    data = {"measures": {"distress_thermometer": {"score": 2}}}
    assessment_submit(by=team.psychologist, act=followup, data=data)
    page = client_as(personas.coordinator).get(pathway_url(open_pathway)).content.decode()
    section = page.split("Évolution des mesures")[1]
    assert '<td data-testid="difference-distress_thermometer">-2 /10</td>' in section
    assert "<svg" in section
    assert "<title" in section
    assert "Thermomètre de détresse : de 4 à 2" in section
    assert "Thermomètre de détresse : valeurs mesurées" in section  # the text alternative
    assert "HADS, anxiété" not in section  # measured once only


def test_the_assigned_dietitian_reads_the_pathway_and_another_gets_404(
    client_as, personas, team, open_pathway, geography
):
    book_act(personas, team, open_pathway, "diet_assessment")
    response = client_as(team.dietitian).get(pathway_url(open_pathway))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saisir le bilan" in page
    assert "Réserver un rendez-vous" not in page  # no coordinator action
    assert "Clore le parcours" not in page
    other = open_new_pathway(
        personas.coordinator, make_eligible_patient(personas.structure, geography["69123"])
    )
    assert client_as(team.dietitian).get(pathway_url(other)).status_code == 404


def test_the_pathway_page_query_count_does_not_grow_with_assessments(
    client_as, personas, team, open_pathway, django_assert_num_queries
):
    client = client_as(personas.coordinator)
    act = book_act(personas, team, open_pathway, "psy_assessment")
    assessment_submit(by=team.psychologist, act=act, data=PSY_DATA)

    def show() -> int:
        with django_assert_num_queries(QUERIES) as captured:
            assert client.get(pathway_url(open_pathway)).status_code == 200
        return len(captured.captured_queries)

    one = show()
    for i in range(3):
        later = book_act(
            personas, team, open_pathway, "psy_followup", day=FOLLOWUP_DAY + timedelta(days=i)
        )
        assessment_submit(by=team.psychologist, act=later, data=PSY_DATA)
    # The pathway page's queries (see pathways' test_views_acts) plus the results of the current
    # assessments and the deliveries of their reports (one prefetch each): the same for 1 or 4.
    assert show() == one


QUERIES = 18


@pytest.mark.parametrize(
    ("kind", "who", "expected"),
    [
        ("apa_assessment", "apa", "Force de préhension (dynamomètre)"),
        ("diet_assessment", "dietitian", "MNA-SF (dépistage de la dénutrition)"),
        ("psy_assessment", "psychologist", "Synthèse clinique"),
        ("diet_followup", "dietitian", "Notes de la consultation"),
        ("psy_followup", "psychologist", "HADS (anxiété et dépression)"),
    ],
)
def test_each_prestation_has_its_form(client_as, personas, team, open_pathway, kind, who, expected):
    act = book_act(personas, team, open_pathway, kind)
    response = client_as(getattr(team, who)).get(fill_url(act))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_the_diet_form_takes_decimal_commas_and_criteria(client_as, personas, team, open_pathway):
    act = book_act(personas, team, open_pathway, "diet_assessment")
    response = client_as(team.dietitian).post(
        fill_url(act),
        {
            "age": "66",
            "sex": "female",
            "anthropometry__weight_kg": "49,13",
            "anthropometry__height_cm": "170",
            "anthropometry__aggression": "on",
            "nrs_2002__nutritional_status": "3",
            "nrs_2002__disease_severity": "1",
        },
    )
    assert response.status_code == 302
    results = {r.instrument: r for r in Assessment.objects.get().results.all()}
    assert list(results) == ["bmi", "has_undernutrition", "nrs_2002"]
    # 49.13 / 2.89 = 17.0: < 18.5 (phenotypic) and <= 17 (severe, HAS 2019).
    has = results["has_undernutrition"]
    assert (has.subscores["bmi"], has.interpretation_code) == ("17.0", "severe")
    assert has.flags == ["etiologic.aggression", "phenotypic.bmi", "severity.bmi"]
    assert results["nrs_2002"].score == 4
