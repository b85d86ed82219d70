import logging
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.coordination.models import Task
from oncoparcours.core.testing import make_organisation
from oncoparcours.pathways.selectors import orientation_candidates
from oncoparcours.pathways.services import pathway_reassign
from oncoparcours.pathways.tests.factories import (
    cover,
    make_directory_editor,
    make_eligible_patient,
    receive,
)


def test_a_single_covering_structure_gets_the_pathway(personas, patient):
    pathway = receive(personas.coordinator, patient)
    assert pathway.structure == personas.structure
    event = pathway.events.get(kind="oriented")
    assert event.actor is None
    assert event.data == {
        "structure": str(personas.structure.public_id),
        "candidates": [{"structure": str(personas.structure.public_id), "distance_km": 3.6}],
    }


def test_several_structures_go_nearest_first_and_the_others_are_kept(personas, geography, patient):
    local = make_organisation(
        "Centre de santé Villeurbanne", OrgKind.STRUCTURE_PORTEUSE, commune=geography["69266"]
    )
    cover(local, geography["69266"])
    far = make_organisation("SMR Forez", OrgKind.STRUCTURE_PORTEUSE, commune=geography["42218"])
    cover(far, geography["69266"])
    candidates = orientation_candidates(patient)
    assert [(c.structure, c.distance_km) for c in candidates] == [
        (local, 0.0),
        (personas.structure, 3.6),
        (far, 52.9),
    ]
    pathway = receive(personas.coordinator, patient)
    assert pathway.structure == local
    data = pathway.events.get(kind="oriented").data
    assert [c["structure"] for c in data["candidates"]] == [
        str(local.public_id),
        str(personas.structure.public_id),
        str(far.public_id),
    ]


def test_candidates_are_read_in_one_query(personas, geography, patient, django_assert_num_queries):
    for i in range(3):
        structure = make_organisation(
            f"Structure {i}", OrgKind.STRUCTURE_PORTEUSE, commune=geography["42218"]
        )
        cover(structure, geography["69266"])
    # The structures with their communes (the patient's commune is already loaded).
    patient.commune  # noqa: B018
    with django_assert_num_queries(1):
        assert len(orientation_candidates(patient)) == 4


def test_archived_structures_and_territories_are_not_candidates(personas, geography, patient):
    from django.utils import timezone

    personas.structure.territories.update(archived_at=timezone.now())
    assert orientation_candidates(patient) == []


def test_a_commune_no_structure_covers_is_flagged_uncovered_and_the_dsrc_alerted(
    personas, geography, covered, caplog
):
    patient = make_eligible_patient(personas.structure, geography["15014"])
    with caplog.at_level(logging.INFO, logger="oncoparcours.pathways"):
        pathway = receive(personas.coordinator, patient)
    assert pathway.status == "eligible"
    assert pathway.structure is None
    assert pathway.uncovered is True
    assert pathway.events.get(kind="uncovered").data == {"commune": "15014"}
    alert = Task.objects.get(kind="uncovered_territory")
    assert alert.organisation.kind == "dsrc"
    assert alert.pathway_public_id == pathway.public_id
    assert f"pathway uncovered pathway={pathway.public_id} commune=15014" in caplog.text
    assert patient.birth_name not in caplog.text


def test_an_aja_goes_to_the_aja_scheme_first_even_if_farther(personas, geography, patient):
    aja = make_organisation(
        "Dispositif AJA",
        OrgKind.STRUCTURE_PORTEUSE,
        commune=geography["42218"],
        serves_adults=False,
        serves_aja=True,
    )
    cover(aja, geography["69266"])
    young = make_eligible_patient(
        personas.structure, geography["69266"], birth_date=date(2006, 3, 1)
    )
    pathway = receive(personas.coordinator, young)
    assert pathway.age_group == "aja"
    assert pathway.structure == aja
    # An adult is never sent to the AJA-only scheme.
    assert receive(personas.coordinator, patient).structure == personas.structure


def test_a_child_without_a_paediatric_scheme_goes_to_an_adult_structure(
    personas, geography, covered
):
    child = make_eligible_patient(
        personas.structure, geography["69266"], birth_date=date(2018, 3, 1)
    )
    pathway = receive(personas.coordinator, child, prescriber_specialty="paediatrics")
    assert pathway.age_group == "child"
    assert pathway.structure == personas.structure


def test_a_coordinator_reassigns_with_a_reason(personas, patient):
    pathway = receive(personas.coordinator, patient)
    pathway_reassign(
        by=personas.coordinator,
        pathway=pathway,
        structure=personas.other_structure,
        reason="Le patient déménage à Clermont-Ferrand.",
    )
    pathway.refresh_from_db()
    assert pathway.structure == personas.other_structure
    event = pathway.events.get(kind="reassigned")
    assert event.actor == personas.coordinator
    assert event.data == {
        "from": str(personas.structure.public_id),
        "to": str(personas.other_structure.public_id),
        "patient_file_moved": True,
    }
    # The patient's file follows: the new coordinator sees the patient, the old one no more.
    patient.refresh_from_db()
    assert patient.structure == personas.other_structure


def test_the_dsrc_assigns_an_uncovered_pathway(personas, geography, covered):
    patient = make_eligible_patient(personas.structure, geography["15014"])
    pathway = receive(personas.coordinator, patient)
    editor = make_directory_editor(personas)
    pathway_reassign(
        by=editor, pathway=pathway, structure=personas.other_structure, reason="Au plus proche."
    )
    pathway.refresh_from_db()
    assert pathway.uncovered is False
    assert pathway.structure == personas.other_structure


def test_another_coordinator_cannot_reassign(personas, patient):
    pathway = receive(personas.coordinator, patient)
    with pytest.raises(ValidationError) as exc:
        pathway_reassign(
            by=personas.other_coordinator,
            pathway=pathway,
            structure=personas.other_structure,
            reason="Je le prends.",
        )
    assert exc.value.code == "pathway.reassign_forbidden"
    pathway.refresh_from_db()
    assert pathway.structure == personas.structure


def test_reassigning_to_a_non_structure_without_reason_is_refused(personas, patient):
    pathway = receive(personas.coordinator, patient)
    pharmacy = make_organisation("Pharmacie", OrgKind.PHARMACY)
    with pytest.raises(ValidationError) as exc:
        pathway_reassign(by=personas.coordinator, pathway=pathway, structure=pharmacy, reason=" ")
    assert {e.code for errs in exc.value.error_dict.values() for e in errs} == {
        "pathway.structure_invalid",
        "pathway.reason_required",
    }
    assert not pathway.events.filter(kind="reassigned").exists()
