"""The delivery log of every message the platform sends (e-mail, SMS).

``recipient_ref`` is the address the message went to: health data (it ties a person to a cancer
pathway), kept for proof of delivery, never written to a log line.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Courriel")
    SMS = "sms", _("SMS")


class RecipientKind(models.TextChoices):
    PRESCRIBER = "prescriber", _("Prescripteur")
    PATIENT = "patient", _("Patient")
    COORDINATOR = "coordinator", _("Coordinateur")
    DSRC = "dsrc", _("DSRC")


class TemplateCode(models.TextChoices):
    PRESCRIPTION_ACCEPTED = "prescription_accepted", _("Prescription acceptée")
    PRESCRIPTION_REFUSED = "prescription_refused", _("Prescription refusée")
    ACT_BOOKED = "act_booked", _("Rendez-vous réservé")
    ACT_RESCHEDULED = "act_rescheduled", _("Rendez-vous déplacé")
    UNCOVERED_TERRITORY = "uncovered_territory", _("Territoire non couvert")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")


class Notification(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    recipient_kind = models.CharField(
        _("destinataire"), max_length=16, choices=RecipientKind.choices
    )
    recipient_ref = models.CharField(_("adresse de remise"), max_length=254)
    template = models.CharField(_("modèle"), max_length=64, choices=TemplateCode.choices)
    subject = models.CharField(_("objet"), max_length=255, blank=True)
    body = models.TextField(_("texte"))
    related_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.CharField(_("dernière erreur"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["status", "created_at"], name="notification_status")]

    def __str__(self) -> str:
        return f"{self.get_template_display()} ({self.get_channel_display()})"
