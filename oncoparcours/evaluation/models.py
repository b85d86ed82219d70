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
