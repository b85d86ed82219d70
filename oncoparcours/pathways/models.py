"""Prescriptions, pathways and their event timeline (domain.md §2.3, §2.4).

Rules live in ``rules`` (pure) and ``services``; a pathway's status moves only through the
table of ``states``. Each change writes a ``PathwayEvent``: the timeline is the audit trail.
"""

import uuid
from datetime import date
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import MedicalSpecialty
from oncoparcours.core.identifiers import validate_rpps
from oncoparcours.directory.catalogue import CareType
from oncoparcours.pathways.rules import budget as rules
from oncoparcours.pathways.rules.eligibility import AgeGroup
from oncoparcours.pathways.rules.prestations import PRESTATION_CHOICES
from oncoparcours.pathways.states import (
    EVENT_CHOICES,
    STATUS_CHOICES,
    STATUS_LABELS,
    PathwayStatus,
)


class Channel(models.TextChoices):
    FORM = "form", _("Formulaire du prescripteur")
    PAPER = "paper", _("Prescription papier saisie par la structure")
    API = "api", _("Logiciel hospitalier (API)")


class Eligibility(models.TextChoices):
    ELIGIBLE = "eligible", _("Éligible")
    REFUSED = "refused", _("Non éligible")
    OVERRIDDEN = "overridden", _("Éligible par dérogation")


AGE_GROUP_LABELS = {
    AgeGroup.CHILD: _("Enfant"),
    AgeGroup.AJA: _("Adolescent ou jeune adulte (AJA)"),
    AgeGroup.ADULT: _("Adulte"),
}
AGE_GROUP_CHOICES = [(group.value, label) for group, label in AGE_GROUP_LABELS.items()]


class Prescription(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        related_name="prescriptions",
        verbose_name=_("patient"),
    )
    # Null for a paper prescription from a doctor without an account here.
    prescriber = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prescriptions",
        verbose_name=_("prescripteur (compte)"),
    )
    prescriber_name = models.CharField(_("prescripteur"), max_length=200)
    prescriber_rpps = models.CharField(
        _("RPPS du prescripteur"), max_length=11, blank=True, validators=[validate_rpps]
    )
    prescriber_specialty = models.CharField(
        _("spécialité du prescripteur"),
        max_length=32,
        choices=MedicalSpecialty.choices,
        blank=True,
    )
    prescription_date = models.DateField(_("date de la prescription"))
    items = models.JSONField(_("prestations prescrites"), default=list)
    # What the eligibility rules read at intake (PSG-01, PSG-03), kept as evidence.
    ald_cancer = models.BooleanField(_("ALD cancer à la réception"))
    active_treatment_end_date = models.DateField(
        _("fin du traitement actif à la réception"), null=True, blank=True
    )
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    document = models.FileField(
        _("document de prescription"), upload_to="prescriptions/%Y/%m/", blank=True
    )
    received_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    received_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reçue par"),
    )
    eligibility = models.CharField(_("éligibilité"), max_length=12, choices=Eligibility.choices)
    # Each failed rule: {"code": "PSG-03", "message": "…", "field": "…"}.
    failures = models.JSONField(_("règles non respectées"), default=list, blank=True)
    override_justification = models.TextField(_("justification de la dérogation"), blank=True)
    override_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dérogation accordée par"),
    )
    override_at = models.DateTimeField(_("dérogation accordée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("prescription")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"Prescription {self.public_id}"


class Pathway(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(
        "patients.Patient",
        on_delete=models.PROTECT,
        related_name="pathways",
        verbose_name=_("patient"),
    )
    prescription = models.OneToOneField(
        Prescription, on_delete=models.PROTECT, related_name="pathway"
    )
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathways",
        verbose_name=_("structure porteuse"),
    )
    uncovered = models.BooleanField(_("territoire non couvert"), default=False)
    age_group = models.CharField(_("tranche d'âge"), max_length=8, choices=AGE_GROUP_CHOICES)
    status = models.CharField(
        _("statut"), max_length=12, choices=STATUS_CHOICES, default=PathwayStatus.RECEIVED
    )
    first_assessment_date = models.DateField(_("date du premier bilan"), null=True, blank=True)
    # PSG-06: first assessment + delivery window; null until the first assessment.
    deadline = models.DateField(_("échéance"), null=True, blank=True)
    # PSG-09: the cap in force at the prescription date; a later parameter never rewrites it.
    cap = models.DecimalField(_("plafond"), max_digits=8, decimal_places=2)
    # PSG-09: committed + spent (the acts booked or done), kept by services.acts in the same
    # transaction as each act change, so that the worklist's "near the cap" tab reads a column
    # instead of summing every pathway's acts. pathway_ledger stays the reference (a test
    # reconciles the two).
    engaged_amount = models.DecimalField(
        _("montant engagé et dépensé"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    closure_reason = models.TextField(_("motif de clôture"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["structure", "status"]),
            models.Index(fields=["uncovered", "status"]),
            # The coordinator worklist: one structure's pathways, newest first (bench/pathways.py).
            models.Index(fields=["structure", "-created_at"], name="pathway_worklist_idx"),
        ]

    def __str__(self) -> str:
        return f"Parcours {self.public_id}"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[PathwayStatus(self.status)])


class PathwayEvent(models.Model):
    """Who did what, when and why. ``data`` holds codes and ids only, never identities."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=24, choices=EVENT_CHOICES)
    # Null: done by the system (intake rules, expiry job).
    actor = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    reason = models.TextField(_("motif"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("événement du parcours")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.kind


class PrescriptionIdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` on ``POST /api/v1/pathways/prescriptions``: a retried
    request with the same key, from the same membership, gets the first request's pathway."""

    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    request_fingerprint = models.CharField(max_length=64)
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "key"], name="prescription_idempotency_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.key


class ActMode(models.TextChoices):
    IN_PERSON = "in_person", _("En présentiel")
    VIDEO = "video", _("En visioconférence")


ACT_STATUS_LABELS = {
    rules.ActStatus.BOOKED: _("Réservé"),
    rules.ActStatus.DONE: _("Réalisé"),
    rules.ActStatus.CANCELLED: _("Annulé"),
    rules.ActStatus.NO_SHOW: _("Patient absent"),
}
ACT_STATUS_CHOICES = [(status.value, label) for status, label in ACT_STATUS_LABELS.items()]


class Act(models.Model):
    """An assessment or follow-up consultation of a pathway (domain.md §2.3 "Prestation").

    Its amount is committed while booked, spent once done, released if cancelled or missed
    (rules.budget.ledger); the guards of rules.budget.check_booking run at booking and again
    at completion (services.acts).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pathway = models.ForeignKey(
        Pathway, on_delete=models.PROTECT, related_name="acts", verbose_name=_("parcours")
    )
    kind = models.CharField(_("prestation"), max_length=24, choices=PRESTATION_CHOICES)
    professional = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="acts",
        verbose_name=_("professionnel"),
    )
    starts_at = models.DateTimeField(_("date et heure"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    mode = models.CharField(_("modalité"), max_length=12, choices=ActMode.choices)
    place = models.CharField(_("lieu"), max_length=250, blank=True)
    # PSG-07/08: the rate agreed with the professional, at most the maximum in force at the
    # pathway's prescription date.
    amount = models.DecimalField(_("montant"), max_digits=8, decimal_places=2)
    status = models.CharField(
        _("statut"), max_length=12, choices=ACT_STATUS_CHOICES, default=rules.ActStatus.BOOKED.value
    )
    booked_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("réservé par"),
    )
    completed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réalisation déclarée par"),
    )
    cancelled_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("annulé par"),
    )
    done_at = models.DateTimeField(_("réalisé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancel_reason = models.TextField(_("motif d'annulation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("prestation")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["pathway", "status"]),
            models.Index(fields=["professional", "status", "starts_at"]),
        ]

    def __str__(self) -> str:
        return f"Prestation {self.public_id}"

    @property
    def day(self) -> date:
        """The local day the act took place (done) or is planned (otherwise)."""
        return timezone.localdate(self.done_at or self.starts_at)


def to_rule_act(act: Act) -> rules.Act:
    """The plain value the pure rules read (no database)."""
    return rules.Act(
        kind=act.kind, amount=act.amount, status=rules.ActStatus(act.status), date=act.day
    )


class Referral(models.Model):
    """An orientation of the patient towards a supportive-care offer: a directory offer, or a
    provider named by hand. Never a prestation: nothing is billed to the pathway (PSG-11 for
    APA sessions, and every other supportive care outside the five prestations)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pathway = models.ForeignKey(
        Pathway, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("parcours")
    )
    care_type = models.CharField(_("soin de support"), max_length=24, choices=CareType.choices)
    offer = models.ForeignKey(
        "directory.Offer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("offre du répertoire"),
    )
    provider_name = models.CharField(_("structure ou professionnel"), max_length=200)
    note = models.TextField(_("remarque"), blank=True)
    referred_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("orienté par"),
    )
    referred_at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("orientation vers un soin de support")
        ordering = ["referred_at", "pk"]

    def __str__(self) -> str:
        return f"Orientation {self.public_id}"
