from oncoparcours.funding.services.conventions import (
    convention_create,
    convention_end,
    convention_sign,
)
from oncoparcours.funding.services.envelopes import allocation_create, envelope_create
from oncoparcours.funding.services.payments import payment_record

__all__ = [
    "allocation_create",
    "convention_create",
    "convention_end",
    "convention_sign",
    "envelope_create",
    "payment_record",
]
