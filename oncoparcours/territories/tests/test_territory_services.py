import logging

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.territories.models import InterventionTerritory
from oncoparcours.territories.services import (
    territory_archive,
    territory_create,
    territory_update,
)


def codes_of(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_a_coordinator_creates_a_territory(personas):
    territory = territory_create(
        by=personas.coordinator,
        structure=personas.structure,
        name="  Lyon Est ",
        description="Rive gauche",
        commune_codes=["69266", " 69123", "69266"],
    )
    assert territory.name == "Lyon Est"
    assert sorted(territory.communes.values_list("insee_code", flat=True)) == ["69123", "69266"]


def test_a_name_is_required(personas, geography):
    with pytest.raises(ValidationError) as exc:
        territory_create(
            by=personas.coordinator, structure=personas.structure, name=" ", commune_codes=["69123"]
        )
    assert codes_of(exc) == {"name": ["territory.name.required"]}
    assert not InterventionTerritory.objects.exists()


def test_a_name_is_unique_within_a_structure_whatever_the_case(personas, territory):
    with pytest.raises(ValidationError) as exc:
        territory_create(
            by=personas.coordinator,
            structure=personas.structure,
            name="LYON ET VILLEURBANNE",
            commune_codes=["42218"],
        )
    assert codes_of(exc) == {"name": ["territory.name.taken"]}
    assert exc.value.messages == [
        "La structure a déjà un territoire nommé « LYON ET VILLEURBANNE »."
    ]
    assert InterventionTerritory.objects.count() == 1


def test_another_structure_may_use_the_same_name(personas, territory):
    territory_create(
        by=personas.other_coordinator,
        structure=personas.other_structure,
        name=territory.name,
        commune_codes=["63113"],
    )
    assert InterventionTerritory.objects.count() == 2


def test_an_archived_territory_frees_its_name(personas, territory):
    territory_archive(by=personas.coordinator, territory=territory)
    territory_create(
        by=personas.coordinator,
        structure=personas.structure,
        name=territory.name,
        commune_codes=["69123"],
    )
    assert InterventionTerritory.objects.filter(name=territory.name).count() == 2


def test_only_a_structure_porteuse_may_hold_a_territory(personas):
    pharmacy = personas.outsider.organisation
    with pytest.raises(ValidationError) as exc:
        territory_create(
            by=personas.admin, structure=pharmacy, name="Officine", commune_codes=["74010"]
        )
    assert codes_of(exc) == {"structure": ["territory.structure.not_porteuse"]}
    assert not InterventionTerritory.objects.exists()


def test_unknown_commune_codes_are_all_named_in_the_message(personas, geography):
    with pytest.raises(ValidationError) as exc:
        territory_create(
            by=personas.coordinator,
            structure=personas.structure,
            name="Trop large",
            commune_codes=["69123", "99999", "38185"],
        )
    assert codes_of(exc) == {"commune_codes": ["territory.communes.unknown"]}
    assert exc.value.messages == [
        "Ces codes ne correspondent à aucune commune d'Auvergne-Rhône-Alpes : 99999, 38185."
    ]
    assert not InterventionTerritory.objects.exists()


def test_at_least_one_commune_is_required(personas, geography):
    with pytest.raises(ValidationError) as exc:
        territory_create(
            by=personas.coordinator, structure=personas.structure, name="Vide", commune_codes=[]
        )
    assert codes_of(exc) == {"commune_codes": ["territory.communes.required"]}


def test_every_problem_is_reported_at_once(personas, geography):
    with pytest.raises(ValidationError) as exc:
        territory_create(
            by=personas.coordinator, structure=personas.structure, name="", commune_codes=[]
        )
    assert set(codes_of(exc)) == {"name", "commune_codes"}


def test_refusals_are_logged_with_codes_only(personas, geography, caplog):
    with (
        caplog.at_level(logging.INFO, logger="oncoparcours.refusals"),
        pytest.raises(ValidationError),
    ):
        territory_create(
            by=personas.coordinator,
            structure=personas.structure,
            name="Secret",
            commune_codes=["99999"],
        )
    assert "territory.communes.unknown" in caplog.text
    assert "Secret" not in caplog.text
    assert "99999" not in caplog.text


def test_an_update_replaces_name_description_and_communes(personas, territory):
    territory_update(
        by=personas.coordinator,
        territory=territory,
        name="Villeurbanne seule",
        description="",
        commune_codes=["69266"],
    )
    territory.refresh_from_db()
    assert territory.name == "Villeurbanne seule"
    assert list(territory.communes.values_list("insee_code", flat=True)) == ["69266"]


def test_an_update_may_keep_its_own_name(personas, territory):
    territory_update(
        by=personas.coordinator,
        territory=territory,
        name=territory.name,
        description="Autre",
        commune_codes=["69123"],
    )
    territory.refresh_from_db()
    assert territory.description == "Autre"


def test_a_refused_update_saves_nothing(personas, territory):
    with pytest.raises(ValidationError):
        territory_update(
            by=personas.coordinator,
            territory=territory,
            name="Nouveau nom",
            description="",
            commune_codes=["69123", "00000"],
        )
    territory.refresh_from_db()
    assert territory.name == "Lyon et Villeurbanne"
    assert territory.communes.count() == 2


def test_an_archived_territory_cannot_be_updated_or_archived_again(personas, territory):
    territory_archive(by=personas.coordinator, territory=territory)
    with pytest.raises(ValidationError) as exc:
        territory_update(
            by=personas.coordinator,
            territory=territory,
            name="X",
            description="",
            commune_codes=["69123"],
        )
    assert exc.value.error_dict["__all__"][0].code == "territory.archived"
    with pytest.raises(ValidationError) as exc:
        territory_archive(by=personas.coordinator, territory=territory)
    assert exc.value.error_dict["__all__"][0].code == "territory.already_archived"
