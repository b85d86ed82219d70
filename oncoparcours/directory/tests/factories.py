"""Offers written straight to the table (the services have their own tests): fast setup."""

from typing import Any

from oncoparcours.directory.catalogue import Source
from oncoparcours.directory.models import (
    AUDIENCE_FIELDS,
    DELIVERY_MODE_FIELDS,
    GROUP_FORMAT_FIELDS,
    GeoPrecision,
    Offer,
)
from oncoparcours.directory.services.validation.offer import search_text
from oncoparcours.territories.models import Commune


def make_offer(
    title: str,
    *,
    commune: Commune,
    at: tuple[float, float] | None = None,
    care_type: str = "psychological",
    audiences: tuple[str, ...] = ("adults",),
    group_formats: tuple[str, ...] = ("individual",),
    delivery_modes: tuple[str, ...] = ("in_person",),
    cost: str = "free",
    provider_name: str = "Association test",
    **extra: Any,
) -> Offer:
    latitude, longitude = at if at else (commune.latitude, commune.longitude)
    values: dict[str, Any] = {
        "title": title,
        "care_type": care_type,
        "cost": cost,
        "provider_name": provider_name,
        "commune": commune,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": GeoPrecision.ADDRESS if at else GeoPrecision.COMMUNE,
        "source": Source.SURVEY,
        "search_text": search_text(title, provider_name),
        "languages": ["fr"],
    }
    for code, column in AUDIENCE_FIELDS.items():
        values[column] = code in audiences
    for code, column in GROUP_FORMAT_FIELDS.items():
        values[column] = code in group_formats
    for code, column in DELIVERY_MODE_FIELDS.items():
        values[column] = code in delivery_modes
    values.update(extra)
    return Offer.objects.create(**values)
