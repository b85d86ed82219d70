from datetime import date

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.pathways.services import (
    pathway_activate,
    pathway_close,
    pathway_expire,
    pathway_mark_contacted,
)
from oncoparcours.pathways.tests.factories import receive


@pytest.fixture
def pathway(personas, patient):
    return receive(personas.coordinator, patient)


def test_the_happy_path_from_contact_to_completion(personas, pathway):
    pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    assert pathway.status == "contacted"
    pathway_activate(pathway=pathway, first_assessment_date=date(2026, 6, 10))
    pathway.refresh_from_db()
    assert pathway.status == "active"
    assert pathway.first_assessment_date == date(2026, 6, 10)
    # PSG-06: first assessment + 12 months.
    assert pathway.deadline == date(2027, 6, 10)
    pathway_close(by=personas.coordinator, pathway=pathway, outcome="completed")
    pathway.refresh_from_db()
    assert pathway.status == "completed"
    assert pathway.closed_at is not None
    assert list(pathway.events.values_list("kind", flat=True)) == [
        "received",
        "eligibility_checked",
        "oriented",
        "contacted",
        "activated",
        "completed",
    ]
    assert pathway.events.get(kind="activated").data == {"deadline": "2027-06-10"}


@pytest.mark.parametrize("outcome", ["withdrawn", "lost", "deceased"])
def test_closing_early_records_the_reason(personas, pathway, outcome):
    pathway_close(by=personas.coordinator, pathway=pathway, outcome=outcome, reason="Motif.")
    pathway.refresh_from_db()
    assert pathway.status == outcome
    assert pathway.closure_reason == "Motif."
    event = pathway.events.get(kind=outcome)
    assert (event.actor, event.reason) == (personas.coordinator, "Motif.")


def test_closing_without_a_reason_or_with_an_unknown_outcome_is_refused(personas, pathway):
    with pytest.raises(ValidationError) as exc:
        pathway_close(by=personas.coordinator, pathway=pathway, outcome="withdrawn")
    assert exc.value.error_dict["reason"][0].code == "pathway.reason_required"
    with pytest.raises(ValidationError) as exc:
        pathway_close(by=personas.coordinator, pathway=pathway, outcome="expired", reason="x")
    assert exc.value.error_dict["outcome"][0].code == "pathway.outcome_invalid"
    pathway.refresh_from_db()
    assert pathway.status == "eligible"


def test_an_eligible_pathway_cannot_complete_before_being_active(personas, pathway):
    with pytest.raises(ValidationError) as exc:
        pathway_close(by=personas.coordinator, pathway=pathway, outcome="completed")
    assert exc.value.code == "pathway.transition_not_allowed"
    pathway.refresh_from_db()
    assert pathway.status == "eligible"
    assert pathway.closed_at is None


def test_a_refused_pathway_cannot_be_contacted(personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    with pytest.raises(ValidationError) as exc:
        pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    assert exc.value.code == "pathway.transition_not_allowed"


def test_the_first_assessment_cannot_precede_the_prescription(personas, pathway):
    pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    with pytest.raises(ValidationError) as exc:
        pathway_activate(pathway=pathway, first_assessment_date=date(2026, 4, 1))
    assert exc.value.error_dict["first_assessment_date"][0].code == (
        "pathway.assessment_before_prescription"
    )
    pathway.refresh_from_db()
    assert (pathway.status, pathway.deadline) == ("contacted", None)


def test_the_system_expires_an_active_pathway_only_after_its_deadline(personas, pathway):
    pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    pathway_activate(pathway=pathway, first_assessment_date=date(2026, 6, 10))
    with pytest.raises(ValidationError) as exc:
        pathway_expire(pathway=pathway, today=date(2027, 6, 10))
    assert exc.value.code == "pathway.not_expired"
    pathway_expire(pathway=pathway, today=date(2027, 6, 11))
    pathway.refresh_from_db()
    assert pathway.status == "expired"
    assert pathway.events.get(kind="expired").actor is None


def test_a_closed_pathway_has_no_way_out(personas, pathway):
    pathway_close(by=personas.coordinator, pathway=pathway, outcome="deceased", reason="Décès.")
    with pytest.raises(ValidationError) as exc:
        pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    assert exc.value.code == "pathway.transition_not_allowed"
