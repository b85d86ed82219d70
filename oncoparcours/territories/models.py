"""AURA geography: departments, EPCI, communes, and intervention territories."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """Établissement public de coopération intercommunale (communauté de communes, métropole…)."""

    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("nature"), max_length=10)
    population = models.PositiveIntegerField(_("population"), default=0)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    insee_code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    # Lower-case, accent-free name: the search key (accent-insensitive on SQLite and PostgreSQL).
    search_name = models.CharField(max_length=100, db_index=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, related_name="communes", null=True, blank=True
    )
    population = models.PositiveIntegerField(_("population"), default=0)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("commune")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.insee_code})"


class CommunePostalCode(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="postal_codes")
    postal_code = models.CharField(_("code postal"), max_length=5, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "postal_code"], name="commune_postal_code_unique"
            )
        ]
        ordering = ["postal_code"]

    def __str__(self) -> str:
        return f"{self.postal_code} {self.commune.name}"


class InterventionTerritory(models.Model):
    """A named, editable group of communes where a structure porteuse intervenes."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="territories",
        verbose_name=_("structure porteuse"),
    )
    communes = models.ManyToManyField(Commune, related_name="territories", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("territoire d'intervention")
        verbose_name_plural = _("territoires d'intervention")
        ordering = ["name"]
        constraints = [
            # Archiving a territory frees its name for a new one in the same structure.
            models.UniqueConstraint(
                fields=["structure", "name"],
                condition=models.Q(archived_at__isnull=True),
                name="territory_name_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name
