"""Prescription intake: one service for the three channels (form, paper, API).

Data errors (unknown prestation, future date, bad file, missing fields) refuse the request and
save nothing. Failures of the eligibility rules (PSG-01 … PSG-03) do not: the prescription and
its pathway are kept with status "refused" and every reason, so that nothing is silently
dropped and a coordinator may override (issue 3 §3).
"""

from collections.abc import Callable
from datetime import date
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import MedicalSpecialty, Membership, User
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.errors import Errors, log_refusal, refuse
from oncoparcours.core.files import MAX_UPLOAD_BYTES, upload_type
from oncoparcours.core.identifiers import clean_rpps
from oncoparcours.pathways import hooks
from oncoparcours.pathways.models import (
    Channel,
    Eligibility,
    Pathway,
    Prescription,
    PrescriptionIdempotencyKey,
)
from oncoparcours.pathways.rules.eligibility import (
    PRESCRIPTION_DATE_IN_FUTURE,
    age_group,
    check_prescription,
)
from oncoparcours.pathways.services._events import check_transition, lock, move, record_event
from oncoparcours.pathways.services.orientation import pathway_orient
from oncoparcours.pathways.states import EventKind, PathwayStatus
from oncoparcours.patients.models import Patient
from oncoparcours.patients.services.idempotency import request_fingerprint
from oncoparcours.regulation.parameters import ParameterNotInForce, PsgacParameters
from oncoparcours.regulation.selectors import psgac_parameters_at

# Failures of check_prescription that are data errors, not eligibility: they refuse the
# request (nothing saved) and no override can cover them. PSG-04 there means an empty list,
# an unknown or a repeated prestation code: the prescription is malformed.
DATA_ERROR_CODES = frozenset({"PSG-04", PRESCRIPTION_DATE_IN_FUTURE})
MIN_JUSTIFICATION = 20
MAX_KEY_LENGTH = 255


def _check_document(errors: Errors, document: UploadedFile | IO[bytes]) -> None:
    size = getattr(document, "size", None)
    if size is None:
        document.seek(0, 2)
        size = document.tell()
    if size > MAX_UPLOAD_BYTES:
        errors.new(
            "document",
            _("Le document ne doit pas dépasser 10 Mo."),
            "prescription.document_size",
        )
        return
    document.seek(0)
    head = document.read(8)
    document.seek(0)
    if upload_type(head) is None:
        errors.new(
            "document",
            _("Le document doit être un PDF, une image JPEG ou PNG."),
            "prescription.document_type",
        )


def _clean_prescriber(
    errors: Errors,
    *,
    prescriber: User | None,
    name: str,
    rpps: str,
    specialty: str,
) -> tuple[str, str, str]:
    if prescriber is not None:
        name = name.strip() or prescriber.get_full_name()
        rpps = rpps.strip() or prescriber.rpps
        specialty = specialty.strip() or prescriber.specialty
    name, rpps, specialty = name.strip(), rpps.strip(), specialty.strip()
    if not name:
        errors.new(
            "prescriber_name",
            _("Indiquez le nom du médecin prescripteur."),
            "prescription.required",
        )
    if rpps:
        rpps = errors.clean("prescriber_rpps", clean_rpps, rpps) or ""
    if specialty and specialty not in MedicalSpecialty.values:
        errors.new(
            "prescriber_specialty",
            _("Spécialité du prescripteur inconnue."),
            "prescription.specialty_invalid",
        )
    return name, rpps, specialty


def _treatment_received(patient: Patient) -> bool:
    """PSG-01 second half: a recorded treatment type or end of active treatment."""
    return bool(patient.treatment_types) or patient.active_treatment_end_date is not None


@transaction.atomic
def prescription_receive(
    *,
    by: Membership,
    patient: Patient,
    prescriber: User | None,
    prescriber_name: str = "",
    prescriber_rpps: str = "",
    prescriber_specialty: str = "",
    prescription_date: date | None,
    items: list[str],
    channel: str,
    document: UploadedFile | None = None,
    today: date | None = None,
    intake: dict[str, Any] | None = None,
) -> Pathway:
    """The prescription and its pathway: "eligible" (and oriented) or "refused" with reasons.

    ``intake``: codes about how the patient was found (channel "form"), kept on the timeline.
    """
    where = "prescription_receive"
    today = today or timezone.localdate()
    errors = Errors()
    if channel not in Channel.values:
        errors.new("channel", _("Canal de réception inconnu."), "prescription.channel_invalid")
    name, rpps, specialty = _clean_prescriber(
        errors,
        prescriber=prescriber,
        name=prescriber_name,
        rpps=prescriber_rpps,
        specialty=prescriber_specialty,
    )
    if document is not None:
        _check_document(errors, document)
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        errors.new("items", _("Les prestations doivent être une liste de codes."), "PSG-04")
        items = []
    params: PsgacParameters | None = None
    if prescription_date is None:
        errors.new(
            "prescription_date",
            _("Indiquez la date de la prescription."),
            "prescription.required",
        )
    else:
        try:
            params = psgac_parameters_at(prescription_date)
        except ParameterNotInForce:
            errors.new(
                "prescription_date",
                _(
                    "Aucun paramètre réglementaire n'est en vigueur à cette date : le parcours "
                    "de soins global n'existait pas encore."
                ),
                "prescription.parameters_missing",
            )
    failures = []
    if params is not None and prescription_date is not None:
        failures = check_prescription(
            ald_cancer=patient.ald_cancer,
            treatment_received=_treatment_received(patient),
            prescriber_specialty=specialty or None,
            prescription_date=prescription_date,
            active_treatment_end_date=patient.active_treatment_end_date,
            items=items,
            params=params,
            today=today,
        )
        for failure in failures:
            if failure.code in DATA_ERROR_CODES:
                errors.new(failure.field or "items", failure.message, failure.code)
    errors.raise_if_any(where=where, by=by)
    if params is None or prescription_date is None:  # an error was filed for each above
        raise RuntimeError("unreachable: missing date or parameters without an error")
    rule_failures: list[dict[str, str | None]] = [
        {"code": f.code, "message": f.message, "field": f.field}
        for f in failures
        if f.code not in DATA_ERROR_CODES
    ]
    prescription = Prescription(
        patient=patient,
        prescriber=prescriber,
        prescriber_name=name,
        prescriber_rpps=rpps,
        prescriber_specialty=specialty,
        prescription_date=prescription_date,
        items=items,
        ald_cancer=patient.ald_cancer,
        active_treatment_end_date=patient.active_treatment_end_date,
        channel=channel,
        received_by=by,
        eligibility=Eligibility.REFUSED if rule_failures else Eligibility.ELIGIBLE,
        failures=rule_failures,
    )
    if document is not None:
        prescription.document.save(document.name or "prescription", document, save=False)
    prescription.save()
    pathway = Pathway.objects.create(
        patient=patient,
        prescription=prescription,
        age_group=age_group(patient.birth_date, prescription_date, params),
        status=PathwayStatus.RECEIVED,
        cap=params.cap_per_patient,
    )
    record_event(
        pathway,
        EventKind.RECEIVED,
        by=by,
        data={"channel": channel, "items": items, **({"intake": intake} if intake else {})},
    )
    if rule_failures:
        log_refusal(
            where=where,
            actor=by,
            codes=[f.code for f in failures if f.code not in DATA_ERROR_CODES],
        )
        move(
            pathway,
            PathwayStatus.REFUSED,
            by=None,
            where=where,
            data={"codes": [f["code"] for f in rule_failures]},
        )
    else:
        move(pathway, PathwayStatus.ELIGIBLE, by=None, where=where)
    # Refused or not, the prescription goes to the structure that covers the patient's
    # commune: its coordinator sees the reasons and may override.
    pathway_orient(pathway=pathway, by=None)
    hooks.notify_prescriber(pathway)
    return pathway


def prescription_receive_once(
    *,
    by: Membership,
    idempotency_key: str,
    fingerprint_of: dict[str, Any],
    receive: Callable[..., Pathway] | None = None,
    **fields: Any,
) -> tuple[Pathway, bool]:
    """The pathway for this key: created now (True) or by an earlier request (False).
    ``receive``: the intake service to run once (``prescription_receive`` by default, or the
    prescriber's ``prescription_prescribe``)."""
    key = idempotency_key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        refuse(
            ValidationError(
                _("L'en-tête Idempotency-Key doit contenir de 1 à 255 caractères imprimables."),
                code="idempotency.key_invalid",
            ),
            where="prescription_receive_once",
            by=by,
        )
    fingerprint = request_fingerprint(fingerprint_of)
    earlier = _replay(by, key, fingerprint)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            pathway = (receive or prescription_receive)(by=by, **fields)
            PrescriptionIdempotencyKey.objects.create(
                membership=by, key=key, request_fingerprint=fingerprint, pathway=pathway
            )
    except IntegrityError:
        earlier = _replay(by, key, fingerprint)
        if earlier is None:
            raise
        return earlier, False
    return pathway, True


def _replay(by: Membership, key: str, fingerprint: str) -> Pathway | None:
    stored = (
        PrescriptionIdempotencyKey.objects.select_related("pathway__prescription")
        .filter(membership=by, key=key)
        .first()
    )
    if stored is None:
        return None
    if stored.request_fingerprint != fingerprint:
        refuse(
            ValidationError(
                _(
                    "Cette clé d'idempotence a déjà servi pour une autre requête : utilisez une "
                    "nouvelle clé pour une autre prescription."
                ),
                code="idempotency.key_reused",
            ),
            where="prescription_receive_once",
            by=by,
        )
    return stored.pathway


@transaction.atomic
def eligibility_override(*, by: Membership, pathway: Pathway, justification: str) -> Pathway:
    """A coordinator of the pathway's structure declares a refused prescription eligible."""
    where = "eligibility_override"
    if not (
        has_role(by, RoleCode.COORDINATOR)
        and pathway.structure_id is not None
        and acts_for(by, pathway.structure_id)
    ):
        refuse(
            ValidationError(
                _("Seul un coordinateur de la structure du parcours peut accorder une dérogation."),
                code="pathway.override_forbidden",
            ),
            where=where,
            by=by,
        )
    lock(pathway)
    check_transition(pathway, PathwayStatus.ELIGIBLE, by=by, where=where)
    justification = justification.strip()
    if len(justification) < MIN_JUSTIFICATION:
        refuse(
            ValidationError(
                {
                    "justification": ValidationError(
                        _("La justification doit comporter au moins %(min)s caractères."),
                        code="pathway.override_justification_short",
                        params={"min": MIN_JUSTIFICATION},
                    )
                }
            ),
            where=where,
            by=by,
        )
    prescription = pathway.prescription
    prescription.eligibility = Eligibility.OVERRIDDEN
    prescription.override_justification = justification
    prescription.override_by = by
    prescription.override_at = timezone.now()
    prescription.save(
        update_fields=["eligibility", "override_justification", "override_by", "override_at"]
    )
    move(
        pathway,
        PathwayStatus.ELIGIBLE,
        by=by,
        where=where,
        reason=justification,
        data={"codes": [f["code"] for f in prescription.failures]},
    )
    hooks.notify_prescriber(pathway)
    return pathway
