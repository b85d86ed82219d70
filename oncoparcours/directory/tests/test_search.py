from math import degrees

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from oncoparcours.directory.selectors import offer_search
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.territories.geo import EARTH_RADIUS_KM

pytestmark = pytest.mark.django_db

LYON = (45.7676, 4.8345)


def _north_of_lyon(km: float) -> tuple[float, float]:
    """Due north along Lyon's meridian the great circle is the meridian: d = R·Δφ exactly."""
    return (LYON[0] + degrees(km / EARTH_RADIUS_KM), LYON[1])


@pytest.fixture
def spread(geography):
    """One offer in each test commune, at the commune's town hall, titled against the order."""
    return {
        insee: make_offer(title, commune=geography[insee])
        for insee, title in (
            ("69266", "E Villeurbanne"),
            ("42218", "D Saint-Étienne"),
            ("74010", "C Annecy"),
            ("63113", "B Clermont"),
            ("15014", "A Aurillac"),
        )
    }


def test_results_are_sorted_by_great_circle_distance_from_the_origin(spread):
    # Hand-computed with the spherical law of cosines, R = 6371 km, from Lyon (45.7676, 4.8345):
    # d = R·acos(sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ)
    #   Villeurbanne (45.7667, 4.8803):   Δλ = 0.0458° → 3.554 km
    #   Saint-Étienne (45.4397, 4.3872):  → 50.401 km
    #   Annecy (45.8992, 6.1294):         → 101.382 km
    #   Clermont-Ferrand (45.7772, 3.0870): → 135.537 km
    #   Aurillac (44.9264, 2.4397):       → 209.212 km
    page = offer_search(origin=LYON)
    assert [h.offer.title for h in page.hits] == [
        "E Villeurbanne",
        "D Saint-Étienne",
        "C Annecy",
        "B Clermont",
        "A Aurillac",
    ]
    expected = [3.554, 50.401, 101.382, 135.537, 209.212]
    assert [h.distance_km for h in page.hits] == pytest.approx(expected, abs=0.001)


def test_without_an_origin_results_are_sorted_by_title_without_distance(spread):
    page = offer_search()
    assert [h.offer.title for h in page.hits][:2] == ["A Aurillac", "B Clermont"]
    assert all(h.distance_km is None for h in page.hits)


def test_an_offer_exactly_at_the_radius_is_in_and_one_just_beyond_is_out(geography):
    make_offer("Juste à 30 km", commune=geography["69123"], at=_north_of_lyon(30.0))
    make_offer("À 30,01 km", commune=geography["69123"], at=_north_of_lyon(30.01))
    page = offer_search(origin=LYON, radius_km=30)
    assert [h.offer.title for h in page.hits] == ["Juste à 30 km"]
    assert page.hits[0].distance_km == pytest.approx(30.0, abs=1e-6)


def test_the_bounding_box_keeps_points_at_the_radius_east_and_west(geography):
    # Due east, the circle is widest poleward of the origin: a box of ±r/(R cos φ) in
    # longitude would still hold this point, but one exactly on the parallel tests the edge.
    from oncoparcours.territories.geo import great_circle_km

    east = (LYON[0], LYON[1] + 0.5)
    radius = great_circle_km(*LYON, *east)
    make_offer("À l'est", commune=geography["69123"], at=east)
    assert offer_search(origin=LYON, radius_km=radius).total == 1
    assert offer_search(origin=LYON, radius_km=radius - 0.01).total == 0


def test_filters_combine(geography):
    lyon = geography["69123"]
    wanted = make_offer(
        "Soutien AJA gratuit",
        commune=lyon,
        audiences=("aja", "adults"),
        group_formats=("individual", "group"),
    )
    make_offer("Même offre payante", commune=lyon, audiences=("aja",), cost="membership")
    make_offer("Même offre adultes", commune=lyon, audiences=("adults",))
    make_offer("Même offre APA", commune=lyon, audiences=("aja",), care_type="apa")
    make_offer("Même offre collective", commune=lyon, audiences=("aja",), group_formats=("group",))
    make_offer("Même offre à Annecy", commune=geography["74010"], audiences=("aja",))
    page = offer_search(
        care_types=["psychological"],
        audience="aja",
        costs=["free", "psgac"],
        group_format="individual",
        delivery_mode="in_person",
        origin=LYON,
        radius_km=30,
    )
    assert [h.offer.pk for h in page.hits] == [wanted.pk]


def test_free_text_ignores_accents_and_case_on_title_and_provider(geography):
    make_offer("Socio-esthétique", commune=geography["69123"], provider_name="Les Mains Légères")
    make_offer("Diététique", commune=geography["69123"], provider_name="Cabinet Rhône")
    assert [h.offer.title for h in offer_search(text="SOCIO ESTHETIQUE").hits] == [
        "Socio-esthétique"
    ]
    assert [h.offer.title for h in offer_search(text="mains legeres").hits] == ["Socio-esthétique"]
    assert [h.offer.title for h in offer_search(text="rhone diet").hits] == ["Diététique"]


def test_archived_offers_are_never_found(geography):
    make_offer("Archivée", commune=geography["69123"], archived_at=timezone.now())
    assert offer_search().total == 0
    assert offer_search(origin=LYON, radius_km=10).total == 0


def test_remote_only_offers_ignore_the_radius_and_come_after_located_ones(geography):
    make_offer("Z sur place", commune=geography["69266"])
    make_offer("A téléconsultation", commune=geography["15014"], delivery_modes=("remote",))
    make_offer("B domicile à Aurillac", commune=geography["15014"], delivery_modes=("home",))
    page = offer_search(origin=LYON, radius_km=20)
    assert [(h.offer.title, h.distance_km is None) for h in page.hits] == [
        ("Z sur place", False),
        ("A téléconsultation", True),
    ]
    without_remote = offer_search(origin=LYON, radius_km=20, include_remote=False)
    assert [h.offer.title for h in without_remote.hits] == ["Z sur place"]


def test_offers_without_coordinates_are_left_out_of_a_search_around_a_place(geography):
    make_offer("Sans position", commune=geography["69123"], at=None, latitude=None, longitude=None)
    assert offer_search().total == 1
    assert offer_search(origin=LYON).total == 0


def test_pages_hold_page_size_results_and_the_total(geography):
    for index in range(5):
        make_offer(f"Offre {index}", commune=geography["69123"], at=_north_of_lyon(index + 1))
    first = offer_search(origin=LYON, page_size=2)
    third = offer_search(origin=LYON, page=3, page_size=2)
    beyond = offer_search(origin=LYON, page=4, page_size=2)
    assert [h.offer.title for h in first.hits] == ["Offre 0", "Offre 1"]
    assert [h.offer.title for h in third.hits] == ["Offre 4"]
    assert (first.total, first.pages, first.has_next, third.has_next) == (5, 3, True, False)
    assert beyond.hits == []
    assert beyond.total == 5


def test_the_search_takes_two_queries_whatever_the_results(geography, django_assert_num_queries):
    for index in range(6):
        make_offer(f"Offre {index}", commune=geography["69123"], at=_north_of_lyon(index))
    # 1. the page's ids ranked, with the total; 2. their rows with commune and structure.
    with django_assert_num_queries(2):
        page = offer_search(origin=LYON, radius_km=50)
        for hit in page.hits:
            _ = (hit.offer.commune.name, hit.offer.provider_organisation)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"care_types": ["massage"]}, "care_types"),
        ({"audience": "seniors"}, "audience"),
        ({"costs": ["cher"]}, "costs"),
        ({"radius_km": 0}, "radius_km"),
        ({"radius_km": 1000}, "radius_km"),
        ({"page": 0}, "page"),
        ({"page_size": 500}, "page_size"),
    ],
)
def test_invalid_filters_are_refused_with_a_french_message(db, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        offer_search(**kwargs)
    assert field in caught.value.message_dict
