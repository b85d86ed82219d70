"""An offer's values as people give them (the input vocabulary), checked and turned into model
values. Shared by the services, the change proposals and the CSV import, so one rule lives in
one place.

Every problem is collected in an ``Errors`` under the input field's name; nothing here writes.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from math import isfinite
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import User
from oncoparcours.core.errors import Errors
from oncoparcours.core.text import fold
from oncoparcours.directory.catalogue import (
    LANGUAGES,
    Audience,
    CareType,
    Cost,
    DeliveryMode,
    GroupFormat,
    Moment,
    Source,
)
from oncoparcours.directory.models import (
    AUDIENCE_FIELDS,
    DELIVERY_MODE_FIELDS,
    GROUP_FORMAT_FIELDS,
    GeoPrecision,
    Offer,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import Commune, CommunePostalCode

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

# Auvergne-Rhône-Alpes with a margin: a point outside is a typo (swapped or misplaced digits).
AURA_LATITUDE = (44.0, 46.9)
AURA_LONGITUDE = (2.0, 7.3)

TITLE_MAX = 200
PROVIDER_NAME_MAX = 200
ADDRESS_MAX = 250
TEXT_MAX = 4000
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,20}$")
_POSTAL_CODE = re.compile(r"^\d{5}$")
# MSSanté addresses live under the mssante.fr domain (operators' sub-domains).
_MSSANTE_DOMAIN = re.compile(r"(^|\.)mssante\.fr$")

_MODELS_WITH_PK = (Commune, Organisation, User)

# Model columns → the input field people changed (for events and import reports).
MODEL_TO_INPUT: dict[str, str] = {
    **dict.fromkeys(AUDIENCE_FIELDS.values(), "audiences"),
    **dict.fromkeys(GROUP_FORMAT_FIELDS.values(), "group_formats"),
    **dict.fromkeys(DELIVERY_MODE_FIELDS.values(), "delivery_modes"),
    "commune": "commune_insee",
    "geo_precision": "latitude",
}


@dataclass
class Lookups:
    """Reference rows the checks need, fetched once: the CSV import preloads them for the
    whole file, a single service call fetches as it goes."""

    communes: dict[str, Commune | None] = field(default_factory=dict)
    postal_codes: dict[str, set[str]] = field(default_factory=dict)

    def preload_communes(self, codes: Iterable[str]) -> None:
        wanted = {c for c in codes if c and c not in self.communes}
        if not wanted:
            return
        found = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=wanted)}
        for code in wanted:
            self.communes[code] = found.get(code)
            self.postal_codes.setdefault(code, set())
        for insee, postal in CommunePostalCode.objects.filter(commune_id__in=found).values_list(
            "commune_id", "postal_code"
        ):
            self.postal_codes[insee].add(postal)

    def commune(self, code: str) -> Commune | None:
        self.preload_communes([code])
        return self.communes.get(code)


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


def _text(data: Mapping[str, Any], name: str) -> str:
    """One line of text: whitespace runs (a pasted line break, a tab) become one space."""
    value = data.get(name)
    return "" if value is None else " ".join(str(value).split())


def _long_text(errors: Errors, data: Mapping[str, Any], name: str) -> str:
    value = str(data.get(name) or "").strip()
    if len(value) > TEXT_MAX:
        errors.new(
            name,
            _("Ce texte ne peut pas dépasser %(max)s caractères."),
            f"directory.{name}.too_long",
            max=TEXT_MAX,
        )
    return value


def _choice(
    errors: Errors, data: Mapping[str, Any], name: str, allowed: list[str], label: str
) -> str:
    value = str(data.get(name) or "").strip()
    if not value:
        errors.new(name, _("Indiquez %(what)s.") % {"what": label}, f"directory.{name}.required")
    elif value not in allowed:
        errors.new(
            name,
            _("Valeur inconnue : %(value)s."),
            f"directory.{name}.invalid",
            value=value,
        )
    return value


def _codes(
    errors: Errors, data: Mapping[str, Any], name: str, allowed: Iterable[str], required: str
) -> list[str]:
    raw = data.get(name) or []
    if isinstance(raw, str):
        raw = [raw]
    values = list(dict.fromkeys(str(v).strip() for v in raw if str(v).strip()))
    known = set(allowed)
    unknown = [v for v in values if v not in known]
    if unknown:
        errors.new(
            name,
            _("Valeur inconnue : %(values)s."),
            f"directory.{name}.invalid",
            values=", ".join(unknown),
        )
    elif not values and required:
        errors.new(name, required, f"directory.{name}.required")
    return values


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


def _email(errors: Errors, data: Mapping[str, Any], name: str, example: str) -> str:
    value = str(data.get(name) or "").strip().lower()
    if value:
        try:
            EmailValidator()(value)
        except ValidationError:
            errors.new(
                name,
                _("L'adresse électronique n'est pas valide (ex. %(example)s).")
                % {"example": example},
                f"directory.{name}.invalid",
            )
    return value


def clean_offer(
    data: Mapping[str, Any], *, errors: Errors, lookups: Lookups | None = None
) -> dict[str, Any]:
    """Model values for a whole offer given in the input vocabulary (every field present).

    Problems go to ``errors``; the returned values are only meaningful when there are none.
    """
    lookups = lookups or Lookups()
    title = _text(data, "title")
    if not title:
        errors.new("title", _("Donnez un intitulé à l'offre."), "directory.title.required")
    elif len(title) > TITLE_MAX:
        errors.new(
            "title",
            _("L'intitulé ne peut pas dépasser %(max)s caractères."),
            "directory.title.too_long",
            max=TITLE_MAX,
        )
    description = _long_text(errors, data, "description")
    care_type = _choice(errors, data, "care_type", CareType.values, _("le soin de support"))
    moment = _choice(errors, data, "moment", Moment.values, _("le moment du parcours"))
    cost = _choice(errors, data, "cost", Cost.values, _("le coût pour la personne"))
    source = _choice(errors, data, "source", Source.values, _("la source de l'information"))
    audiences = _codes(
        errors, data, "audiences", Audience.values, _("Indiquez au moins un public.")
    )
    group_formats = _codes(
        errors,
        data,
        "group_formats",
        GroupFormat.values,
        _("Indiquez si l'offre est individuelle, collective ou les deux."),
    )
    delivery_modes = _codes(
        errors,
        data,
        "delivery_modes",
        DeliveryMode.values,
        _("Indiquez au moins une modalité (sur place, à distance, à domicile)."),
    )
    languages = _codes(errors, data, "languages", LANGUAGES, "")

    organisation = data.get("provider_organisation")
    professional = data.get("provider_professional")
    if organisation is not None and not isinstance(organisation, Organisation):
        raise TypeError("provider_organisation must be an Organisation or None")
    if professional is not None and not isinstance(professional, User):
        raise TypeError("provider_professional must be a User or None")
    if organisation is not None and organisation.archived_at is not None:
        errors.new(
            "provider_organisation",
            _("Cette structure est archivée."),
            "directory.provider_organisation.archived",
        )
    if professional is not None and not professional.is_active:
        errors.new(
            "provider_professional",
            _("Ce compte professionnel est désactivé."),
            "directory.provider_professional.inactive",
        )
    provider_name = _text(data, "provider_name")
    if not provider_name:
        if organisation is not None:
            provider_name = organisation.name
        elif professional is not None:
            provider_name = professional.get_full_name()
    if not provider_name:
        errors.new(
            "provider_name",
            _("Indiquez qui propose l'offre (structure, professionnel ou nom de l'association)."),
            "directory.provider.required",
        )
    elif len(provider_name) > PROVIDER_NAME_MAX:
        errors.new(
            "provider_name",
            _("Le nom du fournisseur ne peut pas dépasser %(max)s caractères."),
            "directory.provider_name.too_long",
            max=PROVIDER_NAME_MAX,
        )

    address = _text(data, "address")
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

    phone = _text(data, "phone")
    if phone and not _PHONE.match(phone):
        errors.new(
            "phone",
            _("Le numéro de téléphone n'est pas valide (ex. 04 72 00 00 00)."),
            "directory.phone.invalid",
        )
    email = _email(errors, data, "email", "contact@association.fr")
    mssante_email = _email(errors, data, "mssante_email", "accueil@structure.mssante.fr")
    if mssante_email and "mssante_email" not in errors.by_field:
        domain = mssante_email.rsplit("@", 1)[-1]
        if not _MSSANTE_DOMAIN.search(domain):
            errors.new(
                "mssante_email",
                _("Une adresse MSSanté se termine par « mssante.fr »."),
                "directory.mssante_email.domain",
            )
    website = str(data.get("website") or "").strip()
    if website:
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            errors.new(
                "website",
                _("L'adresse du site n'est pas valide (ex. https://association.fr)."),
                "directory.website.invalid",
            )

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
        "title": title,
        "description": description,
        "care_type": care_type,
        "moment": moment,
        "cost": cost,
        "requires_prescription": bool(data.get("requires_prescription")),
        "provider_organisation": organisation,
        "provider_professional": professional,
        "provider_name": provider_name,
        "address": address,
        "postal_code": postal_code,
        "commune": commune,
        "latitude": latitude,
        "longitude": longitude,
        "geo_precision": geo_precision,
        "accessible": bool(data.get("accessible")),
        "accessibility_notes": _long_text(errors, data, "accessibility_notes"),
        "languages": languages,
        "phone": phone,
        "email": email,
        "mssante_email": mssante_email,
        "website": website,
        "opening_hours": _long_text(errors, data, "opening_hours"),
        "inclusion_criteria_met": bool(data.get("inclusion_criteria_met")),
        "last_verified_at": last_verified_at,
        "source": source,
        "search_text": search_text(title, provider_name),
    }
    for code, column in AUDIENCE_FIELDS.items():
        values[column] = code in audiences
    for code, column in GROUP_FORMAT_FIELDS.items():
        values[column] = code in group_formats
    for code, column in DELIVERY_MODE_FIELDS.items():
        values[column] = code in delivery_modes
    return values


def search_text(title: str, provider_name: str) -> str:
    return fold(f"{title} {provider_name}")[:420]


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
