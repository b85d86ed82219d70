"""Writes on organisations and their members (one module per sub-domain)."""

from oncoparcours.organisations.services.members import member_add, member_end
from oncoparcours.organisations.services.organisations import (
    EDITABLE_FIELDS,
    organisation_archive,
    organisation_create,
    organisation_update,
)

__all__ = [
    "EDITABLE_FIELDS",
    "member_add",
    "member_end",
    "organisation_archive",
    "organisation_create",
    "organisation_update",
]
