"""Reports (comptes rendus) of the bilans and consultations, and their deliveries to the
prescriber and the médecin traitant (PSG-14, PSG-16; domain §2.5 step 6, §8.5).

A report is the PDF of one assessment version: a correction (a new assessment superseding the
previous one) gets a new report. The file lives in the private storage under a random name and
is only ever read through a permission-checked view (decisions: "Uploaded files are never
served as media").

A delivery is one recipient of one report. It records why nothing went (no consent, no address)
as well as what went, when and through which channel; ``address`` is health data (it ties a
doctor to a cancer patient), kept as proof of delivery, never written to a log line.
"""

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoparcours.pathways.rules.prestations import PRESTATION_CHOICES

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


def _report_path(instance: "Report", filename: str) -> str:
    # A random name: nothing in the path tells whose report it is.
    return f"reports/{timezone.now():%Y/%m}/{uuid.uuid4()}.pdf"


class Report(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("parcours"),
    )
    assessment = models.OneToOneField(
        "assessments.Assessment",
        on_delete=models.PROTECT,
        related_name="report",
        verbose_name=_("bilan ou consultation"),
    )
    kind = models.CharField(_("prestation"), max_length=24, choices=PRESTATION_CHOICES)
    file = models.FileField(_("document"), upload_to=_report_path)
    size = models.PositiveIntegerField(_("taille (octets)"))
    sha256 = models.CharField(_("empreinte SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("émis par"),
    )
    created_at = models.DateTimeField(_("émis le"), auto_now_add=True)

    if TYPE_CHECKING:
        pathway_id: int
        assessment_id: int
        deliveries: RelatedManager["ReportDelivery"]

    class Meta:
        verbose_name = _("compte rendu")
        verbose_name_plural = _("comptes rendus")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["pathway", "-created_at"])]

    def __str__(self) -> str:
        return f"Compte rendu {self.public_id}"


class RecipientRole(models.TextChoices):
    PRESCRIBER = "prescriber", _("Médecin prescripteur")
    GP = "gp", _("Médecin traitant")


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("Courriel (relais de messagerie sécurisée)")
    MSSANTE_FILE = "mssante_file", _("Messagerie sécurisée de santé (dépôt MSSanté)")


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec de l'envoi")
    WITHHELD_NO_CONSENT = "withheld_no_consent", _("Non envoyé : pas de consentement")
    WITHHELD_NO_ADDRESS = "withheld_no_address", _("Non envoyé : adresse inconnue")


WITHHELD_STATUSES = (DeliveryStatus.WITHHELD_NO_CONSENT, DeliveryStatus.WITHHELD_NO_ADDRESS)


class ReportDelivery(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    report = models.ForeignKey(
        Report, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("compte rendu")
    )
    recipient_role = models.CharField(
        _("destinataire"), max_length=12, choices=RecipientRole.choices
    )
    recipient_name = models.CharField(_("nom du destinataire"), max_length=200, blank=True)
    address = models.EmailField(_("adresse de messagerie sécurisée"), blank=True)
    channel = models.CharField(_("canal"), max_length=16, choices=DeliveryChannel.choices)
    status = models.CharField(_("statut"), max_length=24, choices=DeliveryStatus.choices)
    # Why it was withheld or failed, in French, as the pathway page shows it.
    reason = models.CharField(_("motif"), max_length=250, blank=True)
    # The transport's error code (an exception class, an SMTP reply class), never an address.
    error_code = models.CharField(_("code d'erreur"), max_length=100, blank=True)
    # The consent in force when it was queued: the evidence that sharing was agreed.
    consent = models.ForeignKey(
        "patients.Consent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consentement"),
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    if TYPE_CHECKING:
        report_id: int

    class Meta:
        verbose_name = _("envoi d'un compte rendu")
        verbose_name_plural = _("envois des comptes rendus")
        ordering = ["report", "recipient_role"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient_role"], name="report_delivery_one_per_recipient"
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="report_delivery_status")]

    def __str__(self) -> str:
        return f"{self.get_recipient_role_display()} ({self.get_status_display()})"

    @property
    def is_withheld(self) -> bool:
        return self.status in WITHHELD_STATUSES


class RecipientAddress(models.Model):
    """A doctor's secure messaging address for one patient, entered once on a send form and
    used for the patient's next reports (the patient file has no field for it)."""

    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("patient"),
    )
    role = models.CharField(_("destinataire"), max_length=12, choices=RecipientRole.choices)
    address = models.EmailField(_("adresse de messagerie sécurisée"))
    updated_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saisie par"),
    )
    updated_at = models.DateTimeField(_("saisie le"), auto_now=True)

    class Meta:
        verbose_name = _("adresse d'un destinataire")
        verbose_name_plural = _("adresses des destinataires")
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "role"], name="recipient_address_one_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.pk})"
