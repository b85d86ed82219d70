"""Pages of the annual report to the ARS (PSG-17, issue 6 §4, §6).

The coordinator's list starts a generation (a job: the page never computes), follows its
progress (the page reloads itself, no script), opens a draft to comment each section, submits
it and corrects it by a new version. The ARS analyst follows a year: every structure expected to
report, its due date, the late ones, and the submitted versions (never a draft).
"""

import logging
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.evaluation.annual_reports import selectors, services
from oncoparcours.evaluation.annual_reports.content import (
    COMMENT_MAX_LENGTH,
    CONVENTIONS,
    FUNDING,
    FUNDING_FIELDS,
    SECTIONS,
    due_date,
    funding_labels,
    section_titles,
)
from oncoparcours.evaluation.annual_reports.services import FIRST_YEAR
from oncoparcours.evaluation.models import AnnualReport
from oncoparcours.evaluation.permissions import (
    access_annual_report,
    access_annual_report_job,
    can_edit_annual_report,
    can_manage_annual_reports,
    can_read_submitted_annual_reports,
)

logger = logging.getLogger("oncoparcours.evaluation")

# Seconds between two reloads of a page while a generation runs.
REFRESH_SECONDS = 3


class AnnualReportRequestForm(DsfrFormMixin, forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Année du rapport"))


class AnnualReportYearForm(DsfrFormMixin, forms.Form):
    annee = forms.IntegerField(label=gettext_lazy("Année"), min_value=FIRST_YEAR, required=False)


class AnnualReportCommentForm(DsfrFormMixin, forms.Form):
    overall_comment = forms.CharField(
        label=gettext_lazy("Commentaire général"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, titles: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in SECTIONS:
            self.fields[code] = forms.CharField(
                label=_("Commentaire — %(section)s") % {"section": titles.get(code, code)},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 3, "class": "fr-input"}),
            )


def _actor(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


@login_required
def annual_report_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if can_read_submitted_annual_reports(actor) and request.method == "GET":
        return _follow_up(request)
    if not can_manage_annual_reports(actor):
        raise PermissionDenied
    assert actor is not None
    today = timezone.localdate()
    form = AnnualReportRequestForm(request.POST or None, initial={"year": today.year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            job = services.annual_report_request(by=actor, year=form.cleaned_data["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Génération demandée : le rapport est calculé en arrière-plan.")
            )
            return redirect("evaluation:annual-report-job", public_id=job.public_id)
    pending = selectors.pending_annual_report_jobs(actor.organisation)
    ctx = {
        "form": form,
        "reports": selectors.annual_report_list_for_structure(actor.organisation),
        "pending": pending,
        "refresh": bool(pending),
        "refresh_seconds": REFRESH_SECONDS * 2,
        "year": today.year - 1,
    }
    return render(request, "evaluation/annual_reports.html", ctx)


def _follow_up(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = AnnualReportYearForm(request.GET or None)
    year = today.year - 1
    if form.is_valid() and form.cleaned_data["annee"]:
        year = form.cleaned_data["annee"]
    ctx = {
        "form": form,
        "follow_up": selectors.annual_report_follow_up(year=year, today=today),
        "year": year,
    }
    return render(request, "evaluation/annual_reports_ars.html", ctx)


@login_required
def annual_report_job(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = access_annual_report_job(_actor(request), public_id)
    report = getattr(job, "annual_report", None)
    ctx = {
        "job": job,
        "report": report,
        "refresh": not job.is_finished,
        "refresh_seconds": REFRESH_SECONDS,
    }
    return render(request, "evaluation/annual_report_job.html", ctx)


def _sections(report: AnnualReport, form: AnnualReportCommentForm | None) -> list[dict[str, Any]]:
    titles = section_titles(report.content)
    items = {item["code"]: item for item in report.content["indicators"]}
    return [
        {
            "code": code,
            "title": titles.get(code, code),
            "item": items.get(code),
            "comment": report.comments.get(code, ""),
            "field": form[code] if form is not None else None,
        }
        for code in SECTIONS
        if code in titles
    ]


@login_required
def annual_report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    report = access_annual_report(actor, public_id)
    editable = can_edit_annual_report(actor, report)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    titles = section_titles(report.content)
    form = None
    if editable and not report.is_locked:
        initial = {**report.comments, "overall_comment": report.overall_comment}
        form = AnnualReportCommentForm(request.POST or None, initial=initial, titles=titles)
        if request.method == "POST" and form.is_valid():
            assert actor is not None
            try:
                services.annual_report_comment(
                    by=actor,
                    report=report,
                    comments={code: form.cleaned_data[code] for code in SECTIONS},
                    overall_comment=form.cleaned_data["overall_comment"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Commentaires enregistrés."))
                return redirect("evaluation:annual-report", public_id=report.public_id)
    elif request.method == "POST":
        # A submitted report: nothing to save (the service would refuse it too).
        messages.error(request, _(services.LOCKED_MESSAGE))
        return redirect("evaluation:annual-report", public_id=report.public_id)
    labels = funding_labels()
    ctx = {
        "report": report,
        "content": report.content,
        "form": form,
        "editable": editable,
        "sections": _sections(report, form),
        "conventions_title": titles[CONVENTIONS],
        "conventions_comment": report.comments.get(CONVENTIONS, ""),
        "conventions_field": form[CONVENTIONS] if form is not None else None,
        "funding_title": titles[FUNDING],
        "funding_comment": report.comments.get(FUNDING, ""),
        "funding_field": form[FUNDING] if form is not None else None,
        "funding_rows": [(labels[n], report.content["funding"][n]) for n in FUNDING_FIELDS],
        "funding_pathways": (labels["pathways"], report.content["funding"]["pathways"]),
        "due": due_date(report.content["conventions"]),
        "newer": _newer(report, editable),
    }
    return render(request, "evaluation/annual_report.html", ctx)


def _newer(report: AnnualReport, editable: bool) -> AnnualReport | None:
    """The version correcting this one; the ARS never learns of a draft."""
    newer = AnnualReport.objects.filter(supersedes=report).only("public_id", "version", "status")
    found = newer.first()
    return found if found is not None and (editable or found.is_locked) else None


def _editable_report(request: HttpRequest, public_id: UUID) -> tuple[Membership, AnnualReport]:
    actor = _actor(request)
    report = access_annual_report(actor, public_id)
    if not can_edit_annual_report(actor, report):
        raise PermissionDenied
    assert actor is not None
    return actor, report


@login_required
@require_POST
def annual_report_submit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, report = _editable_report(request, public_id)
    try:
        services.annual_report_submit(by=actor, report=report)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Rapport soumis à l'ARS : il ne peut plus être modifié."))
    return redirect("evaluation:annual-report", public_id=report.public_id)


@login_required
@require_POST
def annual_report_correct(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, report = _editable_report(request, public_id)
    try:
        job = services.annual_report_correct(by=actor, report=report)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("evaluation:annual-report", public_id=report.public_id)
    messages.success(request, _("Correction demandée : une nouvelle version est calculée."))
    return redirect("evaluation:annual-report-job", public_id=job.public_id)


DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def document_response(
    report: AnnualReport, kind: str, by: Membership | None = None
) -> FileResponse:
    """The submitted report's file (raises Http404 for a draft: written at submission); each
    download is logged with ids."""
    file: FieldFile = report.pdf if kind == "pdf" else report.xlsx
    if not report.is_locked or not file:
        raise Http404
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    logger.info(
        "annual_report download report=%s kind=%s membership=%s",
        report.public_id,
        kind,
        getattr(by, "public_id", "-"),
    )
    name = f"rapport-annuel-{report.year}-v{report.version}-{report.public_id}.{kind}"
    return FileResponse(
        handle, as_attachment=True, filename=name, content_type=DOCUMENT_TYPES[kind]
    )


@login_required
def annual_report_pdf(request: HttpRequest, public_id: UUID) -> FileResponse:
    report = access_annual_report(_actor(request), public_id)
    return document_response(report, "pdf", _actor(request))


@login_required
def annual_report_xlsx(request: HttpRequest, public_id: UUID) -> FileResponse:
    report = access_annual_report(_actor(request), public_id)
    return document_response(report, "xlsx", _actor(request))
