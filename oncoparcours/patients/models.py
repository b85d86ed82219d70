"""Patients. The foundation keeps identity traits and residence; the PSGAC issue adds INS,
clinical and consent data."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Féminin")
    MALE = "M", _("Masculin")
    UNKNOWN = "U", _("Inconnu")


class Patient(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    birth_name = models.CharField(_("nom de naissance"), max_length=100)
    first_given_name = models.CharField(_("premier prénom de naissance"), max_length=100)
    used_name = models.CharField(_("nom utilisé"), max_length=100, blank=True)
    birth_date = models.DateField(_("date de naissance"))
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex.choices)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        related_name="patients",
        verbose_name=_("commune de résidence"),
    )
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="patients",
        verbose_name=_("structure qui suit le patient"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(_("archivé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("patient")
        ordering = ["birth_name", "first_given_name"]
        indexes = [models.Index(fields=["structure", "birth_name"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.birth_date:%d/%m/%Y})"

    @property
    def display_name(self) -> str:
        return f"{(self.used_name or self.birth_name).upper()} {self.first_given_name}"
