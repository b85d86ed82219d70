import uuid

import pytest
from django.http import Http404

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.territories.permissions import (
    access_territory,
    can_create_territory,
    can_edit_territory,
    can_search_communes,
    can_view_territory,
)
from oncoparcours.territories.services import territory_archive


def test_the_coordinator_sees_and_edits_the_structures_territory(personas, territory):
    assert can_view_territory(personas.coordinator, territory)
    assert can_edit_territory(personas.coordinator, territory)
    assert access_territory(personas.coordinator, territory.public_id) == territory


def test_another_structures_coordinator_neither_sees_nor_edits_it(personas, territory):
    assert not can_view_territory(personas.other_coordinator, territory)
    assert not can_edit_territory(personas.other_coordinator, territory)
    with pytest.raises(Http404):
        access_territory(personas.other_coordinator, territory.public_id)


def test_the_ars_sees_every_territory_read_only(personas, territory, other_territory):
    for t in (territory, other_territory):
        assert can_view_territory(personas.ars_analyst, t)
        assert not can_edit_territory(personas.ars_analyst, t)
    assert not can_create_territory(personas.ars_analyst, personas.structure)


def test_the_admin_sees_and_edits_every_territory(personas, territory, other_territory):
    assert can_edit_territory(personas.admin, other_territory)
    assert can_create_territory(personas.admin, personas.other_structure)


def test_a_colleague_in_the_structure_who_is_not_coordinator_is_refused(personas, territory):
    assert not can_view_territory(personas.psychologist, territory)
    assert not can_edit_territory(personas.psychologist, territory)


def test_the_outsider_is_refused(personas, territory):
    assert not can_view_territory(personas.outsider, territory)
    assert not can_edit_territory(personas.outsider, territory)
    assert not can_create_territory(personas.outsider, None)
    with pytest.raises(Http404):
        access_territory(personas.outsider, territory.public_id)


def test_a_coordinator_creates_only_for_the_own_structure(personas):
    assert can_create_territory(personas.coordinator, None)
    assert can_create_territory(personas.coordinator, personas.structure)
    assert not can_create_territory(personas.coordinator, personas.other_structure)


def test_an_archived_territory_stays_visible_to_those_who_saw_it(personas, territory):
    territory_archive(by=personas.coordinator, territory=territory)
    assert can_view_territory(personas.coordinator, territory)
    assert access_territory(personas.ars_analyst, territory.public_id) == territory


def test_an_unknown_or_malformed_id_is_not_found(personas):
    for public_id in (uuid.uuid4(), "pas-un-uuid"):
        with pytest.raises(Http404):
            access_territory(personas.admin, public_id)


def test_commune_search_is_open_to_every_role_but_patients(personas):
    patient = make_member(personas.structure, RoleCode.PATIENT)
    assert can_search_communes(personas.outsider)
    assert can_search_communes(personas.psychologist)
    assert not can_search_communes(patient)
    assert not can_search_communes(None)


def test_an_admin_of_a_dsrc_is_still_admin_for_any_structure(personas):
    clinic = make_organisation("Clinique", OrgKind.HEALTH_ESTABLISHMENT)
    # The service refuses a non-porteuse structure; the permission only says who acts.
    assert can_create_territory(personas.admin, clinic)
