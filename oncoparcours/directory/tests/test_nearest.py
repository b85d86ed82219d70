import random

import pytest
from django.utils import timezone

from oncoparcours.directory.nearest import nearest_distances
from oncoparcours.directory.selectors import nearest_offer_by_type
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.territories.geo import great_circle_km
from oncoparcours.territories.models import Commune


@pytest.mark.parametrize("points", [1, 7, 60, 800])
def test_the_grid_finds_exactly_what_comparing_every_pair_finds(points):
    rng = random.Random(points)

    def aura() -> tuple[float, float]:
        return rng.uniform(44.1, 46.8), rng.uniform(2.1, 7.2)

    targets = [aura() for _ in range(points)]
    origins = [(index, *aura()) for index in range(300)]
    found = nearest_distances(origins, targets)
    for key, lat, lon in origins:
        assert found[key] == min(great_circle_km(lat, lon, *t) for t in targets)


def test_no_point_gives_none():
    assert nearest_distances([("a", 45.0, 4.0)], []) == {"a": None}


@pytest.mark.django_db
def test_nearest_offer_by_type_per_commune_ignores_archived_and_remote_only_offers(geography):
    make_offer("APA Villeurbanne", commune=geography["69266"], care_type="apa")
    make_offer(
        "APA Lyon archivée", commune=geography["69123"], care_type="apa", archived_at=timezone.now()
    )
    make_offer("Psy en ligne à Lyon", commune=geography["69123"], delivery_modes=("remote",))
    make_offer("Psy Annecy", commune=geography["74010"])
    Commune.objects.create(
        insee_code="15999", name="Sans-Mairie", search_name="sans mairie", department_id="15"
    )
    result = nearest_offer_by_type(Commune.objects.all())
    assert "15999" not in result
    lyon = result["69123"]
    # Lyon → Villeurbanne 3.554 km, Lyon → Annecy 101.382 km (see test_search).
    assert lyon["apa"] == pytest.approx(3.554, abs=0.001)
    assert lyon["psychological"] == pytest.approx(101.382, abs=0.001)
    assert lyon["fertility"] is None
    assert set(lyon) == {
        "pain",
        "nutrition",
        "psychological",
        "social",
        "apa",
        "lifestyle",
        "carers",
        "fertility",
        "sexual_health",
        "socio_esthetics",
    }
