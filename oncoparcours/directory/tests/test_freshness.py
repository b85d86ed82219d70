import datetime

import pytest

from oncoparcours.directory.freshness import is_stale, stale_before
from oncoparcours.directory.selectors import offers_stale
from oncoparcours.directory.tests.factories import make_offer

TODAY = datetime.date(2026, 6, 1)


def test_twelve_calendar_months_is_still_fresh_one_more_day_is_stale():
    assert stale_before(TODAY, months=12) == datetime.date(2025, 6, 1)
    assert not is_stale(datetime.date(2025, 6, 1), TODAY, months=12)
    assert is_stale(datetime.date(2025, 5, 31), TODAY, months=12)
    assert is_stale(None, TODAY, months=12)


def test_the_end_of_a_longer_month_falls_back_to_the_shorter_one():
    assert stale_before(datetime.date(2025, 2, 28), months=12) == datetime.date(2024, 2, 28)
    assert stale_before(datetime.date(2024, 2, 29), months=12) == datetime.date(2023, 2, 28)


@pytest.mark.django_db
def test_stale_offers_are_the_active_ones_never_or_long_ago_verified(geography, settings):
    settings.DIRECTORY_VERIFICATION_MONTHS = 6
    lyon = geography["69123"]
    never = make_offer("Jamais vérifiée", commune=lyon)
    old = make_offer(
        "Vérifiée il y a 7 mois", commune=lyon, last_verified_at=datetime.date(2025, 11, 1)
    )
    make_offer("Vérifiée il y a 5 mois", commune=lyon, last_verified_at=datetime.date(2026, 1, 1))
    make_offer(
        "Archivée",
        commune=lyon,
        archived_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    assert list(offers_stale(TODAY)) == [never, old]
