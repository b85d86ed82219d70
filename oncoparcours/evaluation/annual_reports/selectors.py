"""Reads of the annual reports: a structure's versions, the ARS's yearly follow-up, due dates."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Min, Q

from oncoparcours.evaluation.models import (
    AnnualReport,
    AnnualReportStatus,
    EvaluationJob,
    JobKind,
    JobStatus,
)
from oncoparcours.funding.models import Convention, ConventionStatus
from oncoparcours.organisations.models import Organisation


def first_report_year(structure: Organisation) -> int | None:
    """The first year a report is due: the start of the structure's first signed convention."""
    first = (
        Convention.objects.filter(structure=structure)
        .exclude(status=ConventionStatus.DRAFT)
        .aggregate(first=Min("start_date"))["first"]
    )
    return None if first is None else first.year


def annual_report_list_for_structure(structure: Organisation) -> list[AnnualReport]:
    """Every version of the structure's reports, newest first: one query."""
    return list(
        AnnualReport.objects.filter(structure=structure)
        .select_related("structure", "supersedes", "submitted_by__user", "created_by__user")
        .defer("content", "supersedes__content")
        .order_by("-year", "-version")
    )


def pending_annual_report_jobs(structure: Organisation) -> list[EvaluationJob]:
    """The structure's generations still queued or running (the page shows their progress)."""
    return list(
        EvaluationJob.objects.filter(
            kind=JobKind.ANNUAL_REPORT,
            parameters__structure=str(structure.public_id),
            status__in=(JobStatus.QUEUED, JobStatus.RUNNING),
        ).order_by("-created_at", "-pk")
    )


def latest_version(structure_id: int, year: int) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(structure_id=structure_id, year=year)
        .order_by("-version")
        .first()
    )


@dataclass
class YearRow:
    """One structure in the ARS's follow-up of a year: its due date, its submitted versions."""

    structure: Organisation
    due: date | None = None
    first_submitted: AnnualReport | None = None
    latest: AnnualReport | None = None
    versions: int = 0
    late: bool = False


@dataclass
class YearFollowUp:
    year: int
    rows: list[YearRow] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for row in self.rows if row.latest is not None)

    @property
    def late(self) -> int:
        return sum(1 for row in self.rows if row.late)


def _is_late(due: date | None, first: AnnualReport | None, today: date) -> bool:
    if due is None:
        return False
    if first is None or first.submitted_at is None:
        return today > due
    # A correction submitted after the due date does not make a report on time late.
    return first.submitted_at.date() > due


def annual_report_follow_up(*, year: int, today: date) -> YearFollowUp:
    """Structures whose signed convention covers ``year`` or who submitted a report on it, with
    their submitted versions only (never a draft). Two queries whatever the number."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    conventions = (
        Convention.objects.filter(start_date__lte=end)
        .filter(Q(terminated_on__isnull=True, end_date__gte=start) | Q(terminated_on__gte=start))
        .exclude(status=ConventionStatus.DRAFT)
        .select_related("structure")
        .order_by("start_date", "pk")
    )
    rows: dict[int, YearRow] = {}
    for convention in conventions:
        row = rows.setdefault(convention.structure_id, YearRow(structure=convention.structure))
        # The latest convention of the year sets the due date (PSG-17: due the next year).
        row.due = convention.report_due_in(year + 1)
    submitted = (
        AnnualReport.objects.filter(year=year, status=AnnualReportStatus.SUBMITTED)
        .select_related("structure", "submitted_by__user")
        .defer("content")
        .order_by("version")
    )
    for report in submitted:
        row = rows.setdefault(report.structure_id, YearRow(structure=report.structure))
        row.first_submitted = row.first_submitted or report
        row.latest = report
        row.versions += 1
    for row in rows.values():
        row.late = _is_late(row.due, row.first_submitted, today)
    ordered = sorted(rows.values(), key=lambda r: (r.structure.name, r.structure.pk))
    return YearFollowUp(year=year, rows=ordered)


def annual_report_list_submitted(*, year: int | None = None) -> list[AnnualReport]:
    """Submitted versions of every structure (the ARS's API list): one query."""
    reports = AnnualReport.objects.filter(status=AnnualReportStatus.SUBMITTED)
    if year is not None:
        reports = reports.filter(year=year)
    return list(
        reports.select_related("structure", "supersedes", "submitted_by__user", "created_by__user")
        .defer("content", "supersedes__content")
        .order_by("-year", "structure__name", "-version")
    )
