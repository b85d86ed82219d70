import logging

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.organisations.models import Organisation, StructureType
from oncoparcours.organisations.services import (
    organisation_archive,
    organisation_create,
    organisation_update,
)
from oncoparcours.territories.models import CommunePostalCode

pytestmark = pytest.mark.django_db

SIRET = "73282932000074"
OTHER_SIRET = "40483304800014"


def _codes(exc: ValidationError) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict


def _create(personas, **overrides) -> Organisation:
    values = {
        "name": "Association Cancer et Vie",
        "kind": OrgKind.STRUCTURE_PORTEUSE,
        "structure_type": StructureType.ASSOCIATION,
        "siret": "732 829 320 00074",
        "finess_et": "69 078 181 0",
        "postal_code": "69100",
        **overrides,
    }
    return organisation_create(by=personas.admin, **values)


def test_structure_is_created_with_normalised_identifiers_and_its_commune(personas):
    organisation = _create(personas, email=" Contact@Cancer-Vie.FR ")

    organisation.refresh_from_db()
    assert organisation.siret == SIRET
    assert organisation.finess_et == "690781810"
    assert organisation.commune_id == "69266"
    assert organisation.email == "contact@cancer-vie.fr"
    assert organisation.serves_adults


def test_postal_code_and_insee_code_of_the_same_commune_are_accepted(personas):
    organisation = _create(personas, postal_code="69003", commune_insee="69123")
    assert organisation.commune_id == "69123"


def test_every_error_is_reported_at_once_and_nothing_is_saved(personas):
    before = Organisation.objects.count()

    with pytest.raises(ValidationError) as info:
        _create(
            personas,
            name="",
            structure_type="",
            finess_ej="690781811",
            finess_et="69078181",
            siret="7328293200007",
            postal_code="69999",
            email="pas-une-adresse",
            phone="abc",
        )

    assert _codes(info.value) == {
        "name": ["organisation.name.required"],
        "structure_type": ["organisation.structure_type.required"],
        "finess_ej": ["identifier.finess.checksum"],
        "finess_et": ["identifier.finess.format"],
        "siret": ["identifier.siret.format"],
        "postal_code": ["identifier.postal_code.unknown"],
        "email": ["organisation.email.invalid"],
        "phone": ["organisation.phone.invalid"],
    }
    assert _messages(info.value)["siret"] == [
        "Le numéro SIRET doit comporter 14 chiffres (SIREN + NIC)."
    ]
    assert Organisation.objects.count() == before


def test_siret_with_a_bad_luhn_key_is_refused(personas):
    with pytest.raises(ValidationError) as info:
        _create(personas, siret="73282932000079")
    assert _codes(info.value) == {"siret": ["identifier.siret.checksum"]}


def test_postal_code_of_another_commune_is_refused(personas):
    with pytest.raises(ValidationError) as info:
        _create(personas, postal_code="69100", commune_insee="69123")
    assert _codes(info.value) == {"postal_code": ["identifier.postal_code.mismatch"]}
    assert "69100" in _messages(info.value)["postal_code"][0]
    assert not Organisation.objects.filter(siret=SIRET).exists()


def test_postal_code_shared_by_several_communes_asks_which_commune(personas):
    CommunePostalCode.objects.create(commune_id="69123", postal_code="69100")

    with pytest.raises(ValidationError) as info:
        _create(personas, postal_code="69100")

    assert _codes(info.value) == {"commune_insee": ["identifier.postal_code.ambiguous"]}
    assert _create(personas, postal_code="69100", commune_insee="69266").commune_id == "69266"


def test_unknown_insee_code_without_postal_code_is_refused(personas):
    with pytest.raises(ValidationError) as info:
        _create(personas, postal_code="", commune_insee="75056")
    assert _codes(info.value) == {"commune_insee": ["organisation.commune.unknown"]}


def test_duplicate_siret_is_refused_naming_the_existing_organisation(personas):
    _create(personas, name="Première structure")

    with pytest.raises(ValidationError) as info:
        _create(personas, name="Seconde structure", finess_et="")

    assert _codes(info.value) == {"siret": ["organisation.siret.duplicate"]}
    assert _messages(info.value)["siret"] == [
        "Le SIRET 73282932000074 est déjà celui de l'organisation « Première structure »."
    ]
    assert not Organisation.objects.filter(name="Seconde structure").exists()


def test_duplicate_finess_et_is_refused_but_a_shared_finess_ej_is_not(personas):
    _create(personas, name="Site A", finess_ej="690000880")

    with pytest.raises(ValidationError) as info:
        _create(personas, name="Site B", siret=OTHER_SIRET)
    assert _codes(info.value) == {"finess_et": ["organisation.finess_et.duplicate"]}

    site_b = _create(
        personas, name="Site B", siret=OTHER_SIRET, finess_et="", finess_ej="690000880"
    )
    assert site_b.finess_ej == "690000880"


def test_structure_type_is_refused_for_another_kind_of_organisation(personas):
    with pytest.raises(ValidationError) as info:
        _create(personas, kind=OrgKind.PHARMACY, structure_type=StructureType.MSP)
    assert _codes(info.value) == {"structure_type": ["organisation.structure_type.not_applicable"]}


def test_unknown_kind_and_structure_type_are_refused(personas):
    with pytest.raises(ValidationError) as info:
        _create(personas, kind="hopital")
    assert _codes(info.value) == {"kind": ["organisation.kind.invalid"]}

    with pytest.raises(ValidationError) as info:
        _create(personas, structure_type="cooperative")
    assert _codes(info.value) == {"structure_type": ["organisation.structure_type.invalid"]}


def test_structure_porteuse_serving_no_public_is_refused_psg_19(personas):
    with pytest.raises(ValidationError) as info:
        _create(personas, serves_adults=False)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["organisation.audience.required"]}


def test_aja_only_structure_is_accepted_psg_19(personas):
    organisation = _create(personas, serves_adults=False, serves_aja=True)
    assert (organisation.serves_adults, organisation.serves_aja) == (False, True)


def test_refusal_is_logged_with_codes_only(personas, caplog):
    caplog.set_level(logging.INFO, logger="oncoparcours.refusals")

    with pytest.raises(ValidationError):
        _create(personas, name="Structure Secrète", siret="7328293200007")

    assert "identifier.siret.format" in caplog.text
    assert "organisation_create" in caplog.text
    assert "Secrète" not in caplog.text


def test_update_keeps_the_organisation_own_siret(personas):
    organisation = _create(personas)

    updated = organisation_update(by=personas.admin, organisation=organisation, name="Nouveau nom")

    assert updated.name == "Nouveau nom"
    assert Organisation.objects.get(pk=organisation.pk).siret == SIRET


def test_update_to_another_organisation_siret_is_refused_and_nothing_changes(personas):
    _create(personas, name="Première structure")
    second = _create(personas, name="Seconde structure", siret=OTHER_SIRET, finess_et="")

    with pytest.raises(ValidationError) as info:
        organisation_update(by=personas.admin, organisation=second, siret=SIRET, name="Nom changé")

    assert _codes(info.value) == {"siret": ["organisation.siret.duplicate"]}
    second.refresh_from_db()
    assert (second.name, second.siret) == ("Seconde structure", OTHER_SIRET)


def test_update_checks_a_new_postal_code_against_the_current_commune(personas):
    organisation = _create(personas, postal_code="69003", commune_insee="69123")

    with pytest.raises(ValidationError) as info:
        organisation_update(by=personas.admin, organisation=organisation, postal_code="69100")
    assert _codes(info.value) == {"postal_code": ["identifier.postal_code.mismatch"]}

    moved = organisation_update(
        by=personas.admin, organisation=organisation, postal_code="69100", commune_insee=""
    )
    assert moved.commune_id == "69266"


def test_update_refuses_unknown_fields():
    with pytest.raises(TypeError):
        organisation_update(by=None, organisation=None, archived_at=None)  # type: ignore[arg-type]


def test_kind_cannot_change_while_members_hold_roles_it_cannot_hold(personas):
    with pytest.raises(ValidationError) as info:
        organisation_update(
            by=personas.admin,
            organisation=personas.structure,
            kind=OrgKind.PHARMACY,
            structure_type="",
        )
    codes = _codes(info.value)["kind"]
    assert "organisation.kind.members_incompatible" in codes
    personas.structure.refresh_from_db()
    assert personas.structure.kind == OrgKind.STRUCTURE_PORTEUSE


def test_kind_can_change_when_no_member_is_affected(personas):
    practice = make_organisation("Cabinet des Pentes", OrgKind.COMMUNITY_PRACTICE)
    make_member(practice, RoleCode.PSYCHOLOGIST)

    updated = organisation_update(
        by=personas.admin,
        organisation=practice,
        kind=OrgKind.STRUCTURE_PORTEUSE,
        structure_type=StructureType.MSP,
    )

    assert updated.kind == OrgKind.STRUCTURE_PORTEUSE


def test_archive_keeps_the_row_and_refuses_a_second_archive(personas):
    archived = organisation_archive(by=personas.admin, organisation=personas.other_structure)

    assert Organisation.objects.get(pk=archived.pk).archived_at is not None
    with pytest.raises(ValidationError) as info:
        organisation_archive(by=personas.admin, organisation=archived)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["organisation.already_archived"]}


def test_archived_organisation_cannot_be_edited(personas):
    organisation_archive(by=personas.admin, organisation=personas.other_structure)

    with pytest.raises(ValidationError) as info:
        organisation_update(
            by=personas.admin, organisation=personas.other_structure, name="Autre nom"
        )
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["organisation.archived"]}


def test_nobody_archives_the_organisation_they_act_for(personas):
    with pytest.raises(ValidationError) as info:
        organisation_archive(by=personas.admin, organisation=personas.admin.organisation)
    assert _codes(info.value) == {NON_FIELD_ERRORS: ["organisation.archive_own"]}
    assert personas.admin.organisation.archived_at is None
