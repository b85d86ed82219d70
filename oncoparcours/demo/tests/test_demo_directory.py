from itertools import product

import pytest
from django.utils import timezone

from oncoparcours.demo.directory import AJA_ANCHOR_TITLE
from oncoparcours.demo.generator import demo_data_load, demo_data_reset
from oncoparcours.directory.catalogue import Audience, CareType
from oncoparcours.directory.models import AUDIENCE_FIELDS, Offer
from oncoparcours.directory.selectors import offer_search, offers_stale, search_place_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(settings, geography):
    settings.ONCOPARCOURS_DEMO = True
    return demo_data_load(patients=20)


def test_the_demo_directory_covers_every_care_type_for_every_audience(loaded):
    offers = Offer.objects.filter(archived_at__isnull=True)
    assert Offer.objects.count() >= 400
    for care_type, audience in product(CareType.values, Audience.values):
        assert offers.filter(care_type=care_type, **{AUDIENCE_FIELDS[audience]: True}).exists(), (
            care_type,
            audience,
        )
    assert (
        Offer.objects.filter(archived_at__isnull=False).count()
        == loaded.counts["directory_archived"]
    )
    assert offers_stale(timezone.localdate()).count() >= 10
    assert offers.filter(provider_organisation__kind="dapap", care_type="apa").exists()


def test_the_free_aja_psychological_offer_is_found_within_30_km_of_lyon(loaded):
    lyon = search_place_resolve("69003")
    assert lyon.latitude is not None
    assert lyon.longitude is not None
    page = offer_search(
        care_types=["psychological"],
        audience="aja",
        costs=["free"],
        origin=(lyon.latitude, lyon.longitude),
        radius_km=30,
        page_size=100,
    )
    assert AJA_ANCHOR_TITLE in [hit.offer.title for hit in page.hits]


def test_the_directory_is_the_same_for_a_seed_and_goes_with_a_reset(settings, geography):
    settings.ONCOPARCOURS_DEMO = True
    demo_data_load(patients=0, seed=7)
    first = sorted(Offer.objects.values_list("public_id", "title", "commune_id"))
    demo_data_reset()
    assert not Offer.objects.exists()
    demo_data_load(patients=0, seed=7)
    assert sorted(Offer.objects.values_list("public_id", "title", "commune_id")) == first
