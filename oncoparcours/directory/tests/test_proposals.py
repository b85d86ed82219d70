import pytest
from django.core.exceptions import ValidationError

from oncoparcours.directory.models import OfferChangeProposal
from oncoparcours.directory.services import (
    offer_archive,
    offer_change_approve,
    offer_change_propose,
    offer_change_reject,
)
from oncoparcours.directory.tests.factories import make_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(personas, geography):
    return make_offer(
        "Sophrologie", commune=geography["69123"], provider_organisation=personas.structure
    )


def _codes(caught) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in caught.value.error_dict.items()}


def test_any_member_of_the_provider_proposes_and_an_editor_approves(personas, editor, offer):
    proposal = offer_change_propose(
        by=personas.psychologist,
        offer=offer,
        changes={"opening_hours": "Mardi 14 h", "audiences": ["adults", "carers"]},
        note="Nouveaux horaires",
    )
    assert proposal.status == "pending"
    offer_change_approve(by=editor, proposal=proposal)
    offer.refresh_from_db()
    proposal.refresh_from_db()
    assert (offer.opening_hours, offer.audiences) == ("Mardi 14 h", ["adults", "carers"])
    assert (proposal.status, proposal.decided_by) == ("approved", editor)
    assert [(e.kind, e.fields) for e in offer.events.all()] == [
        ("change_proposed", ["audiences", "opening_hours"]),
        ("updated", ["audiences", "opening_hours"]),
        ("change_approved", []),
    ]


def test_the_provider_professional_may_propose(personas, editor, geography):
    offer = make_offer(
        "Consultation", commune=geography["69123"], provider_professional=personas.psychologist.user
    )
    proposal = offer_change_propose(
        by=personas.psychologist, offer=offer, changes={"phone": "04 72 11 22 33"}
    )
    assert proposal.changes == {"phone": "04 72 11 22 33"}


@pytest.mark.parametrize("who", ["other_coordinator", "outsider", "ars_analyst"])
def test_others_may_not_propose(personas, offer, who):
    with pytest.raises(ValidationError) as caught:
        offer_change_propose(by=getattr(personas, who), offer=offer, changes={"title": "Piraté"})
    assert _codes(caught) == {"__all__": ["directory.permission_denied"]}
    assert not OfferChangeProposal.objects.exists()


def test_a_provider_may_not_vouch_for_itself_nor_propose_invalid_or_empty_changes(personas, offer):
    for changes, expected in (
        (
            {"last_verified_at": "2026-01-01"},
            {"last_verified_at": ["directory.proposal.field_not_proposable"]},
        ),
        ({"commune_insee": "00000"}, {"commune_insee": ["directory.commune.unknown"]}),
        ({"title": "Sophrologie"}, {"__all__": ["directory.proposal.no_change"]}),
    ):
        with pytest.raises(ValidationError) as caught:
            offer_change_propose(by=personas.coordinator, offer=offer, changes=changes)
        assert _codes(caught) == expected
    assert not OfferChangeProposal.objects.exists()


def test_a_rejection_needs_a_note_and_changes_nothing(personas, editor, offer):
    proposal = offer_change_propose(
        by=personas.coordinator, offer=offer, changes={"title": "Relaxation"}
    )
    with pytest.raises(ValidationError) as caught:
        offer_change_reject(by=editor, proposal=proposal, note=" ")
    assert _codes(caught) == {"note": ["directory.proposal.note_required"]}
    offer_change_reject(by=editor, proposal=proposal, note="Intitulé trop vague.")
    proposal.refresh_from_db()
    offer.refresh_from_db()
    assert (proposal.status, proposal.decision_note, offer.title) == (
        "rejected",
        "Intitulé trop vague.",
        "Sophrologie",
    )
    with pytest.raises(ValidationError) as caught:
        offer_change_approve(by=editor, proposal=proposal)
    assert _codes(caught) == {"__all__": ["directory.proposal.already_decided"]}


def test_only_editors_decide(personas, offer):
    proposal = offer_change_propose(
        by=personas.coordinator, offer=offer, changes={"title": "Relaxation"}
    )
    with pytest.raises(ValidationError):
        offer_change_approve(by=personas.coordinator, proposal=proposal)
    proposal.refresh_from_db()
    offer.refresh_from_db()
    assert (proposal.status, offer.title) == ("pending", "Sophrologie")


def test_a_proposal_on_an_offer_archived_since_cannot_be_approved(personas, editor, offer):
    proposal = offer_change_propose(
        by=personas.coordinator, offer=offer, changes={"title": "Relaxation"}
    )
    offer_archive(by=editor, offer=offer)
    with pytest.raises(ValidationError) as caught:
        offer_change_approve(by=editor, proposal=proposal)
    assert "directory.offer.archived" in _codes(caught)["__all__"]
    proposal.refresh_from_db()
    assert proposal.status == "pending"
