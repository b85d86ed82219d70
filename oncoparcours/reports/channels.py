"""How a report reaches a doctor: a ``ReportChannel`` takes a delivery and the PDF, returns a
``DeliveryResult`` (notifications' own), or raises ``TransportError`` when trying again later
may succeed (the job retries with back-off).

- ``email``: a Django e-mail with the PDF attached, through the default mailer. In production
  the mailer is an MSSanté operator's SMTP relay (the structure's secure mailbox), so the
  message travels inside the health trust space.
- ``mssante_file``: the same message written as an ``.eml`` plus a metadata ``.json`` into the
  outbox folder (``ONCOPARCOURS_MSSANTE_OUTBOX``), for an MSSanté connector (an operator's
  client, a LPS) to pick up. The JSON is written last and both are renamed into place, so a
  connector that waits for the JSON never reads half a message. Format: docs/reports.md.

Nothing here logs an address, a name or the document: ids, sizes and keyed hashes only.
"""

import hashlib
import json
import logging
import os
import smtplib
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from oncoparcours.notifications.backends import DeliveryResult, TransportError, fingerprint
from oncoparcours.reports.documents import prestation_label
from oncoparcours.reports.models import DeliveryChannel, RecipientRole, ReportDelivery

logger = logging.getLogger("oncoparcours.reports")

OUTBOX_FORMAT = "oncoparcours.mssante-outbox/1"


class ReportChannel(Protocol):
    def send(self, delivery: ReportDelivery, pdf_bytes: bytes) -> DeliveryResult: ...


def attachment_name(delivery: ReportDelivery) -> str:
    # No name in the file name: it travels in headers and may be listed by mail software.
    return f"compte-rendu-{delivery.report.public_id}.pdf"


def build_message(delivery: ReportDelivery, pdf_bytes: bytes) -> EmailMessage:
    """The e-mail both channels send: a short French cover note and the PDF."""
    report = delivery.report
    assessment = report.assessment
    pathway = report.pathway
    context = {
        "recipient_name": delivery.recipient_name,
        "is_gp": delivery.recipient_role == RecipientRole.GP,
        "prestation": prestation_label(report.kind),
        "performed_on": assessment.performed_on,
        "structure_name": pathway.structure.name if pathway.structure else "OncoParcours",
        "patient_initials": _initials(pathway.patient),
        "birth_date": pathway.patient.birth_date,
    }
    with translation.override("fr"):
        subject = render_to_string("reports/email/report.subject.txt", context)
        body = render_to_string("reports/email/report.txt", context)
    message = EmailMessage(
        " ".join(subject.split()),
        body.strip() + "\n",
        from_email=settings.ONCOPARCOURS_REPORT_FROM_EMAIL or None,
        to=[delivery.address],
        headers={"X-OncoParcours-Delivery": str(delivery.public_id)},
    )
    message.attach(attachment_name(delivery), pdf_bytes, "application/pdf")
    return message


def _initials(patient: object) -> str:
    family = getattr(patient, "used_name", "") or getattr(patient, "birth_name", "")
    given = getattr(patient, "first_given_name", "")
    return f"{given[:1].upper()}. {family[:1].upper()}."


class EmailReportChannel:
    def send(self, delivery: ReportDelivery, pdf_bytes: bytes) -> DeliveryResult:
        message = build_message(delivery, pdf_bytes)
        try:
            message.send(using="default")
        except smtplib.SMTPRecipientsRefused:
            # The address itself is refused: trying again will not help.
            return DeliveryResult(ok=False, error="smtp.recipient_refused")
        except (smtplib.SMTPException, OSError) as exc:
            # The class name only: SMTP replies may quote the address.
            raise TransportError(f"smtp.{type(exc).__name__}") from exc
        logger.info(
            "report delivery=%s sent channel=email size=%d to=%s",
            delivery.public_id,
            len(pdf_bytes),
            fingerprint(delivery.address),
        )
        return DeliveryResult(ok=True)


def outbox_metadata(
    delivery: ReportDelivery, pdf_bytes: bytes, message_file: str
) -> dict[str, object]:
    report = delivery.report
    pathway = report.pathway
    patient = pathway.patient
    prescription = pathway.prescription
    rpps = (
        prescription.prescriber_rpps
        if delivery.recipient_role == RecipientRole.PRESCRIBER
        else patient.gp_rpps
    )
    return {
        "format": OUTBOX_FORMAT,
        "delivery_id": str(delivery.public_id),
        "report_id": str(report.public_id),
        "pathway_id": str(pathway.public_id),
        "created_at": timezone.now().isoformat(),
        "sender": settings.ONCOPARCOURS_REPORT_FROM_EMAIL or settings.DEFAULT_FROM_EMAIL,
        "recipient": {
            "role": delivery.recipient_role,
            "name": delivery.recipient_name,
            "address": delivery.address,
            "rpps": rpps or None,
        },
        # INS-06: the matricule goes with the document only when the identity is qualified.
        "patient": {"ins": patient.ins_matricule, "ins_oid": patient.ins_oid}
        if patient.ins_is_qualified
        else None,
        "document": {
            "kind": report.kind,
            "performed_on": report.assessment.performed_on.isoformat(),
            "filename": attachment_name(delivery),
            "content_type": "application/pdf",
            "size": len(pdf_bytes),
            "sha256": hashlib.sha256(pdf_bytes).hexdigest(),
        },
        "message_file": message_file,
    }


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


class MssanteFileChannel:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory or settings.ONCOPARCOURS_MSSANTE_OUTBOX)

    def send(self, delivery: ReportDelivery, pdf_bytes: bytes) -> DeliveryResult:
        message = build_message(delivery, pdf_bytes)
        stem = f"{timezone.now():%Y%m%dT%H%M%S}-{delivery.public_id}"
        metadata = outbox_metadata(delivery, pdf_bytes, f"{stem}.eml")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _write_atomically(self.directory / f"{stem}.eml", message.message().as_bytes())
            payload = json.dumps(metadata, ensure_ascii=False, indent=2).encode()
            _write_atomically(self.directory / f"{stem}.json", payload)
        except OSError as exc:
            raise TransportError(f"file.{type(exc).__name__}") from exc
        logger.info(
            "report delivery=%s written channel=mssante_file size=%d",
            delivery.public_id,
            len(pdf_bytes),
        )
        return DeliveryResult(ok=True)


CHANNELS: dict[str, type[ReportChannel]] = {
    DeliveryChannel.EMAIL.value: EmailReportChannel,
    DeliveryChannel.MSSANTE_FILE.value: MssanteFileChannel,
}


def configured_channel() -> str:
    """The channel code new deliveries take (``ONCOPARCOURS_REPORT_CHANNEL``)."""
    code = str(settings.ONCOPARCOURS_REPORT_CHANNEL)
    if code not in CHANNELS:
        raise ValueError(f"unknown report channel {code!r}")
    return code


def channel_for(code: str) -> ReportChannel:
    return CHANNELS[code]()
