"""Writes on professionals' files (one module per sub-domain)."""

from oncoparcours.professionals.services.contracts import contract_create, contract_end
from oncoparcours.professionals.services.diplomas import diploma_add, diploma_archive
from oncoparcours.professionals.services.profiles import PROFILE_FIELDS, profile_update

__all__ = [
    "PROFILE_FIELDS",
    "contract_create",
    "contract_end",
    "diploma_add",
    "diploma_archive",
    "profile_update",
]
