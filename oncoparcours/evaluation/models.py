"""Evaluation and steering (issue 6): reads the other apps, writes only its own tables.

``EvaluationJob`` is one long computation (the pseudonymised export now, the annual report
later) run by a worker, never by a web request: the page polls its status and progress, then
offers its result file. Result files are private: stored under a random name, never served as
media, downloaded only through a permission-checked view that logs an ``ExportDownload``.
"""

import uuid
from typing import TYPE_CHECKING

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    PSEUDONYMISED_EXPORT = "pseudonymised_export", _("Export pseudonymisé")
    ANNUAL_REPORT = "annual_report", _("Rapport annuel")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")


def _result_path(instance: "EvaluationJob", filename: str) -> str:
    # A random name: never derived from the parameters or the requester.
    return f"evaluation/{timezone.now():%Y/%m}/{uuid.uuid4()}.zip"


class EvaluationJob(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=32, choices=JobKind.choices)
    # What to compute: {"year": 2026, …}; codes and numbers only.
    parameters = models.JSONField(_("paramètres"), default=dict, blank=True)
    status = models.CharField(
        _("statut"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    step = models.CharField(_("étape"), max_length=120, blank=True)
    result = models.FileField(_("résultat"), upload_to=_result_path, blank=True)
    # Counts for the page and the API: rows, generalised, suppressed, k…
    metadata = models.JSONField(_("métadonnées"), default=dict, blank=True)
    error_code = models.CharField(_("code d'erreur"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Set when the retention period deleted the result file (the job and its counts stay).
    result_deleted_at = models.DateTimeField(_("résultat supprimé le"), null=True, blank=True)

    if TYPE_CHECKING:
        requested_by_id: int

    class Meta:
        verbose_name = _("traitement d'évaluation")
        verbose_name_plural = _("traitements d'évaluation")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-created_at"], name="evaluation_job_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="evaluation_job_progress_max_100"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def has_result(self) -> bool:
        return self.status == JobStatus.DONE and bool(self.result) and not self.result_deleted_at


class ExportDownload(models.Model):
    """Each download of a job's result: who and when (issue 6 §5, every download is logged)."""

    job = models.ForeignKey(
        EvaluationJob, on_delete=models.PROTECT, related_name="downloads", verbose_name=_("export")
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("téléchargé par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)

    class Meta:
        verbose_name = _("téléchargement d'un export")
        verbose_name_plural = _("téléchargements d'exports")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.job_id} {self.at:%Y-%m-%d %H:%M}"

    if TYPE_CHECKING:
        job_id: int


# --- annual report to the ARS (PSG-17, issue 6 §4) ----------------------------------------------


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Soumis à l'ARS")


def _report_document_path(instance: "AnnualReport", filename: str) -> str:
    # A random name, the extension only kept: never the structure's name.
    extension = filename.rsplit(".", 1)[-1]
    return f"evaluation/annual-reports/{timezone.now():%Y}/{uuid.uuid4()}.{extension}"


class AnnualReport(models.Model):
    """One version of a structure's annual report for a year (PSG-17).

    The figures are computed by a job and frozen in ``content`` (JSON); the coordinator comments
    each section of a draft, then submits it: a submitted version is locked (its documents are
    written then) and a correction is a new version (``supersedes``), never an edit.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    structure = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="annual_reports",
        verbose_name=_("structure porteuse"),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("statut"),
        max_length=12,
        choices=AnnualReportStatus.choices,
        default=AnnualReportStatus.DRAFT,
    )
    job = models.OneToOneField(
        EvaluationJob,
        on_delete=models.PROTECT,
        related_name="annual_report",
        verbose_name=_("traitement de génération"),
    )
    # Indicators, conventions, funding and counts as computed by the job (codes and figures).
    content = models.JSONField(_("contenu calculé"), default=dict)
    # {section code: comment}; sections are ``annual_reports.content.SECTIONS``.
    comments = models.JSONField(_("commentaires par section"), default=dict, blank=True)
    overall_comment = models.TextField(_("commentaire général"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("corrige la version"),
    )
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("demandé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("soumis par"),
    )
    submitted_at = models.DateTimeField(_("soumis le"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=_report_document_path, blank=True)
    xlsx = models.FileField(_("classeur XLSX"), upload_to=_report_document_path, blank=True)

    if TYPE_CHECKING:
        structure_id: int
        supersedes_id: int | None

    class Meta:
        verbose_name = _("rapport annuel")
        verbose_name_plural = _("rapports annuels")
        ordering = ["-year", "-version", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "year", "version"], name="annual_report_unique_version"
            ),
            # One draft at a time per structure and year: a correction waits for submission.
            models.UniqueConstraint(
                fields=["structure", "year"],
                condition=models.Q(status="draft"),
                name="annual_report_one_draft",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft")
                | models.Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="annual_report_submitted_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.structure_id} {self.year} v{self.version}"

    @property
    def is_locked(self) -> bool:
        return self.status == AnnualReportStatus.SUBMITTED


class AnnualReportEventKind(models.TextChoices):
    GENERATED = "generated", _("Brouillon généré")
    COMMENTED = "commented", _("Commentaires enregistrés")
    SUBMITTED = "submitted", _("Soumis à l'ARS")
    CORRECTION_REQUESTED = "correction_requested", _("Correction demandée")


class AnnualReportEvent(models.Model):
    """What happened to a report, who and when (the audit trail; codes only in ``data``)."""

    report = models.ForeignKey(
        AnnualReport, on_delete=models.PROTECT, related_name="events", verbose_name=_("rapport")
    )
    kind = models.CharField(_("type"), max_length=24, choices=AnnualReportEventKind.choices)
    actor = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True)
    data = models.JSONField(_("données"), default=dict, blank=True)

    class Meta:
        verbose_name = _("événement d'un rapport annuel")
        verbose_name_plural = _("événements des rapports annuels")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
