"""Delivery channels. A channel takes an outgoing message and returns a delivery result, or
raises ``TransportError`` when trying again later may succeed (the job retries with back-off).

Nothing here logs an address or a message's content: a phone number or an e-mail address tied
to a cancer pathway is health data. Log lines carry the notification's public id, a length and
a keyed hash (equal hashes show the same content was sent, without revealing it).
"""

import logging
import smtplib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

logger = logging.getLogger("oncoparcours.notifications")


@dataclass(frozen=True)
class OutgoingMessage:
    reference: str  # the Notification's public id: what log lines name
    recipient: str
    subject: str
    body: str


@dataclass(frozen=True)
class DeliveryResult:
    ok: bool
    error: str = ""  # short and without personal data (an exception class, a status code)


class TransportError(Exception):
    """A temporary failure (server down, timeout): the job tries again later."""


class Channel(Protocol):
    def send(self, message: OutgoingMessage) -> DeliveryResult: ...


class SmsChannel(Channel, Protocol):
    """An SMS provider. Real providers (an HDS-hosted gateway) implement this later."""


def fingerprint(value: str) -> str:
    """A keyed, short hash: the same value gives the same print, the print gives no value."""
    return salted_hmac("oncoparcours.notifications", value, algorithm="sha256").hexdigest()[:12]


class EmailChannel:
    """Django mail through the default mailer (settings.MAILERS)."""

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        email = EmailMessage(message.subject, message.body, to=[message.recipient])
        try:
            email.send(using="default")
        except smtplib.SMTPRecipientsRefused:
            # The address itself is refused: trying again will not help.
            return DeliveryResult(ok=False, error="smtp.recipient_refused")
        except (smtplib.SMTPException, OSError) as exc:
            # The class name only: SMTP replies may quote the address.
            raise TransportError(f"smtp.{type(exc).__name__}") from exc
        return DeliveryResult(ok=True)


class ConsoleSmsBackend:
    """Development: logs that an SMS would go, with a length and hashes, never the number or
    the text."""

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        logger.info(
            "sms notification=%s to=%s length=%d body=%s",
            message.reference,
            fingerprint(message.recipient),
            len(message.body),
            fingerprint(message.body),
        )
        return DeliveryResult(ok=True)


class FileSmsBackend:
    """Demo: writes each SMS to a file under $VAR_DIR/sms/ (the folder is the phone)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(settings.VAR_DIR) / "sms"

    def send(self, message: OutgoingMessage) -> DeliveryResult:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
            path = self.directory / f"{stamp}-{message.reference}.txt"
            path.write_text(f"À : {message.recipient}\n\n{message.body}\n", encoding="utf-8")
        except OSError as exc:
            raise TransportError(f"file.{type(exc).__name__}") from exc
        logger.info(
            "sms notification=%s written length=%d body=%s",
            message.reference,
            len(message.body),
            fingerprint(message.body),
        )
        return DeliveryResult(ok=True)


SMS_BACKENDS = {"console": ConsoleSmsBackend, "file": FileSmsBackend}


@cache
def _sms_backend_class(name: str) -> type[SmsChannel]:
    backend = SMS_BACKENDS.get(name)
    if backend is not None:
        return backend
    loaded: type[SmsChannel] = import_string(name)
    return loaded


def sms_channel() -> SmsChannel:
    """The backend named by ONCOPARCOURS_SMS_BACKEND: "console", "file" or a dotted path."""
    return _sms_backend_class(settings.ONCOPARCOURS_SMS_BACKEND)()


def channel_for(name: str) -> Channel:
    if name == "email":
        return EmailChannel()
    if name == "sms":
        return sms_channel()
    raise ValueError(f"unknown channel {name!r}")
