"""Who provides the offer: a structure, a professional, or only a name (an association)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from oncoparcours.accounts.models import User
from oncoparcours.core.errors import Errors
from oncoparcours.directory.services.validation.text import one_line
from oncoparcours.organisations.models import Organisation

PROVIDER_NAME_MAX = 200


@dataclass(frozen=True)
class Provider:
    organisation: Organisation | None
    professional: User | None
    name: str


def clean_provider(errors: Errors, data: Mapping[str, Any]) -> Provider:
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
    provider_name = one_line(data, "provider_name")
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
    return Provider(organisation=organisation, professional=professional, name=provider_name)
