"""The input vocabulary: the fields people give, their defaults, an offer's current values in
it, and which of them a change touches."""

from collections.abc import Iterable, Mapping
from typing import Any

from oncoparcours.accounts.models import User
from oncoparcours.directory.catalogue import Moment
from oncoparcours.directory.models import (
    AUDIENCE_FIELDS,
    DELIVERY_MODE_FIELDS,
    GROUP_FORMAT_FIELDS,
    GeoPrecision,
    Offer,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import Commune

OFFER_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "care_type",
    "audiences",
    "moment",
    "group_formats",
    "delivery_modes",
    "cost",
    "requires_prescription",
    "provider_organisation",
    "provider_professional",
    "provider_name",
    "address",
    "postal_code",
    "commune_insee",
    "latitude",
    "longitude",
    "accessible",
    "accessibility_notes",
    "languages",
    "phone",
    "email",
    "mssante_email",
    "website",
    "opening_hours",
    "inclusion_criteria_met",
    "last_verified_at",
    "source",
)
# A provider describes its offer; it does not change who provides it nor vouch for itself.
PROPOSABLE_FIELDS: tuple[str, ...] = tuple(
    name
    for name in OFFER_FIELDS
    if name
    not in {
        "provider_organisation",
        "provider_professional",
        "source",
        "last_verified_at",
        "inclusion_criteria_met",
    }
)
DEFAULTS: dict[str, Any] = {
    "description": "",
    "moment": Moment.BOTH,
    "requires_prescription": False,
    "provider_organisation": None,
    "provider_professional": None,
    "provider_name": "",
    "address": "",
    "postal_code": "",
    "latitude": None,
    "longitude": None,
    "accessible": False,
    "accessibility_notes": "",
    "languages": ["fr"],
    "phone": "",
    "email": "",
    "mssante_email": "",
    "website": "",
    "opening_hours": "",
    "inclusion_criteria_met": False,
    "last_verified_at": None,
}

_MODELS_WITH_PK = (Commune, Organisation, User)

# Model columns → the input field people changed (for events and import reports).
MODEL_TO_INPUT: dict[str, str] = {
    **dict.fromkeys(AUDIENCE_FIELDS.values(), "audiences"),
    **dict.fromkeys(GROUP_FORMAT_FIELDS.values(), "group_formats"),
    **dict.fromkeys(DELIVERY_MODE_FIELDS.values(), "delivery_modes"),
    "commune": "commune_insee",
    "geo_precision": "latitude",
}


def offer_form_initial(offer: Offer) -> dict[str, Any]:
    """The offer's current values in the input vocabulary (edit forms, proposals, updates).

    Coordinates taken from the commune read as absent: they follow the commune if it changes.
    """
    located_at_address = offer.geo_precision == GeoPrecision.ADDRESS
    return {
        "title": offer.title,
        "description": offer.description,
        "care_type": offer.care_type,
        "audiences": offer.audiences,
        "moment": offer.moment,
        "group_formats": offer.group_formats,
        "delivery_modes": offer.delivery_modes,
        "cost": offer.cost,
        "requires_prescription": offer.requires_prescription,
        "provider_organisation": offer.provider_organisation,
        "provider_professional": offer.provider_professional,
        "provider_name": offer.provider_name,
        "address": offer.address,
        "postal_code": offer.postal_code,
        "commune_insee": offer.commune_id,
        "latitude": offer.latitude if located_at_address else None,
        "longitude": offer.longitude if located_at_address else None,
        "accessible": offer.accessible,
        "accessibility_notes": offer.accessibility_notes,
        "languages": list(offer.languages),
        "phone": offer.phone,
        "email": offer.email,
        "mssante_email": offer.mssante_email,
        "website": offer.website,
        "opening_hours": offer.opening_hours,
        "inclusion_criteria_met": offer.inclusion_criteria_met,
        "last_verified_at": offer.last_verified_at,
        "source": offer.source,
    }


def changed_fields(offer: Offer, values: Mapping[str, Any]) -> list[str]:
    """The input fields whose model values would change, in ``OFFER_FIELDS`` order."""
    changed: set[str] = set()
    for column, value in values.items():
        if column == "search_text":
            continue
        current = getattr(offer, column)
        if isinstance(current, _MODELS_WITH_PK) and isinstance(value, _MODELS_WITH_PK):
            same = current.pk == value.pk
        else:
            same = current == value
        if not same:
            changed.add(MODEL_TO_INPUT.get(column, column))
    if {"latitude", "longitude"} & changed:
        changed |= {"latitude", "longitude"}
    return [name for name in OFFER_FIELDS if name in changed]


def check_unknown_fields(fields: Iterable[str], allowed: Iterable[str], where: str) -> None:
    """A programming error, not a person's: the interfaces only pass known fields."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{where}() got unexpected fields: {sorted(unknown)}")
