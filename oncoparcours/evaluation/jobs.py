"""Evaluation jobs: requested by a web request or the API, run by a worker (issue 6 §6).

The request only writes a queued ``EvaluationJob`` and sends its id to the queue after commit;
the worker moves it to running, reports progress in short transactions of their own (the page
reads them while the job runs), stores the result file and ends done or failed with a stable
code. Logs carry ids and codes, never data.
"""

import logging
import tempfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.evaluation.exports.build import ExportError, ExportSettings, build_export
from oncoparcours.evaluation.exports.vocabulary import age_bands_for
from oncoparcours.evaluation.models import EvaluationJob, ExportDownload, JobKind, JobStatus
from oncoparcours.regulation.parameters import ParameterNotInForce
from oncoparcours.regulation.selectors import psgac_parameters_at

logger = logging.getLogger("oncoparcours.evaluation")

# The PSGAC exists since the décret of 22 December 2020: no pathway before 2021.
FIRST_YEAR = 2021
# Lists show the latest jobs; older ones stay in the database.
LIST_LIMIT = 50


class TransientJobError(Exception):
    """The database went away: the job was put back in the queue, the task retries."""


def export_request(*, by: Membership, year: int, today: date | None = None) -> EvaluationJob:
    """Queues a pseudonymised export of the pathways prescribed in ``year``."""
    today = today or timezone.localdate()
    errors = Errors()
    if not FIRST_YEAR <= year <= today.year:
        errors.new(
            "year",
            _("Choisissez une année entre %(first)s et %(last)s."),
            "export.year_invalid",
            first=FIRST_YEAR,
            last=today.year,
        )
    with transaction.atomic():
        pending = EvaluationJob.objects.select_for_update().filter(
            kind=JobKind.PSEUDONYMISED_EXPORT,
            parameters__year=year,
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        )
        if pending.exists():
            errors.new(
                "year",
                _("Un export de cette année est déjà en cours : attendez qu'il se termine."),
                "export.already_running",
            )
        errors.raise_if_any(where="evaluation.export_request", by=by)
        job = EvaluationJob.objects.create(
            kind=JobKind.PSEUDONYMISED_EXPORT,
            parameters={"year": year},
            requested_by=by,
            step=_("En attente d'un processus de traitement"),
        )
        public_id = str(job.public_id)
        transaction.on_commit(lambda: _enqueue(public_id))
    logger.info("evaluation job=%s kind=%s requested_by=%s", job.public_id, job.kind, by.public_id)
    return job


def export_job_list_for(actor: Membership) -> list[EvaluationJob]:
    """The organisation's latest export jobs with their requester: one query."""
    return list(
        EvaluationJob.objects.filter(
            kind=JobKind.PSEUDONYMISED_EXPORT,
            requested_by__organisation_id=actor.organisation_id,
        )
        .select_related("requested_by__user")
        .order_by("-created_at", "-pk")[:LIST_LIMIT]
    )


def _enqueue(public_id: str) -> None:
    from oncoparcours.evaluation.tasks import run_evaluation_job

    run_evaluation_job.delay(public_id)


def enqueue_after_commit(job: EvaluationJob) -> None:
    """Sends a queued job to the worker once its row is committed (never run in the request)."""
    public_id = str(job.public_id)
    transaction.on_commit(lambda: _enqueue(public_id))


def _set_progress(job_id: int, percent: int, step: str) -> None:
    # Outside any transaction of the job: each update commits at once, the page sees it.
    EvaluationJob.objects.filter(pk=job_id).update(progress=max(0, min(percent, 100)), step=step)


def job_fail(job: EvaluationJob, code: str) -> None:
    EvaluationJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED,
        error_code=code,
        step=_("Échec"),
        finished_at=timezone.now(),
    )
    logger.warning("evaluation job=%s kind=%s failed code=%s", job.public_id, job.kind, code)


Runner = Callable[[EvaluationJob, Callable[[int, str], None], Any], dict[str, object]]


def _run_pseudonymised_export(
    job: EvaluationJob, progress: Callable[[int, str], None], target: Any
) -> dict[str, object]:
    year = int(job.parameters["year"])
    today = timezone.localdate()
    try:
        params = psgac_parameters_at(min(date(year, 12, 31), today))
    except ParameterNotInForce:
        raise ExportError("export.parameters_missing") from None
    export = ExportSettings(
        year=year,
        k=settings.ONCOPARCOURS_EXPORT_K,
        pepper=settings.ONCOPARCOURS_EXPORT_PEPPER,
        bands=age_bands_for(params),
        today=today,
        generated_at=timezone.localtime(),
    )
    return build_export(export, target, progress)


def _run_annual_report(
    job: EvaluationJob, progress: Callable[[int, str], None], target: Any
) -> dict[str, object]:
    # The report is a row, not a file: its PDF and XLSX are written when it is submitted.
    from oncoparcours.evaluation.annual_reports.services import annual_report_generate

    return annual_report_generate(job=job, progress=progress)


RUNNERS: dict[str, Runner] = {
    JobKind.PSEUDONYMISED_EXPORT: _run_pseudonymised_export,
    JobKind.ANNUAL_REPORT: _run_annual_report,
}


def _claim(public_id: str) -> EvaluationJob | None:
    """Moves a queued job to running. A job already running is taken again from the start: its
    message came back because the worker running it died (acks_late). A finished one never runs
    twice."""
    with transaction.atomic():
        job = EvaluationJob.objects.select_for_update().filter(public_id=public_id).first()
        if job is None or job.is_finished:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.progress = 0
        job.step = _("Démarrage")
        job.error_code = ""
        job.save(update_fields=["status", "started_at", "progress", "step", "error_code"])
    return job


def job_run(public_id: str) -> str:
    """Runs one job to its end; returns its final status (or "skipped")."""
    job = _claim(public_id)
    if job is None:
        return "skipped"
    logger.info("evaluation job=%s kind=%s started", job.public_id, job.kind)
    runner = RUNNERS.get(job.kind)
    if runner is None:
        job_fail(job, "job.kind_unsupported")
        return JobStatus.FAILED
    last = -1

    def progress(percent: int, step: str) -> None:
        nonlocal last
        if percent != last:
            last = percent
            _set_progress(job.pk, percent, step)

    try:
        with tempfile.TemporaryFile() as target:
            metadata = runner(job, progress, target)
            if target.tell():  # a runner that writes no file leaves the job without result
                target.seek(0)
                job.result.save("result.zip", File(target), save=False)
    except ExportError as exc:
        job_fail(job, exc.code)
        return JobStatus.FAILED
    except (OperationalError, InterfaceError) as exc:
        EvaluationJob.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED, progress=0)
        logger.warning("evaluation job=%s requeued error=%s", job.public_id, type(exc).__name__)
        raise TransientJobError(type(exc).__name__) from None
    except Exception as exc:  # the type only is logged: a message may quote data
        job_fail(job, "job.unexpected_error")
        logger.error("evaluation job=%s error=%s", job.public_id, type(exc).__name__)
        return JobStatus.FAILED
    EvaluationJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        progress=100,
        step=_("Terminé"),
        result=job.result.name,
        metadata=metadata,
        finished_at=timezone.now(),
    )
    logger.info(
        "evaluation job=%s kind=%s done rows=%s suppressed=%s generalised=%s",
        job.public_id,
        job.kind,
        metadata.get("rows"),
        metadata.get("suppressed"),
        metadata.get("generalised"),
    )
    return JobStatus.DONE


def download_record(*, job: EvaluationJob, by: Membership) -> ExportDownload:
    """Every download is kept (who, when) and logged with ids."""
    if not job.has_result:
        raise ValidationError(_("Ce résultat n'est pas disponible."), code="export.no_result")
    download = ExportDownload.objects.create(job=job, membership=by)
    logger.info(
        "evaluation download job=%s membership=%s download=%s",
        job.public_id,
        by.public_id,
        download.pk,
    )
    return download


def purge_expired_results(*, now: datetime | None = None) -> int:
    """Deletes result files older than the retention period; the job and its counts stay."""
    now = now or timezone.now()
    limit = now - timedelta(days=settings.ONCOPARCOURS_EXPORT_RETENTION_DAYS)
    expired = EvaluationJob.objects.filter(
        status=JobStatus.DONE, finished_at__lt=limit, result_deleted_at__isnull=True
    ).exclude(result="")
    purged = 0
    for job in expired.iterator(chunk_size=100):
        job.result.delete(save=False)
        EvaluationJob.objects.filter(pk=job.pk).update(result="", result_deleted_at=now)
        logger.info("evaluation job=%s result deleted (retention)", job.public_id)
        purged += 1
    return purged
