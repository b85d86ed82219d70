"""What is offered: the title and description, the catalogue's codes (care type, moment, cost,
audiences, formats, delivery modes, languages) and where the information comes from."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
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
from oncoparcours.directory.services.validation.text import long_text, one_line

TITLE_MAX = 200


@dataclass(frozen=True)
class Description:
    title: str
    description: str
    care_type: str
    moment: str
    cost: str
    source: str
    audiences: list[str]
    group_formats: list[str]
    delivery_modes: list[str]
    languages: list[str]


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


def clean_description(errors: Errors, data: Mapping[str, Any]) -> Description:
    title = one_line(data, "title")
    if not title:
        errors.new("title", _("Donnez un intitulé à l'offre."), "directory.title.required")
    elif len(title) > TITLE_MAX:
        errors.new(
            "title",
            _("L'intitulé ne peut pas dépasser %(max)s caractères."),
            "directory.title.too_long",
            max=TITLE_MAX,
        )
    description = long_text(errors, data, "description")
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
    return Description(
        title=title,
        description=description,
        care_type=care_type,
        moment=moment,
        cost=cost,
        source=source,
        audiences=audiences,
        group_formats=group_formats,
        delivery_modes=delivery_modes,
        languages=languages,
    )
