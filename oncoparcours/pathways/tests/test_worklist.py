from datetime import date

import pytest
from django.http import Http404

from oncoparcours.pathways.permissions import (
    access_pathway,
    can_act_on_pathway,
    can_list_pathways,
    can_view_pathway,
)
from oncoparcours.pathways.selectors import pathway_worklist_for
from oncoparcours.pathways.tests.factories import (
    make_directory_editor,
    make_eligible_patient,
    make_prescriber,
    receive,
)


@pytest.fixture
def world(personas, geography, patient):
    prescriber = make_prescriber(personas)
    mine = receive(personas.coordinator, patient, prescriber=prescriber.user, channel="form")
    clermont = make_eligible_patient(personas.other_structure, geography["63113"])
    theirs = receive(personas.other_coordinator, clermont)
    aurillac = make_eligible_patient(personas.structure, geography["15014"])
    uncovered = receive(personas.coordinator, aurillac)
    return {"prescriber": prescriber, "mine": mine, "theirs": theirs, "uncovered": uncovered}


def test_a_coordinator_lists_only_their_structures_pathways(personas, world):
    assert list(pathway_worklist_for(personas.coordinator)) == [world["mine"]]
    assert list(pathway_worklist_for(personas.other_coordinator)) == [world["theirs"]]


def test_a_prescriber_lists_his_own_prescriptions(personas, world):
    assert list(pathway_worklist_for(world["prescriber"])) == [world["mine"]]


def test_the_dsrc_and_admins_list_uncovered_pathways(personas, world):
    editor = make_directory_editor(personas)
    assert list(pathway_worklist_for(editor)) == [world["uncovered"]]
    assert list(pathway_worklist_for(personas.admin)) == [world["uncovered"]]


@pytest.mark.parametrize("who", ["ars_analyst", "outsider", "psychologist"])
def test_others_list_nothing(personas, world, who):
    actor = getattr(personas, who)
    assert not can_list_pathways(actor)
    assert list(pathway_worklist_for(actor)) == []


def test_the_worklist_filters_by_status_and_searches_name_commune_and_ins(personas, world):
    mine = world["mine"]
    coordinator = personas.coordinator
    assert list(pathway_worklist_for(coordinator, status="eligible")) == [mine]
    assert list(pathway_worklist_for(coordinator, status="refused")) == []
    name = mine.patient.birth_name
    assert list(pathway_worklist_for(coordinator, q=name.lower())) == [mine]
    assert list(pathway_worklist_for(coordinator, q="villeur")) == [mine]
    assert list(pathway_worklist_for(coordinator, q="Clermont")) == []
    mine.patient.ins_matricule = "260057512345678"[:13]
    mine.patient.save(update_fields=["ins_matricule"])
    assert list(pathway_worklist_for(coordinator, q="2 60 05 75")) == [mine]


def test_the_worklist_costs_one_query_whatever_its_size(
    personas, geography, patient, django_assert_num_queries
):
    def rows() -> list[tuple[str, str, str, str]]:
        # One query: pathways joined with patient, commune, structure and prescription.
        with django_assert_num_queries(1):
            return [
                (
                    p.patient.display_name,
                    p.patient.commune.name,
                    p.structure.name if p.structure else "",
                    p.prescription.eligibility,
                )
                for p in pathway_worklist_for(personas.coordinator)
            ]

    receive(personas.coordinator, patient)
    assert len(rows()) == 1
    for _ in range(4):
        other = make_eligible_patient(personas.structure, geography["69123"])
        receive(personas.coordinator, other, prescription_date=date(2026, 4, 1))
    assert len(rows()) == 5


def test_view_and_act_permissions(personas, world):
    mine, prescriber = world["mine"], world["prescriber"]
    editor = make_directory_editor(personas)
    assert can_view_pathway(personas.coordinator, mine)
    assert can_act_on_pathway(personas.coordinator, mine)
    assert can_view_pathway(prescriber, mine)
    assert not can_act_on_pathway(prescriber, mine)
    for refused in (personas.other_coordinator, personas.ars_analyst, personas.outsider, editor):
        assert not can_view_pathway(refused, mine)
    assert can_view_pathway(editor, world["uncovered"])
    assert not can_act_on_pathway(editor, world["uncovered"])
    assert not can_view_pathway(personas.ars_analyst, world["uncovered"])


def test_access_pathway_hides_what_the_actor_may_not_see(personas, world):
    assert access_pathway(personas.coordinator, world["mine"].public_id) == world["mine"]
    with pytest.raises(Http404):
        access_pathway(personas.other_coordinator, world["mine"].public_id)
    with pytest.raises(Http404):
        access_pathway(personas.coordinator, "00000000-0000-0000-0000-000000000000")
