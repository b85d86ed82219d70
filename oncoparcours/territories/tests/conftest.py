import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from oncoparcours.territories.models import (
    Commune,
    CommunePostalCode,
    Department,
    InterventionTerritory,
)
from oncoparcours.territories.normalise import normalise_name
from oncoparcours.territories.services import territory_create


@pytest.fixture
def territory(personas) -> InterventionTerritory:
    """Lyon and Villeurbanne, for the Lyon structure (the coordinator's)."""
    return territory_create(
        by=personas.coordinator,
        structure=personas.structure,
        name="Lyon et Villeurbanne",
        description="Métropole, rive gauche",
        commune_codes=["69123", "69266"],
    )


@pytest.fixture
def other_territory(personas) -> InterventionTerritory:
    """Clermont-Ferrand, for the other structure."""
    return territory_create(
        by=personas.other_coordinator,
        structure=personas.other_structure,
        name="Clermont",
        commune_codes=["63113"],
    )


def make_commune(insee: str, name: str, postal_codes: list[str], population: int = 1000) -> Commune:
    Department.objects.get_or_create(code=insee[:2], defaults={"name": f"Département {insee[:2]}"})
    commune = Commune.objects.create(
        insee_code=insee,
        name=name,
        search_name=normalise_name(name),
        department_id=insee[:2],
        population=population,
    )
    CommunePostalCode.objects.bulk_create(
        [CommunePostalCode(commune=commune, postal_code=pc) for pc in postal_codes]
    )
    return commune


def request_overhead(client) -> int:
    """Queries every logged-in request makes before our code runs (session, user, second
    factor, active membership...), measured on the empty commune search, which queries nothing
    itself; the counts below add our own queries to it."""
    client.get(reverse("territories:commune-search"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("territories:commune-search"))
    return len(ctx)
