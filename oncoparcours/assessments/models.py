"""What a professional measured and concluded at a prestation (issue 4 §2; domain §9).

An ``Assessment`` is the form filled for one act (a bilan or a follow-up consultation); each
scored instrument is an ``InstrumentRecord`` holding exactly what the pure scoring function
returned (``InstrumentResult.as_record()``), so a stored result stays interpretable when an
equation or a norm changes (the version says which one was used).

A correction never edits a submitted assessment: the author submits a new one for the same act,
which supersedes the previous (kept, with ``superseded_at``); one current assessment per act.
"""

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    act = models.ForeignKey(
        "pathways.Act",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("prestation"),
    )
    # Copied from the act so the pathway page and the outcomes read one table.
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("parcours"),
    )
    kind = models.CharField(_("prestation"), max_length=24)
    performed_on = models.DateField(_("réalisé le"))
    # Answers that are not scored (barriers, motivation, intake estimate, observations…), by
    # field code; the form of each prestation says which codes it has.
    observations = models.JSONField(_("observations"), default=dict, blank=True)
    summary = models.TextField(_("synthèse"), blank=True)
    submitted_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("saisi par"),
    )
    submitted_at = models.DateTimeField(_("saisi le"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("remplacé par"),
    )

    if TYPE_CHECKING:
        act_id: int
        pathway_id: int
        results: RelatedManager["InstrumentRecord"]

    class Meta:
        verbose_name = _("bilan ou consultation saisi")
        verbose_name_plural = _("bilans et consultations saisis")
        ordering = ["performed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["act"],
                condition=models.Q(superseded_at__isnull=True),
                name="assessment_one_current_per_act",
            ),
        ]
        indexes = [models.Index(fields=["pathway", "performed_on"])]

    def __str__(self) -> str:
        return f"Saisie {self.public_id}"


class InstrumentRecord(models.Model):
    """One scored instrument of an assessment: ``InstrumentResult.as_record()`` as stored."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="results", verbose_name=_("saisie")
    )
    position = models.PositiveSmallIntegerField(default=0)
    instrument = models.CharField(_("instrument"), max_length=40)
    version = models.CharField(_("version"), max_length=40)
    answers = models.JSONField(_("réponses"), default=dict)
    # Numeric for ordering and charts; the exact value is also in ``record`` as a string.
    score = models.DecimalField(_("score"), max_digits=10, decimal_places=3, null=True, blank=True)
    subscores = models.JSONField(_("sous-scores"), default=dict, blank=True)
    interpretation_code = models.CharField(_("interprétation (code)"), max_length=40, blank=True)
    interpretation_label = models.CharField(_("interprétation"), max_length=250, blank=True)
    sub_interpretations = models.JSONField(_("interprétations des sous-scores"), default=dict)
    flags = models.JSONField(_("signalements"), default=list, blank=True)

    if TYPE_CHECKING:
        assessment_id: int

    class Meta:
        verbose_name = _("résultat d'instrument")
        verbose_name_plural = _("résultats d'instruments")
        ordering = ["assessment", "position", "pk"]
        indexes = [models.Index(fields=["instrument", "assessment"])]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.version})"


class ActivityType(models.TextChoices):
    ENDURANCE = "endurance", _("Endurance (marche, vélo, natation…)")
    STRENGTH = "strength", _("Renforcement musculaire")
    BALANCE = "balance", _("Équilibre et prévention des chutes")
    FLEXIBILITY = "flexibility", _("Souplesse, mobilité")
    DAILY_LIFE = "daily_life", _("Activités de la vie quotidienne (trajets actifs, escaliers…)")
    MIND_BODY = "mind_body", _("Activités corps-esprit (yoga, tai-chi, qi gong)")


class Intensity(models.TextChoices):
    LIGHT = "light", _("Légère")
    MODERATE = "moderate", _("Modérée")
    VIGOROUS = "vigorous", _("Élevée")


class ApaProject(models.Model):
    """The *projet d'activité physique adaptée* written after the APA assessment and given to
    the patient (issue 4 §3). A revision is a new project superseding the previous one."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.PROTECT,
        related_name="apa_projects",
        verbose_name=_("parcours"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="apa_projects",
        verbose_name=_("bilan d'activité physique"),
    )
    goals = models.TextField(_("objectifs"))
    activity_types = models.JSONField(_("types d'activité"), default=list)
    sessions_per_week = models.PositiveSmallIntegerField(_("séances par semaine"))
    intensity = models.CharField(_("intensité"), max_length=12, choices=Intensity.choices)
    session_minutes = models.PositiveSmallIntegerField(_("durée d'une séance (minutes)"))
    precautions = models.TextField(_("précautions"), blank=True)
    suggested_offers = models.ManyToManyField(
        "directory.Offer", blank=True, related_name="+", verbose_name=_("offres proposées")
    )
    other_suggestions = models.TextField(_("autres lieux ou activités proposés"), blank=True)
    written_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rédigé par"),
    )
    written_at = models.DateTimeField(_("rédigé le"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("remplacé le"), null=True, blank=True)

    if TYPE_CHECKING:
        pathway_id: int

    class Meta:
        verbose_name = _("projet d'activité physique adaptée")
        verbose_name_plural = _("projets d'activité physique adaptée")
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Projet APA {self.public_id}"
