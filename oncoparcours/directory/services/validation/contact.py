"""How people reach the offer: phone, e-mail, MSSanté address and website."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
from oncoparcours.directory.services.validation.text import one_line

_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,20}$")
# MSSanté addresses live under the mssante.fr domain (operators' sub-domains).
_MSSANTE_DOMAIN = re.compile(r"(^|\.)mssante\.fr$")


@dataclass(frozen=True)
class Contact:
    phone: str
    email: str
    mssante_email: str
    website: str


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


def clean_contact(errors: Errors, data: Mapping[str, Any]) -> Contact:
    phone = one_line(data, "phone")
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
    return Contact(phone=phone, email=email, mssante_email=mssante_email, website=website)
