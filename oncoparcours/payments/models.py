"""What a structure porteuse owes its contracted professionals (PSG-14, issue 4 §6).

A completed act of a professional under a *contracted* contract gives one ``PayableLine`` at
the contract's rate in force on the act's day (PSG-07/08 capped it). Salaried professionals
are paid by their salary: their acts give no line. Lines are gathered on a monthly
``Statement`` per professional and structure: draft, then validated (total frozen), then
paid. History is never edited: a line's amount never changes, a voided act gets a correcting
line (negative, ``corrects`` the original), and a validated statement's lines never change.
"""

import uuid
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    VALIDATED = "validated", _("Validé")
    PAID = "paid", _("Payé")


FROZEN_STATUSES = frozenset({StatementStatus.VALIDATED, StatementStatus.PAID})


class Statement(models.Model):
    """One professional's monthly statement in one structure."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("structure porteuse"),
    )
    professional = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("professionnel"),
    )
    # The first day of the month.
    month = models.DateField(_("mois"))
    status = models.CharField(
        _("statut"), max_length=12, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    # Stored at validation (the sum of the lines, to the cent); null while draft.
    total = models.DecimalField(_("total"), max_digits=10, decimal_places=2, null=True, blank=True)
    # Null: prepared by the monthly job.
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    validated_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validé par"),
    )
    validated_at = models.DateTimeField(_("validé le"), null=True, blank=True)
    paid_on = models.DateField(_("payé le"), null=True, blank=True)
    paid_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paiement enregistré par"),
    )
    paid_at = models.DateTimeField(_("paiement enregistré le"), null=True, blank=True)
    payment_reference = models.CharField(_("référence du paiement"), max_length=100, blank=True)

    if TYPE_CHECKING:
        structure_id: int
        professional_id: int

    class Meta:
        verbose_name = _("relevé de paiement")
        verbose_name_plural = _("relevés de paiement")
        ordering = ["-month", "professional__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "professional", "month"], name="statement_one_per_month"
            ),
            models.CheckConstraint(
                condition=Q(status=StatementStatus.DRAFT) | Q(total__isnull=False),
                name="statement_frozen_has_total",
            ),
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.PAID) | Q(paid_on__isnull=False),
                name="statement_paid_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Relevé {self.month:%m/%Y} {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.status == StatementStatus.DRAFT


class PayableLine(models.Model):
    """What one completed act is worth to the professional, or the reversal of that."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="payable_lines",
        verbose_name=_("structure porteuse"),
    )
    professional = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="payable_lines",
        verbose_name=_("professionnel"),
    )
    act = models.ForeignKey(
        "pathways.Act",
        on_delete=models.PROTECT,
        related_name="payable_lines",
        verbose_name=_("prestation"),
    )
    contract = models.ForeignKey(
        "professionals.Contract",
        on_delete=models.PROTECT,
        related_name="payable_lines",
        verbose_name=_("contrat"),
    )
    amount = models.DecimalField(_("montant"), max_digits=8, decimal_places=2)
    # The first day of the month the line is accounted in.
    month = models.DateField(_("mois"))
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lines",
        verbose_name=_("relevé"),
    )
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction",
        verbose_name=_("corrige la ligne"),
    )
    reason = models.TextField(_("motif"), blank=True)
    created_by = models.ForeignKey(
        "accounts.Membership", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        structure_id: int
        professional_id: int
        statement_id: int | None
        corrects_id: int | None

    class Meta:
        verbose_name = _("ligne à payer")
        verbose_name_plural = _("lignes à payer")
        ordering = ["month", "created_at", "pk"]
        indexes = [models.Index(fields=["structure", "professional", "statement"])]
        constraints = [
            # One original line per act; its reversal is the only other line of the act.
            models.UniqueConstraint(
                fields=["act"], condition=Q(corrects__isnull=True), name="payable_line_one_per_act"
            ),
            models.CheckConstraint(
                condition=(Q(corrects__isnull=True) & Q(amount__gte=Decimal("0")))
                | (Q(corrects__isnull=False) & Q(amount__lte=Decimal("0"))),
                name="payable_line_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"Ligne {self.public_id}"

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None
