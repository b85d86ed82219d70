import pytest
from django.core.exceptions import ValidationError

from oncoparcours.territories.codes import parse_commune_codes
from oncoparcours.territories.selectors import (
    commune_codes_resolve,
    commune_for_postal_code,
    commune_search,
)

from .conftest import make_commune


def names(communes):
    return [c.name for c in communes]


# commune_for_postal_code


def test_a_postal_code_of_one_commune_gives_that_commune(geography):
    assert commune_for_postal_code("69100").insee_code == "69266"


def test_the_postal_code_of_a_lyon_arrondissement_gives_lyon(geography):
    assert commune_for_postal_code(" 69 003 ").insee_code == "69123"


def test_a_postal_code_and_its_commune_match(geography):
    assert commune_for_postal_code("42100", "42218").name == "Saint-Étienne"


def test_an_unknown_postal_code_is_refused_in_french(geography):
    with pytest.raises(ValidationError) as exc:
        commune_for_postal_code("99999")
    assert exc.value.code == "identifier.postal_code.unknown"
    assert exc.value.messages == [
        "Le code postal 99999 ne correspond à aucune commune d'Auvergne-Rhône-Alpes."
    ]


def test_a_postal_code_of_another_commune_is_a_mismatch(geography):
    with pytest.raises(ValidationError) as exc:
        commune_for_postal_code("69100", "69123")
    assert exc.value.code == "identifier.postal_code.mismatch"
    assert "Villeurbanne" in exc.value.messages[0]


def test_a_malformed_postal_code_is_refused(geography):
    with pytest.raises(ValidationError) as exc:
        commune_for_postal_code("6910")
    assert exc.value.code == "identifier.postal_code.format"


def test_a_postal_code_shared_by_several_communes_needs_the_commune(geography):
    make_commune("15012", "Arpajon-sur-Cère", ["15130"])
    make_commune("15187", "Vézac", ["15130"])
    with pytest.raises(ValidationError) as exc:
        commune_for_postal_code("15130")
    assert exc.value.code == "identifier.postal_code.ambiguous"
    assert commune_for_postal_code("15130", "15187").name == "Vézac"


# commune_search


def test_name_search_ignores_accents_and_hyphens(geography):
    assert names(commune_search("saint etienne")) == ["Saint-Étienne"]
    assert names(commune_search("SAINT-ÉTIENNE")) == ["Saint-Étienne"]
    assert names(commune_search("st-etienne")) == ["Saint-Étienne"]


def test_name_search_finds_accented_names_from_plain_text(geography):
    make_commune("38151", "Échirolles", ["38130"], population=37000)
    assert names(commune_search("echirolles")) == ["Échirolles"]
    assert names(commune_search("Échi")) == ["Échirolles"]


def test_prefix_matches_come_first_then_contains_matches_by_population(geography):
    make_commune("69202", "Sainte-Foy-lès-Lyon", ["69110"], population=22000)
    make_commune("69264", "Villefranche-sur-Saône", ["69400"], population=36000)
    make_commune("69136", "Chazelles-sur-Lyon", ["42140"], population=5000)
    assert names(commune_search("lyon")) == ["Lyon", "Sainte-Foy-lès-Lyon", "Chazelles-sur-Lyon"]
    assert names(commune_search("ville")) == [
        "Villeurbanne",
        "Villefranche-sur-Saône",
    ]


def test_a_postal_code_prefix_lists_communes_by_population(geography):
    make_commune("69244", "Tassin-la-Demi-Lune", ["69160"], population=22000)
    assert names(commune_search("691")) == ["Villeurbanne", "Tassin-la-Demi-Lune"]
    assert names(commune_search("69")) == ["Lyon", "Villeurbanne", "Tassin-la-Demi-Lune"]


def test_a_full_postal_code_is_matched_exactly(geography):
    assert names(commune_search("42100")) == ["Saint-Étienne"]
    assert names(commune_search("69160")) == []


def test_an_insee_code_is_matched_exactly(geography):
    assert names(commune_search("63113")) == ["Clermont-Ferrand"]
    assert names(commune_search("2A004")) == []


def test_search_results_are_limited(geography):
    assert len(commune_search("a", limit=2)) == 2


@pytest.mark.parametrize("query", ["", "   ", "--"])
def test_an_empty_search_finds_nothing(geography, query):
    assert commune_search(query) == []


def test_search_loads_department_epci_and_postal_codes_in_two_queries(
    geography, django_assert_num_queries
):
    for i in range(5):
        make_commune(f"690{i:02d}", f"Commune {i}", ["69990", f"6998{i}"])
    # 1. communes with department and EPCI (joins); 2. their postal codes.
    with django_assert_num_queries(2):
        communes = commune_search("69")
        rows = [
            (
                c.department.name,
                c.epci and c.epci.name,
                [p.postal_code for p in c.postal_codes.all()],
            )
            for c in communes
        ]
    assert len(rows) == 7


# commune_codes_resolve


def test_postal_codes_are_expanded_to_their_communes(geography):
    resolution = commune_codes_resolve(parse_commune_codes("69100, 42000, 63113").entries)
    assert resolution.insee_codes == ["69266", "42218", "63113"]
    assert resolution.unknown == []


def test_a_code_both_insee_and_postal_is_ambiguous_unless_prefixed(geography):
    make_commune("01400", "Seillonnaz", ["01470"])
    make_commune("01093", "Châtillon-sur-Chalaronne", ["01400"])
    assert commune_codes_resolve(parse_commune_codes("01400").entries).ambiguous == ["01400"]
    assert commune_codes_resolve(parse_commune_codes("insee:01400").entries).insee_codes == [
        "01400"
    ]
    assert commune_codes_resolve(parse_commune_codes("cp:01400").entries).insee_codes == ["01093"]


def test_unknown_codes_are_kept_for_the_service_to_report(geography):
    resolution = commune_codes_resolve(parse_commune_codes("99999, 69123").entries)
    assert resolution.insee_codes == ["69123"]
    assert resolution.unknown == ["99999"]
