"""What the ARS funds and pays (domain.md PSG-09, PSG-15, PSG-16, §2.4 step 8, §2.5).

A convention binds the ARS and a structure porteuse; a FIR envelope is allocated to structures
for coordination; payments record what the ARS actually paid. What the ARS owes for the
prestations is never stored: ``selectors.funding_balance`` derives it from the completed acts.

No event table: every row is written once with who and when (``created_by``, ``created_at``),
and the only changes a convention undergoes, signing and ending, carry their own who and when
columns. An amendment is a new convention (``amends``), never an edit.
"""

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ConventionStatus(models.TextChoices):
    DRAFT = "draft", _("Projet")
    SIGNED = "signed", _("Signée")
    ENDED = "ended", _("Terminée")


class Convention(models.Model):
    """A convention between an ARS and a structure porteuse (PSG-15, PSG-16)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    reference = models.CharField(_("référence"), max_length=64, unique=True)
    ars = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ARS"),
    )
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_conventions",
        verbose_name=_("structure porteuse"),
    )
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("avenant à"),
    )
    status = models.CharField(
        _("statut"),
        max_length=8,
        choices=ConventionStatus.choices,
        default=ConventionStatus.DRAFT,
    )
    start_date = models.DateField(_("date de début"))
    end_date = models.DateField(_("date de fin"))
    territories = models.ManyToManyField(
        "territories.InterventionTerritory",
        related_name="funding_conventions",
        verbose_name=_("territoires d'intervention couverts"),
    )
    expected_patients_per_year = models.PositiveIntegerField(_("patients attendus par an"))
    # PSG-16: how the ARS funds the structure, what goes to the doctors, what goes to the ARS.
    funding_terms = models.TextField(_("modalités de financement"), blank=True)
    information_to_doctors = models.TextField(
        _("informations transmises au prescripteur et au médecin traitant"), blank=True
    )
    evaluation_data = models.TextField(_("données d'évaluation transmises à l'ARS"), blank=True)
    # The annual report to the ARS (PSG-17) is due every year on this day and month.
    report_due_month = models.PositiveSmallIntegerField(_("rapport annuel dû : mois"))
    report_due_day = models.PositiveSmallIntegerField(_("rapport annuel dû : jour"))
    signed_on = models.DateField(_("signée le"), null=True, blank=True)
    signed_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature enregistrée par"),
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    # Ending before term, or by a signed amendment: end_date stays as signed.
    terminated_on = models.DateField(_("terminée le"), null=True, blank=True)
    end_reason = models.TextField(_("motif de fin"), blank=True)
    ended_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fin enregistrée par"),
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        structure_id: int
        ars_id: int
        amends_id: int | None

    class Meta:
        verbose_name = _("convention ARS")
        verbose_name_plural = _("conventions ARS")
        ordering = ["-start_date", "reference"]
        indexes = [models.Index(fields=["structure", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="convention_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(report_due_month__gte=1, report_due_month__lte=12)
                & Q(report_due_day__gte=1, report_due_day__lte=31),
                name="convention_report_due_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def effective_end(self) -> date:
        return self.terminated_on or self.end_date

    def in_force_on(self, day: date) -> bool:
        return (
            self.status != ConventionStatus.DRAFT and self.start_date <= day <= self.effective_end
        )

    def report_due_in(self, year: int) -> date:
        return date(year, self.report_due_month, self.report_due_day)


class FundingEnvelope(models.Model):
    """A yearly regional fund (FIR) the ARS devotes to the structures' coordination."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ars = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ARS"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    region = models.CharField(_("région"), max_length=100)
    label = models.CharField(_("intitulé"), max_length=200)
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    # Where the amount comes from: a decision, or "[document de mission]" for an unverified
    # figure (domain.md §2.5 marks the AURA 265,000 € as [MISSION DOC]).
    source_note = models.TextField(_("source du montant"))
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        ars_id: int

    class Meta:
        verbose_name = _("enveloppe FIR")
        verbose_name_plural = _("enveloppes FIR")
        ordering = ["-year", "label"]
        constraints = [
            models.UniqueConstraint(fields=["ars", "year", "label"], name="envelope_unique_label"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="envelope_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.year})"


COORDINATION_PURPOSE = _("Coordination, suivi et évaluation")


class FundingAllocation(models.Model):
    """A part of an envelope granted to one structure porteuse."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    envelope = models.ForeignKey(
        FundingEnvelope,
        on_delete=models.PROTECT,
        related_name="allocations",
        verbose_name=_("enveloppe"),
    )
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_allocations",
        verbose_name=_("structure porteuse"),
    )
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    purpose = models.CharField(_("objet"), max_length=200)
    decided_on = models.DateField(_("décidée le"))
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        structure_id: int
        envelope_id: int

    class Meta:
        verbose_name = _("allocation FIR")
        verbose_name_plural = _("allocations FIR")
        ordering = ["envelope", "structure__name", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} €"


class PaymentKind(models.TextChoices):
    FORFAIT = "forfait", _("Forfait par patient (prestations)")
    COORDINATION = "coordination", _("Financement de la coordination (FIR)")


class StructurePayment(models.Model):
    """What the ARS actually paid a structure, for a period of one calendar year."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    ars = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ARS"),
    )
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="funding_payments",
        verbose_name=_("structure porteuse"),
    )
    kind = models.CharField(_("nature"), max_length=16, choices=PaymentKind.choices)
    # A forfait is paid under a convention, coordination under an allocation.
    convention = models.ForeignKey(
        Convention,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("convention"),
    )
    allocation = models.ForeignKey(
        FundingAllocation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments",
        verbose_name=_("allocation"),
    )
    amount = models.DecimalField(_("montant"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("versé le"))
    period_start = models.DateField(_("période du"))
    period_end = models.DateField(_("période au"))
    reference = models.CharField(_("référence du versement"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        structure_id: int
        ars_id: int

    class Meta:
        verbose_name = _("versement de l'ARS")
        verbose_name_plural = _("versements de l'ARS")
        ordering = ["-paid_on", "-pk"]
        indexes = [models.Index(fields=["ars", "period_start"])]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="payment_period_ordered"
            ),
            models.CheckConstraint(
                condition=(Q(kind="forfait") & Q(convention__isnull=False))
                | (Q(kind="coordination") & Q(allocation__isnull=False)),
                name="payment_kind_has_its_basis",
            ),
        ]

    def __str__(self) -> str:
        return self.reference
