"""Delivery job: one attempt per run; a transport error is retried with exponential back-off,
at most MAX_RETRIES times, then the notification is marked failed (and stays in the log)."""

import logging

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from oncoparcours.notifications.backends import OutgoingMessage, TransportError, channel_for
from oncoparcours.notifications.models import DeliveryStatus, Notification

logger = logging.getLogger("oncoparcours.notifications")

MAX_RETRIES = 5
BACKOFF_SECONDS = 30  # 30 s, 1 min, 2 min, 4 min, 8 min


def _record(notification: Notification, status: str, error: str = "") -> None:
    notification.status = status
    notification.last_error = error[:200]
    if status == DeliveryStatus.SENT:
        notification.sent_at = timezone.now()
    notification.save(update_fields=["status", "last_error", "sent_at", "attempts"])


@shared_task(
    bind=True,
    name="oncoparcours.notifications.tasks.deliver_notification",
    max_retries=MAX_RETRIES,
    acks_late=True,
)
def deliver_notification(self: Task, public_id: str) -> str:
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(public_id=public_id).first()
        if notification is None or notification.status != DeliveryStatus.QUEUED:
            # Already delivered (a redelivered message) or unknown: never send twice.
            return "skipped"
        notification.attempts += 1
        message = OutgoingMessage(
            reference=str(notification.public_id),
            recipient=notification.recipient_ref,
            subject=notification.subject,
            body=notification.body,
        )
        try:
            result = channel_for(notification.channel).send(message)
        except TransportError as exc:
            error = str(exc)
            if self.request.retries >= MAX_RETRIES:
                _record(notification, DeliveryStatus.FAILED, error)
                logger.warning(
                    "notification=%s failed attempts=%d error=%s",
                    public_id,
                    notification.attempts,
                    error,
                )
                return DeliveryStatus.FAILED
            _record(notification, DeliveryStatus.QUEUED, error)
        else:
            if result.ok:
                _record(notification, DeliveryStatus.SENT)
                return DeliveryStatus.SENT
            _record(notification, DeliveryStatus.FAILED, result.error)
            return DeliveryStatus.FAILED
    # Outside the row lock, so the retry (inline when eager) can take it again.
    countdown = BACKOFF_SECONDS * 2**self.request.retries
    raise self.retry(countdown=countdown, exc=TransportError(error))
