import pytest

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.organisations.selectors import member_list, organisation_list_for
from oncoparcours.organisations.services import member_end, organisation_archive

pytestmark = pytest.mark.django_db


def _names(organisations) -> list[str]:
    return [o.name for o in organisations]


def test_regional_roles_see_every_organisation_in_use(personas):
    organisation_archive(by=personas.admin, organisation=personas.other_structure)

    for actor in (personas.admin, personas.ars_analyst):
        names = _names(organisation_list_for(actor))
        assert "Association Après-Cancer Lyon" in names
        assert "Pharmacie du Lac" in names
        assert "MSP des Volcans" not in names


def test_other_roles_see_only_their_own_organisation(personas):
    assert _names(organisation_list_for(personas.coordinator)) == ["Association Après-Cancer Lyon"]
    assert _names(organisation_list_for(personas.outsider)) == ["Pharmacie du Lac"]
    assert _names(organisation_list_for(None)) == []


def test_filters_by_kind_and_department(personas):
    structures = organisation_list_for(personas.admin, kind=OrgKind.STRUCTURE_PORTEUSE)
    assert _names(structures) == ["Association Après-Cancer Lyon", "MSP des Volcans"]
    in_puy_de_dome = organisation_list_for(personas.admin, department="63")
    assert _names(in_puy_de_dome) == ["MSP des Volcans"]


def test_name_search_ignores_accents_case_and_hyphens(personas):
    assert _names(organisation_list_for(personas.admin, q="APRES cancer")) == [
        "Association Après-Cancer Lyon"
    ]
    assert _names(organisation_list_for(personas.admin, q="volcans msp")) == ["MSP des Volcans"]
    assert _names(organisation_list_for(personas.admin, q="introuvable")) == []


def test_search_finds_an_identifier_typed_with_spaces(personas):
    make_organisation("Centre Léon Bérard", OrgKind.HEALTH_ESTABLISHMENT, finess_et="690000880")
    make_organisation("Clinique du Parc", OrgKind.HEALTH_ESTABLISHMENT, siret="73282932000074")

    assert _names(organisation_list_for(personas.admin, q="690 000 880")) == ["Centre Léon Bérard"]
    assert _names(organisation_list_for(personas.admin, q="732 829 320 00074")) == [
        "Clinique du Parc"
    ]


def test_member_list_puts_current_roles_first_and_leaves_patients_out(personas):
    make_member(personas.structure, RoleCode.PATIENT, last_name="Patiente")
    member_end(by=personas.coordinator, membership=personas.psychologist)

    members = list(member_list(personas.structure))

    assert [m.pk for m in members] == [personas.coordinator.pk, personas.psychologist.pk]
