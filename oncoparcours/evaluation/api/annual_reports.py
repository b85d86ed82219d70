"""Annual reports to the ARS (PSG-17, issue 6 §4): start a generation (202, computed in the
background), follow it, read a report (content, comments, status), comment, submit, correct,
download the submitted PDF/XLSX; the ARS lists the submitted versions. The coordinator for their
structure; the ARS analyst reads submitted versions only."""

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest
from ninja import Schema
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.evaluation.annual_reports import selectors, services
from oncoparcours.evaluation.api.base import router
from oncoparcours.evaluation.models import AnnualReport, EvaluationJob
from oncoparcours.evaluation.permissions import (
    access_annual_report,
    access_annual_report_job,
    can_edit_annual_report,
    can_manage_annual_reports,
    can_read_submitted_annual_reports,
)
from oncoparcours.evaluation.views.annual_reports import document_response


class AnnualReportRequestIn(Schema):
    year: int


class AnnualReportJobOut(Schema):
    id: UUID
    year: int
    status: str
    progress: int
    step: str
    error_code: str
    created_at: datetime
    finished_at: datetime | None
    report_id: UUID | None


class AnnualReportSummaryOut(Schema):
    id: UUID
    structure_id: UUID
    structure_name: str
    year: int
    version: int
    status: str
    submitted_at: datetime | None
    supersedes_id: UUID | None
    pdf_url: str | None
    xlsx_url: str | None


class AnnualReportOut(AnnualReportSummaryOut):
    content: dict[str, Any]
    comments: dict[str, str]
    overall_comment: str


class AnnualReportCommentIn(Schema):
    comments: dict[str, str] = {}
    overall_comment: str | None = None


def _job_out(job: EvaluationJob) -> AnnualReportJobOut:
    report = job.metadata.get("report")
    return AnnualReportJobOut(
        id=job.public_id,
        year=int(job.parameters["year"]),
        status=job.status,
        progress=job.progress,
        step=job.step,
        error_code=job.error_code,
        created_at=job.created_at,
        finished_at=job.finished_at,
        report_id=UUID(report) if report else None,
    )


def _summary(report: AnnualReport) -> dict[str, Any]:
    base = f"/api/v1/evaluation/annual-reports/{report.public_id}"
    return {
        "id": report.public_id,
        "structure_id": report.structure.public_id,
        "structure_name": report.structure.name,
        "year": report.year,
        "version": report.version,
        "status": report.status,
        "submitted_at": report.submitted_at,
        "supersedes_id": report.supersedes.public_id if report.supersedes else None,
        "pdf_url": f"{base}/pdf" if report.is_locked else None,
        "xlsx_url": f"{base}/xlsx" if report.is_locked else None,
    }


def _out(report: AnnualReport) -> AnnualReportOut:
    return AnnualReportOut(
        **_summary(report),
        content=report.content,
        comments=report.comments,
        overall_comment=report.overall_comment,
    )


def _coordinator(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_manage_annual_reports(current):
        raise forbidden()
    return current


def _report(request: HttpRequest, report_id: UUID, *, edit: bool = False) -> AnnualReport:
    current = actor(request)
    try:
        report = access_annual_report(current, report_id)
    except PermissionDenied:
        raise forbidden() from None
    except Http404:
        raise not_found() from None
    if edit and not can_edit_annual_report(current, report):
        raise forbidden()
    return report


@router.post(
    "/annual-reports",
    response={202: AnnualReportJobOut},
    summary="Générer le rapport annuel d'une année (calculé en arrière-plan)",
)
def annual_report_start(
    request: HttpRequest, payload: AnnualReportRequestIn
) -> Status[AnnualReportJobOut]:
    job = services.annual_report_request(by=_coordinator(request), year=payload.year)
    job.refresh_from_db()  # eager in tests: the job may already have run
    return Status(202, _job_out(job))


@router.get(
    "/annual-reports",
    response=list[AnnualReportSummaryOut],
    summary="Rapports annuels (la structure : toutes ses versions ; l'ARS : les versions soumises)",
)
def annual_report_list(request: HttpRequest, year: int | None = None) -> list[dict[str, Any]]:
    current = actor(request)
    if can_read_submitted_annual_reports(current):
        reports = selectors.annual_report_list_submitted(year=year)
    elif can_manage_annual_reports(current):
        reports = [
            r
            for r in selectors.annual_report_list_for_structure(current.organisation)
            if year is None or r.year == year
        ]
    else:
        raise forbidden()
    return [_summary(report) for report in reports]


@router.get(
    "/annual-report-jobs/{job_id}",
    response=AnnualReportJobOut,
    summary="Avancement de la génération d'un rapport annuel",
)
def annual_report_job_get(request: HttpRequest, job_id: UUID) -> AnnualReportJobOut:
    try:
        job = access_annual_report_job(actor(request), job_id)
    except PermissionDenied:
        raise forbidden() from None
    except Http404:
        raise not_found() from None
    return _job_out(job)


@router.get("/annual-reports/{report_id}", response=AnnualReportOut, summary="Un rapport annuel")
def annual_report_get(request: HttpRequest, report_id: UUID) -> AnnualReportOut:
    return _out(_report(request, report_id))


@router.put(
    "/annual-reports/{report_id}/comments",
    response=AnnualReportOut,
    summary="Commenter les sections d'un brouillon (un texte vide retire le commentaire)",
)
def annual_report_comment(
    request: HttpRequest, report_id: UUID, payload: AnnualReportCommentIn
) -> AnnualReportOut:
    report = _report(request, report_id, edit=True)
    services.annual_report_comment(
        by=actor(request),
        report=report,
        comments=payload.comments,
        overall_comment=payload.overall_comment,
    )
    return _out(_report(request, report_id))


@router.post(
    "/annual-reports/{report_id}/submit",
    response=AnnualReportOut,
    summary="Soumettre un brouillon à l'ARS (verrouillé ensuite)",
)
def annual_report_submit(request: HttpRequest, report_id: UUID) -> AnnualReportOut:
    report = _report(request, report_id, edit=True)
    services.annual_report_submit(by=actor(request), report=report)
    return _out(_report(request, report_id))


@router.post(
    "/annual-reports/{report_id}/correct",
    response={202: AnnualReportJobOut},
    summary="Corriger un rapport soumis : une nouvelle version calculée en arrière-plan",
)
def annual_report_correct(request: HttpRequest, report_id: UUID) -> Status[AnnualReportJobOut]:
    report = _report(request, report_id, edit=True)
    job = services.annual_report_correct(by=actor(request), report=report)
    job.refresh_from_db()
    return Status(202, _job_out(job))


@router.get("/annual-reports/{report_id}/pdf", summary="Le PDF d'un rapport soumis")
def annual_report_pdf(request: HttpRequest, report_id: UUID) -> FileResponse:
    try:
        return document_response(_report(request, report_id), "pdf", actor(request))
    except Http404:
        raise not_found() from None


@router.get("/annual-reports/{report_id}/xlsx", summary="Le classeur XLSX d'un rapport soumis")
def annual_report_xlsx(request: HttpRequest, report_id: UUID) -> FileResponse:
    try:
        return document_response(_report(request, report_id), "xlsx", actor(request))
    except Http404:
        raise not_found() from None
