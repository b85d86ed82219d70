"""Pages of the pseudonymised export (issue 6 §5, §6): the jobs, one job's progress, its file.

The page of a running job refreshes itself (``<meta http-equiv="refresh">``, no script: the CSP
forbids inline scripts and a page that reloads needs none).
"""

from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.evaluation import jobs
from oncoparcours.evaluation.permissions import access_job, can_export_pseudonymised

# Seconds between two reloads of a job's page while it runs.
REFRESH_SECONDS = 3


class ExportRequestForm(DsfrFormMixin, forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("Année de prescription"),
        help_text=gettext_lazy("Les parcours dont la prescription date de cette année."),
    )


def _actor(request: HttpRequest) -> Membership:
    return acting_membership(request, can_export_pseudonymised)


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = ExportRequestForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.export_request(by=actor, year=form.cleaned_data["year"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Export demandé : il est préparé en arrière-plan."))
            return redirect("evaluation:export-job", public_id=job.public_id)
    jobs_ = jobs.export_job_list_for(actor)
    ctx = {
        "form": form,
        "jobs": jobs_,
        "refresh": any(not job.is_finished for job in jobs_),
        "refresh_seconds": REFRESH_SECONDS * 2,
        "k": settings.ONCOPARCOURS_EXPORT_K,
    }
    return render(request, "evaluation/exports.html", ctx)


@login_required
def export_job(request: HttpRequest, public_id: UUID) -> HttpResponse:
    job = access_job(getattr(request, "membership", None), public_id)
    ctx = {
        "job": job,
        "refresh": not job.is_finished,
        "refresh_seconds": REFRESH_SECONDS,
        "downloads": job.downloads.select_related("membership__user")[:20],
    }
    return render(request, "evaluation/jobs_detail.html", ctx)


@login_required
def export_file(request: HttpRequest, public_id: UUID) -> FileResponse:
    actor = _actor(request)
    job = access_job(actor, public_id)
    if not job.has_result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    jobs.download_record(job=job, by=actor)
    year = job.parameters.get("year", "")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"export-pseudonymise-{year}-{job.public_id}.zip",
        content_type="application/zip",
    )
