import pytest
from django.core.exceptions import ValidationError

from oncoparcours.directory.selectors import search_place_resolve
from oncoparcours.territories.models import Commune, CommunePostalCode

pytestmark = pytest.mark.django_db


def _code(query: str) -> str | None:
    with pytest.raises(ValidationError) as caught:
        search_place_resolve(query)
    return caught.value.error_dict["place"][0].code


@pytest.mark.parametrize(
    "query",
    [
        "Saint-Étienne",
        "saint etienne",
        "SAINT ETIENNE",
        "St-Etienne",
        "  st  étienne ",
        "42000",
        "42100",
        "42218",
        "Saint-Étienne (42218)",
    ],
)
def test_a_commune_is_found_by_name_without_accents_postal_or_insee_code(geography, query):
    assert search_place_resolve(query).insee_code == "42218"


def test_a_postal_code_of_several_communes_gives_the_most_populous(geography):
    small = Commune.objects.create(
        insee_code="69999",
        name="Petit-Village",
        search_name="petit village",
        department_id="69",
        population=800,
        latitude=45.8,
        longitude=4.9,
    )
    CommunePostalCode.objects.create(commune=small, postal_code="69100")
    assert search_place_resolve("69100").insee_code == "69266"


def test_a_name_shared_by_two_communes_asks_which_one(geography):
    Commune.objects.create(
        insee_code="01999",
        name="Lyonnet",
        search_name="lyonnet",
        department_id="69",
        population=100,
        latitude=46.0,
        longitude=5.0,
    )
    Commune.objects.create(
        insee_code="01998",
        name="Lyonnet",
        search_name="lyonnet",
        department_id="74",
        population=90,
        latitude=46.1,
        longitude=6.0,
    )
    assert _code("Lyonnet") == "directory.place.ambiguous"
    # The exact name wins over names that only start like it.
    assert search_place_resolve("lyon").insee_code == "69123"


def test_unknown_places_and_empty_queries_are_refused(geography):
    assert _code("Paris") == "directory.place.unknown"
    assert _code("75001") == "directory.place.unknown"
    assert _code("   ") == "directory.place.required"


def test_a_commune_without_coordinates_is_refused_with_a_hint(geography):
    Commune.objects.create(
        insee_code="15999",
        name="Sans-Mairie",
        search_name="sans mairie",
        department_id="15",
        population=10,
    )
    assert _code("sans mairie") == "directory.place.no_coordinates"
