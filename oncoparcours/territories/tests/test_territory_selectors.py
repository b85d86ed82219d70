from django.utils import timezone

from oncoparcours.territories.selectors import (
    coverage_summary,
    territory_detail,
    territory_list_for,
)
from oncoparcours.territories.services import territory_archive, territory_create


def test_regional_roles_list_every_active_territory(personas, territory, other_territory):
    for actor in (personas.admin, personas.ars_analyst):
        assert {t.name for t in territory_list_for(actor)} == {"Lyon et Villeurbanne", "Clermont"}


def test_a_coordinator_lists_only_the_territories_of_the_structure(
    personas, territory, other_territory
):
    assert [t.name for t in territory_list_for(personas.coordinator)] == ["Lyon et Villeurbanne"]


def test_other_roles_list_no_territory(personas, territory):
    assert list(territory_list_for(personas.psychologist)) == []
    assert list(territory_list_for(personas.outsider)) == []
    assert list(territory_list_for(None)) == []


def test_archived_territories_are_not_listed(personas, territory):
    territory_archive(by=personas.coordinator, territory=territory)
    assert list(territory_list_for(personas.admin)) == []


def test_list_rows_carry_commune_count_and_population(personas, territory):
    row = territory_list_for(personas.coordinator).get()
    assert row.commune_count == 2  # type: ignore[attr-defined]
    assert row.population == 520000 + 150000  # type: ignore[attr-defined]


def test_detail_lists_communes_and_totals(personas, territory):
    detail = territory_detail(territory)
    assert [c.name for c in detail.communes] == ["Lyon", "Villeurbanne"]
    assert detail.commune_count == 2
    assert detail.population == 670000


def test_coverage_counts_communes_and_people_per_department(personas, territory, other_territory):
    summary = coverage_summary()
    by_code = {d.code: d for d in summary.departments}
    assert (by_code["69"].covered_communes, by_code["69"].covered_population) == (2, 670000)
    assert (by_code["69"].uncovered_communes, by_code["69"].uncovered_population) == (0, 0)
    assert (by_code["42"].covered_communes, by_code["42"].uncovered_communes) == (0, 1)
    assert by_code["42"].uncovered_population == 173000
    assert by_code["63"].covered_population == 147000
    assert summary.covered_communes == 3
    assert summary.uncovered_communes == 3
    assert summary.covered_population + summary.uncovered_population == sum(
        d.population for d in summary.departments
    )


def test_a_commune_in_two_territories_is_counted_once(personas, territory):
    territory_create(
        by=personas.admin,
        structure=personas.other_structure,
        name="Lyon aussi",
        commune_codes=["69123"],
    )
    by_code = {d.code: d for d in coverage_summary().departments}
    assert by_code["69"].covered_communes == 2


def test_archived_territories_and_archived_structures_cover_nothing(
    personas, territory, other_territory
):
    territory_archive(by=personas.coordinator, territory=territory)
    personas.other_structure.archived_at = timezone.now()
    personas.other_structure.save()
    assert coverage_summary().covered_communes == 0


def test_coverage_is_one_query(personas, territory, django_assert_num_queries):
    # 1. communes grouped by department, with an EXISTS on active territories.
    with django_assert_num_queries(1):
        coverage_summary()
