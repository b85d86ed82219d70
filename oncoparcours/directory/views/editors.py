"""Directory editors' pages (ONCO AURA role DIRECTORY_EDITOR, and admins): the offers list with
its filters, create, edit, archive, mark verified."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoparcours.directory import services
from oncoparcours.directory.forms import EditorFilterForm, OfferForm
from oncoparcours.directory.permissions import access_offer
from oncoparcours.directory.selectors import (
    offer_events,
    offer_list_for_editors,
    proposal_list_for_offer,
    stale_before_date,
)
from oncoparcours.directory.views._common import editor

PAGE_SIZE = 50


@login_required
@require_GET
def offer_list(request: HttpRequest) -> HttpResponse:
    editor(request)
    filters = EditorFilterForm(request.GET or None)
    criteria = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    today = timezone.localdate()
    offers = offer_list_for_editors(
        care_type=criteria.get("type") or None,
        department=criteria.get("departement") or None,
        stale_only=bool(criteria.get("a_verifier")),
        archived=bool(criteria.get("archivees")),
        text=criteria.get("q") or "",
        today=today,
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "filters": filters,
        "today": today,
        "stale_before": stale_before_date(today),
    }
    return render(request, "directory/editor/list.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request: HttpRequest) -> HttpResponse:
    by = editor(request)
    form = OfferForm(request.POST or None, initial={"source": "dsrc_verification"})
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(by=by, **form.service_fields())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Offre « %(title)s » créée.") % {"title": offer.title})
            return redirect("directory:offer", public_id=offer.public_id)
    return render(request, "directory/editor/offer_form.html", {"form": form, "offer": None})


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    offer = access_offer(by, public_id)
    if offer.archived_at is not None:
        messages.error(request, _("Une offre archivée ne se modifie plus."))
        return redirect("directory:offer", public_id=offer.public_id)
    initial = OfferForm.initial_from(services.offer_form_initial(offer))
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.offer_update(by=by, offer=offer, **form.service_fields())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Offre mise à jour."))
            return redirect("directory:offer", public_id=offer.public_id)
    return render(request, "directory/editor/offer_form.html", {"form": form, "offer": offer})


@login_required
@require_http_methods(["GET", "POST"])
def offer_archive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    offer = access_offer(by, public_id)
    if request.method == "POST":
        try:
            services.offer_archive(by=by, offer=offer)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("directory:offer", public_id=offer.public_id)
        messages.success(request, _("Offre « %(title)s » archivée.") % {"title": offer.title})
        return redirect("directory:editor-list")
    return render(request, "directory/editor/archive.html", {"offer": offer})


@login_required
@require_POST
def offer_verify(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    offer = access_offer(by, public_id)
    try:
        services.offer_verify(by=by, offer=offer)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Offre marquée comme vérifiée aujourd'hui."))
    return redirect("directory:offer", public_id=offer.public_id)


@login_required
@require_GET
def offer_history(request: HttpRequest, public_id: UUID) -> HttpResponse:
    by = editor(request)
    offer = access_offer(by, public_id)
    ctx = {
        "offer": offer,
        "events": offer_events(offer),
        "proposals": proposal_list_for_offer(offer),
    }
    return render(request, "directory/editor/history.html", ctx)
