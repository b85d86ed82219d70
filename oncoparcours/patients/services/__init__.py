"""Writes on patients, their consents, and API idempotency (one module per sub-domain)."""

from oncoparcours.patients.services.consents import consent_record, consent_withdraw
from oncoparcours.patients.services.fields import EDITABLE_FIELDS
from oncoparcours.patients.services.idempotency import patient_create_once
from oncoparcours.patients.services.patients import patient_create, patient_update

__all__ = [
    "EDITABLE_FIELDS",
    "consent_record",
    "consent_withdraw",
    "patient_create",
    "patient_create_once",
    "patient_update",
]
