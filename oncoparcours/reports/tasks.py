"""The delivery job of a report: one attempt per run, consent checked again on the day it goes
(a consent withdrawn since the report was issued stops it, PSG-14/16); a transport error is
retried with exponential back-off, at most MAX_RETRIES times, then the delivery is marked failed
and the pathway's timeline says so (a person may resend it)."""

import logging

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from oncoparcours.notifications.backends import TransportError
from oncoparcours.reports.channels import channel_for
from oncoparcours.reports.models import DeliveryStatus, ReportDelivery
from oncoparcours.reports.outcomes import (
    active_consent,
    record_failed,
    record_sent,
    record_withheld_no_consent,
)

logger = logging.getLogger("oncoparcours.reports")

MAX_RETRIES = 5
BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min, 8 min


def _locked(public_id: str) -> ReportDelivery | None:
    return (
        ReportDelivery.objects.select_for_update(of=("self",))
        .select_related(
            "report__assessment",
            "report__pathway__patient",
            "report__pathway__structure",
            "report__pathway__prescription",
        )
        .filter(public_id=public_id)
        .first()
    )


@shared_task(
    bind=True,
    name="oncoparcours.reports.tasks.deliver_report",
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def deliver_report(self: Task, public_id: str) -> str:
    with transaction.atomic():
        delivery = _locked(public_id)
        if delivery is None or delivery.status != DeliveryStatus.QUEUED:
            # Already delivered (a redelivered message) or unknown: never send twice.
            return "skipped"
        patient = delivery.report.pathway.patient
        if active_consent(patient, delivery.recipient_role, timezone.localdate()) is None:
            record_withheld_no_consent(delivery, by=None)
            return DeliveryStatus.WITHHELD_NO_CONSENT
        delivery.attempts += 1
        try:
            with delivery.report.file.open("rb") as handle:
                pdf_bytes = handle.read()
        except FileNotFoundError:
            record_failed(delivery, "file.missing")
            return DeliveryStatus.FAILED
        try:
            result = channel_for(delivery.channel).send(delivery, pdf_bytes)
        except TransportError as exc:
            error = str(exc)
            if self.request.retries >= MAX_RETRIES:
                record_failed(delivery, error)
                return DeliveryStatus.FAILED
            delivery.error_code = error[:100]
            delivery.save(update_fields=["attempts", "error_code"])
        else:
            if result.ok:
                record_sent(delivery)
                return DeliveryStatus.SENT
            record_failed(delivery, result.error)
            return DeliveryStatus.FAILED
    # Outside the row lock, so the retry (inline when eager) can take it again.
    countdown = BACKOFF_SECONDS * 2**self.request.retries
    raise self.retry(countdown=countdown, exc=TransportError(error))
