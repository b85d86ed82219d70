import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.identifiers import validate_finess, validate_postal_code, validate_siret

ORG_KIND_LABELS = {
    OrgKind.STRUCTURE_PORTEUSE: _("Structure porteuse"),
    OrgKind.HEALTH_ESTABLISHMENT: _("Établissement de santé"),
    OrgKind.DAPAP: _("DAPAP"),
    OrgKind.PATIENT_ASSOCIATION: _("Association de patients"),
    OrgKind.ARS: _("Agence régionale de santé"),
    OrgKind.DSRC: _("Dispositif spécifique régional du cancer"),
    OrgKind.COMMUNITY_PRACTICE: _("Cabinet libéral"),
    OrgKind.PHARMACY: _("Pharmacie d'officine"),
}
ORG_KIND_CHOICES = [(kind.value, label) for kind, label in ORG_KIND_LABELS.items()]


class StructureType(models.TextChoices):
    """Legal forms a structure porteuse may take in AURA (PSG-18)."""

    ASSOCIATION = "association", _("Association")
    MSP = "msp", _("Maison de santé pluriprofessionnelle (MSP)")
    CPTS = "cpts", _("Communauté professionnelle territoriale de santé (CPTS)")
    HEALTH_CENTRE = "health_centre", _("Centre de santé")
    SMR = "smr", _("Soins médicaux et de réadaptation (SMR)")
    HOSPITAL = "hospital", _("Établissement hospitalier")


class Organisation(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("raison sociale"), max_length=200)
    kind = models.CharField(_("type d'organisation"), max_length=32, choices=ORG_KIND_CHOICES)
    structure_type = models.CharField(
        _("forme de la structure porteuse"),
        max_length=32,
        choices=StructureType.choices,
        blank=True,
    )
    finess_ej = models.CharField(
        _("FINESS juridique (EJ)"), max_length=9, blank=True, validators=[validate_finess]
    )
    finess_et = models.CharField(
        _("FINESS géographique (ET)"), max_length=9, blank=True, validators=[validate_finess]
    )
    siret = models.CharField(_("SIRET"), max_length=14, blank=True, validators=[validate_siret])
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postal_code = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[validate_postal_code]
    )
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("commune"),
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    # Audiences (PSG-19): AJA and paediatric schemes are structures serving only those publics.
    serves_adults = models.BooleanField(_("accueille des adultes"), default=True)
    serves_aja = models.BooleanField(_("accueille des AJA (15-25 ans)"), default=False)
    serves_children = models.BooleanField(_("accueille des enfants"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(_("archivée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["finess_et"], condition=~models.Q(finess_et=""), name="org_finess_et_unique"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=~models.Q(siret=""), name="org_siret_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind_label(self) -> str:
        return str(ORG_KIND_LABELS[OrgKind(self.kind)])
