"""The professional's workspace (issue 4 §7): forms to fill, agenda, patients assigned, reports
sent and statements, only for the structure the professional acts in."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.assessments.services import assessment_submit
from oncoparcours.assessments.tests.helpers import PSY_DATA
from oncoparcours.pathways.tests.factories import (
    cover,
    make_eligible_patient,
    make_professional,
    open_pathway,
)
from oncoparcours.pathways.tests.test_acts import FIRST_DAY, book
from oncoparcours.professionals import services

pytestmark = pytest.mark.django_db

URL = reverse("professionals:workspace")
API = "/api/v1/professionals/me/workspace"


@pytest.fixture
def today():
    with time_machine.travel("2026-06-15 12:00 +0200", tick=False):
        yield


@pytest.fixture
def team(personas):
    from types import SimpleNamespace

    psychologist = personas.psychologist
    psychologist.user.profession = "psychologist"
    psychologist.user.save()
    dietitian = make_professional(
        personas.structure, RoleCode.DIETITIAN, "dietitian", "dieteticienne@lyon.test"
    )
    apa = make_professional(personas.structure, RoleCode.APA_PROFESSIONAL, "apa_teacher", "a@l.t")
    return SimpleNamespace(psychologist=psychologist, dietitian=dietitian, apa=apa)


@pytest.fixture
def pathways(personas, geography):
    cover(personas.structure, geography["69123"], geography["69266"], name="Lyon Villeurbanne")
    first = open_pathway(
        personas.coordinator, make_eligible_patient(personas.structure, geography["69266"])
    )
    second = open_pathway(
        personas.coordinator,
        make_eligible_patient(
            personas.structure,
            geography["69123"],
            birth_name="ZOLA",
            first_given_name="Émile",
            ins_matricule="",
        ),
    )
    return first, second


@pytest.fixture
def activity(personas, team, pathways, today):
    """The psychologist: one act held and documented (report issued), one held and not yet
    documented, one next week; the dietitian has one act with the second patient."""
    first, second = pathways
    documented = book(personas, team, first, "psy_assessment", day=FIRST_DAY)
    assessment_submit(by=team.psychologist, act=documented, data=PSY_DATA)
    held = book(personas, team, second, "psy_assessment", day=FIRST_DAY + datetime.timedelta(1))
    upcoming = book(
        personas, team, first, "psy_followup", day=datetime.date(2026, 6, 22), amount=None
    )
    book(personas, team, second, "diet_assessment", day=datetime.date(2026, 6, 23))
    return documented, held, upcoming


def test_the_workspace_lists_what_the_professional_must_do(
    personas, team, pathways, activity, client_as
):
    documented, held, upcoming = activity
    response = client_as(team.psychologist).get(URL)
    assert response.status_code == 200
    space = response.context["space"]
    assert [a.pk for a in space.to_document] == [held.pk]
    assert [a.pk for a in space.upcoming] == [upcoming.pk]
    # Both patients have an act with the psychologist; the next one is the follow-up.
    assert {p.pk for p in space.pathways} == {pathways[0].pk, pathways[1].pk}
    next_acts = {p.pk: p.next_act_at for p in space.pathways}
    assert next_acts[pathways[0].pk] == upcoming.starts_at
    assert next_acts[pathways[1].pk] is None
    assert [r.assessment.act_id for r in space.reports] == [documented.pk]
    page = response.content.decode()
    assert reverse("assessments:fill", args=[held.public_id]) in page
    assert reverse("assessments:fill", args=[documented.public_id]) not in page


def test_the_dietitian_sees_only_their_own_patient(personas, team, pathways, activity, client_as):
    space = client_as(team.dietitian).get(URL).context["space"]
    assert [p.pk for p in space.pathways] == [pathways[1].pk]
    assert space.to_document == []
    assert space.reports == []


def test_the_workspace_counts_no_more_queries_with_more_rows(
    personas, team, pathways, activity, client_as, django_assert_max_num_queries
):
    client = client_as(team.psychologist)
    client.get(URL)
    for day in (24, 25, 26):
        book(personas, team, pathways[1], "psy_followup", day=datetime.date(2026, 6, day))
    # Session, user, memberships, active membership, then one query per section (+ prefetch of
    # the reports' deliveries).
    with django_assert_max_num_queries(11):
        response = client.get(URL)
    assert len(response.context["space"].upcoming) == 4


def test_the_api_gives_the_same_workspace(personas, team, activity, client_as):
    _documented, held, upcoming = activity
    body = client_as(team.psychologist).get(API).json()
    assert [a["id"] for a in body["to_document"]] == [str(held.public_id)]
    assert [a["id"] for a in body["upcoming"]] == [str(upcoming.public_id)]
    assert len(body["pathways"]) == 2
    (report,) = body["reports"]
    assert {d["recipient_role"] for d in report["deliveries"]} == {"prescriber", "gp"}


def test_statements_of_the_workspace_are_the_professionals_own_in_this_structure(
    personas, team, activity, client_as
):
    services.contract_create(
        by=personas.coordinator,
        structure=personas.structure,
        professional=team.dietitian.user,
        kind="contracted",
        start_date=datetime.date(2026, 1, 1),
        assessment_rate="40.00",
        followup_rate="20.00",
    )
    from oncoparcours.pathways.services import act_complete
    from oncoparcours.payments.services import statement_prepare

    act = team.dietitian.user.acts.get()
    with time_machine.travel("2026-06-23 18:00 +0200", tick=False):
        act_complete(by=team.dietitian, act=act)
        statement = statement_prepare(
            by=personas.coordinator,
            structure=personas.structure,
            professional=team.dietitian.user,
            month=datetime.date(2026, 6, 1),
        )
    space = client_as(team.dietitian).get(URL).context["space"]
    assert [s.pk for s in space.statements] == [statement.pk]
    assert space.statements[0].lines_total == Decimal("40.00")
    assert client_as(team.psychologist).get(URL).context["space"].statements == []


@pytest.mark.parametrize("who", ["coordinator", "ars_analyst", "outsider"])
def test_only_professionals_have_a_workspace(personas, client_as, who):
    client = client_as(getattr(personas, who))
    assert client.get(URL).status_code == 403
    assert client.get(API).status_code == 403
