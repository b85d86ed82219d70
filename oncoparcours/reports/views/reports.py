"""A report: its page with the deliveries and why some were withheld, the PDF, a resend."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.pathways.models import Pathway
from oncoparcours.reports import services
from oncoparcours.reports.documents import prestation_label
from oncoparcours.reports.forms import ResendForm
from oncoparcours.reports.models import Report
from oncoparcours.reports.permissions import access_delivery, access_report, can_use_reports
from oncoparcours.reports.selectors import reports_for_pathway


def _reporting_member(request: HttpRequest) -> Membership:
    actor = acting_membership(request)
    if not can_use_reports(actor):
        raise PermissionDenied
    return actor


def report_rows(reports: list[Report]) -> list[dict[str, Any]]:
    return [
        {
            "report": report,
            "label": prestation_label(report.kind),
            "deliveries": list(report.deliveries.all()),
        }
        for report in reports
    ]


def render_report(
    request: HttpRequest, report: Report, form: ResendForm | None = None, failed: str = ""
) -> HttpResponse:
    ctx = {
        "report": report,
        "pathway": report.pathway,
        "patient": report.pathway.patient,
        "label": prestation_label(report.kind),
        "deliveries": list(report.deliveries.all()),
        "form": form or ResendForm(),
        "failed_delivery": failed,
    }
    return render(request, "reports/detail.html", ctx)


@login_required
def report_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _reporting_member(request)
    return render_report(request, access_report(actor, public_id))


@login_required
def report_pdf(request: HttpRequest, public_id: UUID) -> FileResponse:
    actor = _reporting_member(request)
    report = access_report(actor, public_id)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"compte-rendu-{report.public_id}.pdf",
        content_type="application/pdf",
    )


@login_required
@require_POST
def delivery_resend(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _reporting_member(request)
    delivery = access_delivery(actor, public_id)
    form = ResendForm(request.POST)
    if form.is_valid():
        try:
            services.report_resend(
                by=actor, delivery=delivery, address=form.cleaned_data["address"]
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("Compte rendu remis en envoi."))
            return redirect("reports:detail", public_id=delivery.report.public_id)
    report = access_report(actor, delivery.report.public_id)
    return render_report(request, report, form, failed=str(delivery.public_id))


def pathway_reports_context(actor: Membership, pathway: Pathway) -> dict[str, Any]:
    """What the pathway page's "Comptes rendus" section needs: nothing (and no query) for a
    role that does not read reports; the reports (two queries), the current APA project."""
    from oncoparcours.reports.views.apa_project import apa_project_context

    if not can_use_reports(actor):
        return {"reports_section": None}
    reports = list(reports_for_pathway(pathway, actor))
    return {
        "reports_section": {
            "rows": report_rows(reports),
            **apa_project_context(actor, pathway),
        }
    }
