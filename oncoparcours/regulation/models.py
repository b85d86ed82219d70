import uuid
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from oncoparcours.regulation.catalogue import PARAMETER_CHOICES, PARAMETERS, ParameterSpec


class RegulatoryParameter(models.Model):
    """One version of a regulatory number, in force from ``effective_from`` to ``effective_to``
    (inclusive; None = until further notice).

    Versions are only ever added (``services.parameter_version_create``): adding one closes the
    open version the day before, and nothing else is edited, so an act priced under an earlier
    version keeps its meaning.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(_("paramètre"), max_length=64, choices=PARAMETER_CHOICES)
    value = models.DecimalField(_("valeur"), max_digits=10, decimal_places=2)
    effective_from = models.DateField(_("en vigueur à partir du"))
    effective_to = models.DateField(_("en vigueur jusqu'au"), null=True, blank=True)
    source = models.TextField(_("texte de référence"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    created_at = models.DateTimeField(_("saisi le"), auto_now_add=True)

    class Meta:
        verbose_name = _("paramètre réglementaire")
        verbose_name_plural = _("paramètres réglementaires")
        ordering = ["key", "-effective_from"]
        constraints = [
            # Non-overlap across all versions is the service's check (SQLite has no exclusion
            # constraint); these catch the cases a stray write could still produce.
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="regulatory_parameter_unique_start"
            ),
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(effective_to__isnull=True),
                name="regulatory_parameter_one_open_version",
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=F("effective_from")),
                name="regulatory_parameter_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="regulatory_parameter_value_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.effective_from.isoformat()})"

    @property
    def spec(self) -> ParameterSpec:
        return PARAMETERS[self.key]

    @property
    def display_value(self) -> str:
        return self.spec.display(Decimal(self.value))

    def in_force_on(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)
