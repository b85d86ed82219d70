"""Writes of the annual reports (PSG-17, issue 6 §4).

The web request only queues a job (``annual_report_request``, ``annual_report_correct``); the
worker computes the figures and creates the draft (``annual_report_generate``, the job's
runner). A coordinator comments the draft's sections and submits it; a submitted report is
locked: a correction is a new version that copies the comments, the old one stays as sent.
Refusals carry stable codes and French messages and are logged with codes only.
"""

import logging
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.evaluation.annual_reports import content as report_content
from oncoparcours.evaluation.annual_reports.documents import report_pdf, report_xlsx
from oncoparcours.evaluation.annual_reports.selectors import first_report_year
from oncoparcours.evaluation.exports.build import ExportError
from oncoparcours.evaluation.indicators.definitions import TITLES
from oncoparcours.evaluation.indicators.filters import Filters, Period
from oncoparcours.evaluation.models import (
    AnnualReport,
    AnnualReportEvent,
    AnnualReportEventKind,
    AnnualReportStatus,
    EvaluationJob,
    JobKind,
    JobStatus,
)
from oncoparcours.organisations.models import Organisation

logger = logging.getLogger("oncoparcours.evaluation")

# The PSGAC exists since the décret of 22 December 2020: no report before 2021.
FIRST_YEAR = 2021

LOCKED_MESSAGE = (
    "Ce rapport a été soumis à l'ARS : il ne peut plus être modifié. "
    "Utilisez « Corriger » pour en créer une nouvelle version."
)


def _lock_structure(structure: Organisation) -> None:
    # Serialises the requests of one structure: two clicks never queue two drafts.
    Organisation.objects.select_for_update().filter(pk=structure.pk).first()


def _check_no_pending(
    errors: Errors, structure: Organisation, year: int, field: str = "year"
) -> None:
    if AnnualReport.objects.filter(
        structure=structure, year=year, status=AnnualReportStatus.DRAFT
    ).exists():
        errors.new(
            field,
            _("Un brouillon du rapport %(year)s existe déjà : complétez-le puis soumettez-le."),
            "annual_report.draft_exists",
            year=year,
        )
    elif EvaluationJob.objects.filter(
        kind=JobKind.ANNUAL_REPORT,
        parameters__structure=str(structure.public_id),
        parameters__year=year,
        status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
    ).exists():
        errors.new(
            field,
            _("Le rapport %(year)s est déjà en cours de génération : attendez qu'il se termine."),
            "annual_report.already_running",
            year=year,
        )


def _queue(*, by: Membership, parameters: dict[str, Any]) -> EvaluationJob:
    from oncoparcours.evaluation.jobs import enqueue_after_commit

    job = EvaluationJob.objects.create(
        kind=JobKind.ANNUAL_REPORT,
        parameters=parameters,
        requested_by=by,
        step=_("En attente d'un processus de traitement"),
    )
    enqueue_after_commit(job)
    logger.info(
        "annual_report job=%s year=%s structure=%s requested_by=%s",
        job.public_id,
        parameters["year"],
        parameters["structure"],
        by.public_id,
    )
    return job


def annual_report_request(*, by: Membership, year: int, today: date | None = None) -> EvaluationJob:
    """Queues the generation of the first version of ``by``'s structure's report on ``year``.

    A report covers an ended year, from the year its first signed convention started."""
    today = today or timezone.localdate()
    structure = by.organisation
    errors = Errors()
    first = first_report_year(structure)
    last = today.year - 1
    if first is None:
        errors.new(
            "year",
            _("Aucune convention signée avec l'ARS : aucun rapport annuel n'est dû."),
            "annual_report.no_convention",
        )
    elif not max(first, FIRST_YEAR) <= year <= last:
        if max(first, FIRST_YEAR) > last:
            errors.new(
                "year",
                _(
                    "Le premier rapport portera sur l'année %(first)s : il pourra être généré "
                    "une fois cette année terminée."
                ),
                "annual_report.year_invalid",
                first=max(first, FIRST_YEAR),
            )
        else:
            errors.new(
                "year",
                _("Choisissez une année terminée, entre %(first)s et %(last)s."),
                "annual_report.year_invalid",
                first=max(first, FIRST_YEAR),
                last=last,
            )
    errors.raise_if_any(where="evaluation.annual_report_request", by=by)
    with transaction.atomic():
        _lock_structure(structure)
        _check_no_pending(errors, structure, year)
        if (
            not errors.by_field
            and AnnualReport.objects.filter(
                structure=structure, year=year, status=AnnualReportStatus.SUBMITTED
            ).exists()
        ):
            errors.new(
                "year",
                _(
                    "Le rapport %(year)s a déjà été soumis : utilisez « Corriger » pour en créer "
                    "une nouvelle version."
                ),
                "annual_report.already_submitted",
                year=year,
            )
        errors.raise_if_any(where="evaluation.annual_report_request", by=by)
        return _queue(by=by, parameters={"year": year, "structure": str(structure.public_id)})


def annual_report_correct(*, by: Membership, report: AnnualReport) -> EvaluationJob:
    """Queues a new version of a submitted report (the submitted one never changes)."""
    errors = Errors()
    with transaction.atomic():
        _lock_structure(report.structure)
        report = AnnualReport.objects.select_related("structure").get(pk=report.pk)
        if report.status != AnnualReportStatus.SUBMITTED:
            errors.new(
                "__all__",
                _("Ce rapport n'est pas encore soumis : complétez directement le brouillon."),
                "annual_report.not_submitted",
            )
        else:
            _check_no_pending(errors, report.structure, report.year, "__all__")
        if (
            not errors.by_field
            and AnnualReport.objects.filter(
                structure_id=report.structure_id, year=report.year, version__gt=report.version
            ).exists()
        ):
            errors.new(
                "__all__",
                _("Une version plus récente de ce rapport existe : corrigez la dernière."),
                "annual_report.not_latest",
            )
        errors.raise_if_any(where="evaluation.annual_report_correct", by=by)
        AnnualReportEvent.objects.create(
            report=report, kind=AnnualReportEventKind.CORRECTION_REQUESTED, actor=by
        )
        return _queue(
            by=by,
            parameters={
                "year": report.year,
                "structure": str(report.structure.public_id),
                "supersedes": str(report.public_id),
            },
        )


def compute_content(
    structure: Organisation, year: int, progress: Callable[[int, str], None]
) -> dict[str, Any]:
    """The frozen figures: indicators of the structure's scope for the year (the same
    ``indicator_set`` as the indicators page), its conventions and its funding figures."""
    from oncoparcours.evaluation.selectors import indicator_set, structure_scope
    from oncoparcours.funding.selectors import funding_balance

    progress(5, _("Calcul des indicateurs"))
    scope = structure_scope(str(structure.public_id))
    if scope is None:
        raise ExportError("annual_report.structure_missing")
    computed = indicator_set(scope, Period(year), Filters())
    progress(60, _("Conventions et financement"))
    row = funding_balance(ars_id=None, year=year, structure=structure).rows[0]
    indicators = report_content.indicators_content(computed.results, TITLES)
    conventions = [report_content.convention_dict(c, year) for c in row.conventions]
    return {
        "schema": report_content.SCHEMA,
        "structure": {"public_id": str(structure.public_id), "name": structure.name},
        "year": year,
        "generated_at": timezone.now().isoformat(),
        "indicators": indicators,
        "conventions": conventions,
        "funding": report_content.funding_dict(row),
        "counts": {
            "indicators": len(indicators),
            "computable": sum(1 for item in indicators if item["value"] is not None),
            "conventions": len(conventions),
            "funded_pathways": row.pathways,
        },
    }


def annual_report_generate(
    *, job: EvaluationJob, progress: Callable[[int, str], None]
) -> dict[str, object]:
    """The job's runner: computes the content and creates the draft (a new version when the
    job corrects a submitted report, its comments copied)."""
    year = int(job.parameters["year"])
    structure = Organisation.objects.filter(public_id=job.parameters["structure"]).first()
    if structure is None:
        raise ExportError("annual_report.structure_missing")
    with translation.override("fr"):
        content = compute_content(structure, year, progress)
        progress(90, _("Enregistrement du brouillon"))
    with transaction.atomic():
        _lock_structure(structure)
        if AnnualReport.objects.filter(
            structure=structure, year=year, status=AnnualReportStatus.DRAFT
        ).exists():
            raise ExportError("annual_report.draft_exists")
        previous = None
        if job.parameters.get("supersedes"):
            previous = AnnualReport.objects.filter(
                public_id=job.parameters["supersedes"], structure=structure
            ).first()
            if previous is None or _is_superseded(previous):
                raise ExportError("annual_report.not_latest")
        elif AnnualReport.objects.filter(structure=structure, year=year).exists():
            raise ExportError("annual_report.already_submitted")
        version = (
            AnnualReport.objects.filter(structure=structure, year=year).aggregate(
                last=Max("version")
            )["last"]
            or 0
        ) + 1
        report = AnnualReport.objects.create(
            structure=structure,
            year=year,
            version=version,
            job=job,
            content=content,
            comments=dict(previous.comments) if previous else {},
            overall_comment=previous.overall_comment if previous else "",
            supersedes=previous,
            created_by=job.requested_by,
        )
        AnnualReportEvent.objects.create(
            report=report,
            kind=AnnualReportEventKind.GENERATED,
            actor=job.requested_by,
            data={"job": str(job.public_id), "version": version},
        )
    logger.info("annual_report report=%s version=%s generated", report.public_id, version)
    return {"report": str(report.public_id), "year": year, "version": version}


def _is_superseded(report: AnnualReport) -> bool:
    return AnnualReport.objects.filter(supersedes=report).exists()


def _locked(errors: Errors, report: AnnualReport) -> None:
    if report.is_locked:
        errors.new("__all__", _(LOCKED_MESSAGE), "annual_report.locked")


def annual_report_comment(
    *,
    by: Membership,
    report: AnnualReport,
    comments: Mapping[str, str] | None = None,
    overall_comment: str | None = None,
) -> AnnualReport:
    """Saves the coordinator's comments of a draft; an empty comment removes the section's."""
    errors = Errors()
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().get(pk=report.pk)
        _locked(errors, report)
        errors.raise_if_any(where="evaluation.annual_report_comment", by=by)
        merged = dict(report.comments)
        for section, text in (comments or {}).items():
            if section not in report_content.SECTIONS:
                errors.new(
                    section,
                    _("Section inconnue : %(section)s."),
                    "annual_report.section_unknown",
                    section=section,
                )
                continue
            text = (text or "").strip()
            if len(text) > report_content.COMMENT_MAX_LENGTH:
                errors.new(
                    section,
                    _("Un commentaire ne doit pas dépasser %(max)s caractères."),
                    "annual_report.comment_too_long",
                    max=report_content.COMMENT_MAX_LENGTH,
                )
            elif text:
                merged[section] = text
            else:
                merged.pop(section, None)
        overall = report.overall_comment if overall_comment is None else overall_comment.strip()
        if len(overall) > report_content.COMMENT_MAX_LENGTH:
            errors.new(
                "overall_comment",
                _("Un commentaire ne doit pas dépasser %(max)s caractères."),
                "annual_report.comment_too_long",
                max=report_content.COMMENT_MAX_LENGTH,
            )
        errors.raise_if_any(where="evaluation.annual_report_comment", by=by)
        changed = sorted(
            s for s in set(merged) | set(report.comments) if merged.get(s) != report.comments.get(s)
        )
        if overall != report.overall_comment:
            changed.append("overall_comment")
        report.comments = merged
        report.overall_comment = overall
        report.save(update_fields=["comments", "overall_comment", "updated_at"])
        if changed:
            AnnualReportEvent.objects.create(
                report=report,
                kind=AnnualReportEventKind.COMMENTED,
                actor=by,
                data={"sections": changed},
            )
    return report


def annual_report_submit(
    *, by: Membership, report: AnnualReport, now: datetime | None = None
) -> AnnualReport:
    """Submits a draft to the ARS: locked from now on; its PDF and XLSX are written from the
    frozen content and the comments, so what the ARS downloads is what was submitted."""
    errors = Errors()
    now = now or timezone.now()
    with transaction.atomic():
        report = (
            AnnualReport.objects.select_for_update(of=("self",))
            .select_related("structure")
            .get(pk=report.pk)
        )
        _locked(errors, report)
        errors.raise_if_any(where="evaluation.annual_report_submit", by=by)
        report.status = AnnualReportStatus.SUBMITTED
        report.submitted_by = by
        report.submitted_at = now
        with translation.override("fr"):
            report.pdf.save("rapport.pdf", ContentFile(report_pdf(report)), save=False)
            report.xlsx.save("rapport.xlsx", ContentFile(report_xlsx(report)), save=False)
        report.save(
            update_fields=["status", "submitted_by", "submitted_at", "pdf", "xlsx", "updated_at"]
        )
        AnnualReportEvent.objects.create(
            report=report,
            kind=AnnualReportEventKind.SUBMITTED,
            actor=by,
            data={"version": report.version},
        )
    logger.info(
        "annual_report report=%s version=%s submitted by=%s",
        report.public_id,
        report.version,
        by.public_id,
    )
    return report
