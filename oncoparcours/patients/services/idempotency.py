"""``Idempotency-Key`` on patient creation through the API.

A hospital system that times out on ``POST /api/v1/patients`` retries with the same key and
gets the patient the first request created, never a second one. The key is remembered per
membership (two systems may pick the same key) with a digest of the body: the same key with
another body is refused rather than answered with a patient the caller did not describe.
Keys are kept with the patient; pruning old ones is a later job if they ever weigh.
"""

import hashlib
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import log_refusal
from oncoparcours.organisations.models import Organisation
from oncoparcours.patients.models import IdempotencyKey, Patient
from oncoparcours.patients.services.patients import patient_create

MAX_KEY_LENGTH = 255


def request_fingerprint(payload: dict[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def patient_create_once(
    *, by: Membership, structure: Organisation, idempotency_key: str, **fields: Any
) -> tuple[Patient, bool]:
    """The patient for this key: created now (True) or by an earlier request (False)."""
    key = idempotency_key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        _refuse(
            _("L'en-tête Idempotency-Key doit contenir de 1 à 255 caractères imprimables."),
            "idempotency.key_invalid",
            by=by,
        )
    fingerprint = request_fingerprint(fields)
    earlier = _replay(by, key, fingerprint)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            patient = patient_create(by=by, structure=structure, **fields)
            IdempotencyKey.objects.create(
                membership=by, key=key, request_fingerprint=fingerprint, patient=patient
            )
    except IntegrityError:
        # A concurrent request with the same key won the race: its patient is the answer.
        earlier = _replay(by, key, fingerprint)
        if earlier is None:
            raise
        return earlier, False
    return patient, True


def _replay(by: Membership, key: str, fingerprint: str) -> Patient | None:
    stored = (
        IdempotencyKey.objects.select_related("patient__commune", "patient__structure")
        .filter(membership=by, key=key)
        .first()
    )
    if stored is None:
        return None
    if stored.request_fingerprint != fingerprint:
        _refuse(
            _(
                "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une "
                "nouvelle clé pour créer un autre patient."
            ),
            "idempotency.key_reused",
            by=by,
        )
    return stored.patient


def _refuse(message: str, code: str, *, by: Membership) -> None:
    log_refusal(where="patient_create_once", actor=by, codes=[code])
    raise ValidationError(message, code=code)
