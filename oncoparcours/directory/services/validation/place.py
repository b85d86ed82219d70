"""Where the offer takes place: the address, the commune, its postal code and the position."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from math import isfinite
from typing import Any

from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
from oncoparcours.directory.models import GeoPrecision
from oncoparcours.directory.services.validation.lookups import Lookups
from oncoparcours.directory.services.validation.text import one_line
from oncoparcours.territories.models import Commune

# Auvergne-Rhône-Alpes with a margin: a point outside is a typo (swapped or misplaced digits).
AURA_LATITUDE = (44.0, 46.9)
AURA_LONGITUDE = (2.0, 7.3)

ADDRESS_MAX = 250
_POSTAL_CODE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class Place:
    address: str
    commune: Commune | None
    postal_code: str
    latitude: float | None
    longitude: float | None
    geo_precision: str


def _coordinate(errors: Errors, data: Mapping[str, Any], name: str) -> float | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not isfinite(number):
        errors.new(name, _("Ce n'est pas un nombre."), f"directory.{name}.invalid")
        return None
    return number


def clean_place(errors: Errors, data: Mapping[str, Any], lookups: Lookups) -> Place:
    address = one_line(data, "address")
    if len(address) > ADDRESS_MAX:
        errors.new(
            "address",
            _("L'adresse ne peut pas dépasser %(max)s caractères."),
            "directory.address.too_long",
            max=ADDRESS_MAX,
        )
    commune_code = "".join(str(data.get("commune_insee") or "").split()).upper()
    commune: Commune | None = None
    if not commune_code:
        errors.new("commune_insee", _("Indiquez la commune."), "directory.commune.required")
    else:
        commune = lookups.commune(commune_code)
        if commune is None:
            errors.new(
                "commune_insee",
                _("Le code %(value)s ne correspond à aucune commune d'Auvergne-Rhône-Alpes."),
                "directory.commune.unknown",
                value=commune_code,
            )
    postal_code = "".join(str(data.get("postal_code") or "").split())
    if postal_code:
        if not _POSTAL_CODE.match(postal_code):
            errors.new(
                "postal_code",
                _("Le code postal doit comporter 5 chiffres (ex. 69003)."),
                "directory.postal_code.format",
            )
        elif commune is not None and postal_code not in lookups.postal_codes.get(
            commune.insee_code, set()
        ):
            errors.new(
                "postal_code",
                _("Le code postal %(postal_code)s n'est pas celui de %(commune)s."),
                "directory.postal_code.mismatch",
                postal_code=postal_code,
                commune=commune.name,
            )

    latitude = _coordinate(errors, data, "latitude")
    longitude = _coordinate(errors, data, "longitude")
    geo_precision = ""
    if (latitude is None) != (longitude is None):
        errors.new(
            "latitude",
            _("Indiquez la latitude et la longitude, ou aucune des deux."),
            "directory.coordinates.incomplete",
        )
    elif latitude is not None and longitude is not None:
        if not (
            AURA_LATITUDE[0] <= latitude <= AURA_LATITUDE[1]
            and AURA_LONGITUDE[0] <= longitude <= AURA_LONGITUDE[1]
        ):
            errors.new(
                "latitude",
                _(
                    "La position (%(latitude)s, %(longitude)s) est hors d'Auvergne-Rhône-Alpes : "
                    "latitude et longitude inversées ?"
                ),
                "directory.coordinates.out_of_region",
                latitude=latitude,
                longitude=longitude,
            )
        geo_precision = GeoPrecision.ADDRESS
    elif commune is not None and commune.latitude is not None and commune.longitude is not None:
        # No geocoding: the town hall's position stands in, shown as approximate.
        latitude, longitude = commune.latitude, commune.longitude
        geo_precision = GeoPrecision.COMMUNE
    return Place(
        address=address,
        commune=commune,
        postal_code=postal_code,
        latitude=latitude,
        longitude=longitude,
        geo_precision=geo_precision,
    )
