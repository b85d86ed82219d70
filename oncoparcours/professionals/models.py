"""Professionals who carry out the PSGAC prestations: profile, diplomas, contracts (PSG-12…15)."""

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from datetime import date


class QualificationCategory(models.Model):
    """A D.1172-2 CSP category (1°, 2°, 3°): a list kept in the database, since 3° is still open
    (OQ-5) and the arrêté may change."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    label = models.CharField(_("libellé"), max_length=250)
    legal_reference = models.CharField(_("référence juridique"), max_length=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("catégorie de qualification APA")
        verbose_name_plural = _("catégories de qualification APA")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class ProfessionalProfile(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.PROTECT, related_name="professional_profile"
    )
    # Checked by the service (clean_adeli): 9 characters, department code first.
    adeli = models.CharField(_("numéro ADELI"), max_length=9, blank=True)
    qualification_category = models.ForeignKey(
        QualificationCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("catégorie de qualification APA"),
    )
    practice_commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune d'exercice"),
    )
    practice_address = models.CharField(_("adresse d'exercice"), max_length=250, blank=True)
    video_consultations = models.BooleanField(_("téléconsultation possible"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil professionnel")
        verbose_name_plural = _("profils professionnels")

    def __str__(self) -> str:
        return str(self.user)


def _diploma_path(instance: "Diploma", filename: str) -> str:
    # A random name: the uploaded name may carry the professional's name.
    suffix = PurePath(filename).suffix.lower()[:5]
    return f"diplomas/{timezone.now():%Y/%m}/{uuid.uuid4()}{suffix}"


class Diploma(models.Model):
    """A training title with its evidence; the ARS receives them (PSG-15). Never deleted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    professional = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="diplomas"
    )
    title = models.CharField(_("intitulé"), max_length=250)
    issuer = models.CharField(_("organisme de délivrance"), max_length=250)
    obtained_on = models.DateField(_("date d'obtention"))
    evidence = models.FileField(_("justificatif"), upload_to=_diploma_path)
    evidence_type = models.CharField(_("type du justificatif"), max_length=32)
    uploaded_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)
    archived_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("diplôme")
        verbose_name_plural = _("diplômes")
        ordering = ["-obtained_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ContractKind(models.TextChoices):
    SALARIED = "salaried", _("Salarié de la structure")
    CONTRACTED = "contracted", _("Libéral conventionné (contrat type)")


class Contract(models.Model):
    """A professional working for a structure porteuse (PSG-14): one at a time per structure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    professional = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="contracts"
    )
    structure = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="contracts"
    )
    kind = models.CharField(_("type de contrat"), max_length=16, choices=ContractKind.choices)
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    assessment_rate = models.DecimalField(_("tarif d'un bilan"), max_digits=7, decimal_places=2)
    followup_rate = models.DecimalField(
        _("tarif d'une consultation de suivi"), max_digits=7, decimal_places=2
    )
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        structure_id: int
        professional_id: int

    class Meta:
        verbose_name = _("contrat")
        verbose_name_plural = _("contrats")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.start_date:%d/%m/%Y}"

    def in_force_on(self, day: "date") -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class EventKind(models.TextChoices):
    PROFILE_UPDATED = "profile_updated", _("Profil modifié")
    DIPLOMA_ADDED = "diploma_added", _("Diplôme ajouté")
    DIPLOMA_ARCHIVED = "diploma_archived", _("Diplôme archivé")
    CONTRACT_CREATED = "contract_created", _("Contrat créé")
    CONTRACT_ENDED = "contract_ended", _("Contrat terminé")


class ProfessionalEvent(models.Model):
    """The audit trail of a professional's file: who changed what, when (never names)."""

    professional = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="professional_events"
    )
    kind = models.CharField(_("type"), max_length=32, choices=EventKind.choices)
    by = models.ForeignKey("accounts.Membership", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du dossier professionnel")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.at:%d/%m/%Y %H:%M}"
