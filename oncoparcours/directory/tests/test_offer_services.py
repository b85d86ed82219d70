import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from oncoparcours.directory.models import GeoPrecision, Offer, OfferEvent
from oncoparcours.directory.services import (
    offer_archive,
    offer_create,
    offer_update,
    offer_verify,
)

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Groupe de parole AJA",
    "care_type": "psychological",
    "audiences": ["aja"],
    "group_formats": ["group"],
    "delivery_modes": ["in_person"],
    "cost": "free",
    "provider_name": "Association Jeunes et Forts",
    "commune_insee": "69123",
    "postal_code": "69003",
    "source": "survey",
}


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str | None]]:
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def _last_event(offer: Offer) -> OfferEvent:
    return offer.events.order_by("-at", "-pk")[0]


def test_an_editor_creates_an_offer_located_at_the_town_hall_without_coordinates(editor):
    offer = offer_create(by=editor, **VALID)
    assert (offer.latitude, offer.longitude) == (45.7676, 4.8345)
    assert offer.geo_precision == GeoPrecision.COMMUNE
    assert offer.audiences == ["aja"]
    assert offer.search_text == "groupe de parole aja association jeunes et forts"
    event = offer.events.get()
    assert (event.kind, event.actor, "title" in event.fields) == ("created", editor, True)


def test_given_coordinates_are_kept_as_the_address_position(editor):
    offer = offer_create(by=editor, **VALID, latitude=45.76, longitude=4.85)
    assert (offer.latitude, offer.longitude, offer.geo_precision) == (45.76, 4.85, "address")


def test_the_provider_name_defaults_to_the_organisation_name(editor, personas):
    offer = offer_create(
        by=editor, **{**VALID, "provider_name": ""}, provider_organisation=personas.structure
    )
    assert offer.provider_name == "Association Après-Cancer Lyon"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"commune_insee": "99999"}, "commune_insee", "directory.commune.unknown"),
        ({"postal_code": "42000"}, "postal_code", "directory.postal_code.mismatch"),
        ({"audiences": []}, "audiences", "directory.audiences.required"),
        ({"audiences": ["seniors"]}, "audiences", "directory.audiences.invalid"),
        ({"delivery_modes": []}, "delivery_modes", "directory.delivery_modes.required"),
        ({"care_type": "massage"}, "care_type", "directory.care_type.invalid"),
        ({"latitude": 4.83, "longitude": 45.76}, "latitude", "directory.coordinates.out_of_region"),
        ({"latitude": 45.76}, "latitude", "directory.coordinates.incomplete"),
        ({"email": "pas-une-adresse"}, "email", "directory.email.invalid"),
        ({"mssante_email": "psy@gmail.com"}, "mssante_email", "directory.mssante_email.domain"),
        ({"phone": "appelez-nous"}, "phone", "directory.phone.invalid"),
        ({"website": "javascript:alert(1)"}, "website", "directory.website.invalid"),
        ({"languages": ["klingon"]}, "languages", "directory.languages.invalid"),
        ({"provider_name": ""}, "provider_name", "directory.provider.required"),
        ({"title": " "}, "title", "directory.title.required"),
    ],
)
def test_invalid_offers_are_refused_and_nothing_is_written(editor, changes, field, code):
    with pytest.raises(ValidationError) as caught:
        offer_create(by=editor, **{**VALID, **changes})
    assert code in _codes(caught)[field]
    assert not Offer.objects.exists()
    assert not OfferEvent.objects.exists()


def test_every_problem_is_reported_at_once(editor):
    with pytest.raises(ValidationError) as caught:
        offer_create(by=editor, **{**VALID, "title": "", "cost": "", "commune_insee": "00000"})
    assert {"title", "cost", "commune_insee"} <= set(_codes(caught))


def test_a_future_verification_date_is_refused(editor):
    with pytest.raises(ValidationError) as caught:
        offer_create(by=editor, **VALID, last_verified_at=datetime.date(2999, 1, 1))
    assert _codes(caught) == {"last_verified_at": ["directory.last_verified_at.future"]}


@pytest.mark.parametrize("who", ["coordinator", "ars_analyst", "outsider"])
def test_only_directory_editors_and_admins_write(personas, editor, who):
    offer = offer_create(by=personas.admin, **VALID)
    actor = getattr(personas, who)
    for attempt in (
        lambda: offer_create(by=actor, **VALID),
        lambda: offer_update(by=actor, offer=offer, title="Piraté"),
        lambda: offer_archive(by=actor, offer=offer),
        lambda: offer_verify(by=actor, offer=offer),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert _codes(caught) == {"__all__": ["directory.permission_denied"]}
    offer.refresh_from_db()
    assert (offer.title, offer.archived_at, offer.last_verified_at) == (VALID["title"], None, None)
    assert Offer.objects.count() == 1
    assert offer.events.count() == 1


def test_an_update_records_the_fields_that_changed_only(editor):
    offer = offer_create(by=editor, **VALID)
    offer_update(by=editor, offer=offer, title="Groupe de parole 15-25 ans", audiences=["aja"])
    event = _last_event(offer)
    assert (event.kind, event.fields) == ("updated", ["title"])
    assert offer.search_text.startswith("groupe de parole 15 25 ans")


def test_an_update_that_changes_nothing_leaves_no_event(editor):
    offer = offer_create(by=editor, **VALID)
    offer_update(by=editor, offer=offer, title=VALID["title"])
    assert offer.events.count() == 1


def test_moving_to_another_commune_moves_the_town_hall_position(editor):
    offer = offer_create(by=editor, **VALID, latitude=45.76, longitude=4.85)
    offer_update(by=editor, offer=offer, commune_insee="42218", postal_code="42000")
    offer.refresh_from_db()
    assert (offer.latitude, offer.longitude, offer.geo_precision) == (45.4397, 4.3872, "commune")
    assert {"commune_insee", "postal_code", "latitude", "longitude"} <= set(
        _last_event(offer).fields
    )


def test_a_refused_update_leaves_the_offer_unchanged(editor):
    offer = offer_create(by=editor, **VALID)
    with pytest.raises(ValidationError):
        offer_update(by=editor, offer=offer, title="Nouveau", commune_insee="00000")
    offer.refresh_from_db()
    assert (offer.title, offer.commune_id) == (VALID["title"], "69123")


def test_an_archived_offer_cannot_be_changed_or_archived_again(editor):
    offer = offer_create(by=editor, **VALID)
    offer_archive(by=editor, offer=offer)
    assert offer.archived_at is not None
    with pytest.raises(ValidationError) as caught:
        offer_update(by=editor, offer=offer, title="Ressuscitée")
    assert _codes(caught) == {"__all__": ["directory.offer.archived"]}
    with pytest.raises(ValidationError) as caught:
        offer_archive(by=editor, offer=offer)
    assert _codes(caught) == {"__all__": ["directory.offer.already_archived"]}
    assert [e.kind for e in offer.events.all()] == ["created", "archived"]


@time_machine.travel(datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_verifying_restarts_the_freshness_clock(editor, settings):
    settings.DIRECTORY_VERIFICATION_MONTHS = 12
    offer = offer_create(by=editor, **VALID, last_verified_at=datetime.date(2025, 5, 31))
    assert offer.is_stale()
    offer_verify(by=editor, offer=offer)
    assert offer.last_verified_at == datetime.date(2026, 6, 1)
    assert not offer.is_stale()
    assert _last_event(offer).kind == "verified"
