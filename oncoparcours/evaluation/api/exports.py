"""Pseudonymised exports and evaluation jobs (issue 6 §5-7): start one (202, it runs in the
background), follow its status and progress, fetch its result (every download logged). The ARS
analyst only."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from ninja import Schema
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.evaluation import jobs
from oncoparcours.evaluation.api.base import router
from oncoparcours.evaluation.models import EvaluationJob
from oncoparcours.evaluation.permissions import access_job, can_export_pseudonymised


class ExportIn(Schema):
    year: int


class JobOut(Schema):
    id: UUID
    kind: str
    parameters: dict[str, Any]
    status: str
    progress: int
    step: str
    metadata: dict[str, Any]
    error_code: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result_available: bool
    result_url: str | None


def _out(job: EvaluationJob) -> JobOut:
    return JobOut(
        id=job.public_id,
        kind=job.kind,
        parameters=job.parameters,
        status=job.status,
        progress=job.progress,
        step=job.step,
        metadata=job.metadata,
        error_code=job.error_code,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        result_available=job.has_result,
        result_url=f"/api/v1/evaluation/jobs/{job.public_id}/result" if job.has_result else None,
    )


def _analyst(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_export_pseudonymised(current):
        raise forbidden()
    return current


def _job(request: HttpRequest, job_id: UUID) -> tuple[Membership, EvaluationJob]:
    current = _analyst(request)
    try:
        return current, access_job(current, job_id)
    except PermissionDenied:
        raise forbidden() from None
    except Http404:
        raise not_found() from None


@router.post(
    "/exports",
    response={202: JobOut},
    summary="Lancer un export pseudonymisé d'une année (traité en arrière-plan)",
)
def evaluation_export_start(request: HttpRequest, payload: ExportIn) -> Status[JobOut]:
    job = jobs.export_request(by=_analyst(request), year=payload.year)
    job.refresh_from_db()  # eager in tests: the job may already have run
    return Status(202, _out(job))


@router.get("/exports", response=list[JobOut], summary="Exports pseudonymisés demandés")
def evaluation_export_list(request: HttpRequest) -> list[JobOut]:
    return [_out(job) for job in jobs.export_job_list_for(_analyst(request))]


@router.get("/jobs/{job_id}", response=JobOut, summary="Statut et avancement d'un traitement")
def evaluation_job_get(request: HttpRequest, job_id: UUID) -> JobOut:
    return _out(_job(request, job_id)[1])


@router.get(
    "/jobs/{job_id}/result",
    summary="Le résultat d'un traitement terminé (archive zip ; téléchargement enregistré)",
)
def evaluation_job_result(request: HttpRequest, job_id: UUID) -> FileResponse:
    current, job = _job(request, job_id)
    if not job.has_result:
        raise not_found()
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise not_found() from None
    jobs.download_record(job=job, by=current)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"export-pseudonymise-{job.parameters.get('year', '')}-{job.public_id}.zip",
        content_type="application/zip",
    )
