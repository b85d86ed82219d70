"""Sending a notification: render the French template, log it as queued, deliver it after the
surrounding transaction commits (nothing goes out for a change that was rolled back)."""

import re
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
from oncoparcours.notifications.models import (
    Channel,
    Notification,
    RecipientKind,
    TemplateCode,
)
from oncoparcours.notifications.tasks import deliver_notification

# French mobile and landline numbers, national (0X…) or international (+33 X…) form.
_PHONE = re.compile(r"^(?:\+33|0)[1-9][0-9]{8}$")
_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise_phone(value: str) -> str:
    return _SEPARATORS.sub("", value)


def render_notification(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, body) of ``templates/notifications/<template>.subject.txt`` and ``.txt``."""
    with translation.override("fr"):
        subject = render_to_string(f"notifications/{template}.subject.txt", dict(context))
        body = render_to_string(f"notifications/{template}.txt", dict(context))
    return " ".join(subject.split()), body.strip() + "\n"


@transaction.atomic
def notification_send(
    *,
    channel: str,
    recipient_kind: str,
    recipient: str,
    template: str,
    context: Mapping[str, Any],
    related_public_id: UUID | None = None,
) -> Notification:
    errors = Errors()
    recipient = recipient.strip()
    if channel not in Channel.values:
        errors.new("channel", _("Canal de notification inconnu."), "notification.channel.unknown")
    if recipient_kind not in RecipientKind.values:
        errors.new(
            "recipient_kind",
            _("Type de destinataire inconnu."),
            "notification.recipient_kind.unknown",
        )
    if template not in TemplateCode.values:
        errors.new("template", _("Modèle de message inconnu."), "notification.template.unknown")
    if channel == Channel.EMAIL:
        try:
            validate_email(recipient)
        except ValidationError:
            errors.new(
                "recipient", _("Adresse électronique invalide."), "notification.email.invalid"
            )
    elif channel == Channel.SMS:
        recipient = normalise_phone(recipient)
        if not _PHONE.match(recipient):
            errors.new(
                "recipient", _("Numéro de téléphone invalide."), "notification.phone.invalid"
            )
    errors.raise_if_any(where="notification_send", by=None)

    subject, body = render_notification(template, context)
    notification = Notification.objects.create(
        channel=channel,
        recipient_kind=recipient_kind,
        recipient_ref=recipient,
        template=template,
        subject=subject[:255],
        body=body,
        related_public_id=related_public_id,
    )
    public_id = str(notification.public_id)
    transaction.on_commit(lambda: deliver_notification.delay(public_id))
    return notification
