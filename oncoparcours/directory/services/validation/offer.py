"""A whole offer checked field group by field group, then turned into model values."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
from oncoparcours.core.text import fold
from oncoparcours.directory.models import (
    AUDIENCE_FIELDS,
    DELIVERY_MODE_FIELDS,
    GROUP_FORMAT_FIELDS,
)
from oncoparcours.directory.services.validation.contact import clean_contact
from oncoparcours.directory.services.validation.description import clean_description
from oncoparcours.directory.services.validation.lookups import Lookups
from oncoparcours.directory.services.validation.place import clean_place
from oncoparcours.directory.services.validation.provider import clean_provider
from oncoparcours.directory.services.validation.text import long_text


def clean_offer(
    data: Mapping[str, Any], *, errors: Errors, lookups: Lookups | None = None
) -> dict[str, Any]:
    """Model values for a whole offer given in the input vocabulary (every field present).

    Problems go to ``errors``; the returned values are only meaningful when there are none.
    """
    lookups = lookups or Lookups()
    described = clean_description(errors, data)
    provider = clean_provider(errors, data)
    place = clean_place(errors, data, lookups)
    contact = clean_contact(errors, data)

    last_verified_at = data.get("last_verified_at")
    if last_verified_at is not None and not isinstance(last_verified_at, date):
        raise TypeError("last_verified_at must be a date or None")
    if last_verified_at is not None and last_verified_at > timezone.localdate():
        errors.new(
            "last_verified_at",
            _("La date de vérification ne peut pas être dans le futur."),
            "directory.last_verified_at.future",
        )

    values: dict[str, Any] = {
        "title": described.title,
        "description": described.description,
        "care_type": described.care_type,
        "moment": described.moment,
        "cost": described.cost,
        "requires_prescription": bool(data.get("requires_prescription")),
        "provider_organisation": provider.organisation,
        "provider_professional": provider.professional,
        "provider_name": provider.name,
        "address": place.address,
        "postal_code": place.postal_code,
        "commune": place.commune,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "geo_precision": place.geo_precision,
        "accessible": bool(data.get("accessible")),
        "accessibility_notes": long_text(errors, data, "accessibility_notes"),
        "languages": described.languages,
        "phone": contact.phone,
        "email": contact.email,
        "mssante_email": contact.mssante_email,
        "website": contact.website,
        "opening_hours": long_text(errors, data, "opening_hours"),
        "inclusion_criteria_met": bool(data.get("inclusion_criteria_met")),
        "last_verified_at": last_verified_at,
        "source": described.source,
        "search_text": search_text(described.title, provider.name),
    }
    for code, column in AUDIENCE_FIELDS.items():
        values[column] = code in described.audiences
    for code, column in GROUP_FORMAT_FIELDS.items():
        values[column] = code in described.group_formats
    for code, column in DELIVERY_MODE_FIELDS.items():
        values[column] = code in described.delivery_modes
    return values


def search_text(title: str, provider_name: str) -> str:
    return fold(f"{title} {provider_name}")[:420]
