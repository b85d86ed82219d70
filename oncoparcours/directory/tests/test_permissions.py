import pytest
from django.http import Http404
from django.utils import timezone

from oncoparcours.directory.permissions import (
    access_offer,
    access_proposal,
    can_edit_directory,
    can_propose_offer_change,
    can_view_coverage,
)
from oncoparcours.directory.tests.factories import make_offer

pytestmark = pytest.mark.django_db


def test_editors_and_admins_edit_the_directory_and_the_ars_sees_coverage(personas, editor):
    assert can_edit_directory(editor)
    assert can_edit_directory(personas.admin)
    assert not can_edit_directory(personas.ars_analyst)
    assert not can_edit_directory(personas.coordinator)
    assert not can_edit_directory(None)
    assert can_view_coverage(personas.ars_analyst)
    assert not can_view_coverage(personas.outsider)


def test_an_archived_offer_is_hidden_from_everyone_but_editors(personas, editor, geography):
    offer = make_offer("Archivée", commune=geography["69123"], archived_at=timezone.now())
    assert access_offer(editor, offer.public_id) == offer
    for actor in (None, personas.coordinator, personas.ars_analyst):
        with pytest.raises(Http404):
            access_offer(actor, offer.public_id)
    with pytest.raises(Http404):
        access_offer(None, "pas-un-uuid")


def test_only_the_provider_may_propose_and_not_on_an_archived_offer(personas, geography):
    offer = make_offer(
        "Offre", commune=geography["69123"], provider_organisation=personas.structure
    )
    assert can_propose_offer_change(personas.psychologist, offer)
    assert not can_propose_offer_change(personas.other_coordinator, offer)
    assert not can_propose_offer_change(None, offer)
    offer.archived_at = timezone.now()
    assert not can_propose_offer_change(personas.coordinator, offer)


def test_proposals_are_404_for_non_editors(personas, geography):
    with pytest.raises(Http404):
        access_proposal(personas.coordinator, "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
