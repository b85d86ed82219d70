from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.permissions import acting_membership, is_regional
from oncoparcours.organisations import services
from oncoparcours.organisations.forms import MemberForm, OrganisationFilterForm, OrganisationForm
from oncoparcours.organisations.permissions import (
    access_organisation,
    can_archive_organisation,
    can_change_organisation_kind,
    can_create_organisation,
    can_edit_organisation,
    can_list_organisations,
    can_manage_members,
)
from oncoparcours.organisations.selectors import member_list, organisation_list_for

PAGE_SIZE = 50


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_list_organisations(actor):
        raise PermissionDenied
    regional = is_regional(actor)
    filters = OrganisationFilterForm(request.GET or None) if regional else None
    criteria = filters.cleaned_data if filters is not None and filters.is_valid() else {}
    organisations = organisation_list_for(
        actor,
        kind=criteria.get("kind") or None,
        department=criteria.get("department") or None,
        q=criteria.get("q") or None,
    )
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "filters": filters,
        "can_create": can_create_organisation(actor),
    }
    return render(request, "organisations/list.html", ctx)


@login_required
def organisation_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    organisation = access_organisation(actor, public_id)
    show_members = can_manage_members(actor, organisation)
    ctx = {
        "organisation": organisation,
        "members": member_list(organisation) if show_members else None,
        "can_edit": can_edit_organisation(actor, organisation),
        "can_archive": can_archive_organisation(actor, organisation)
        and organisation.archived_at is None,
        "can_manage_members": show_members and organisation.archived_at is None,
        "actor": actor,
    }
    return render(request, "organisations/detail.html", ctx)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_create_organisation(actor):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, initial={"serves_adults": True})
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(by=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organisation créée."))
            return redirect("organisations:detail", public_id=organisation.public_id)
    ctx = {"form": form, "organisation": None}
    return render(request, "organisations/form.html", ctx)


@login_required
def organisation_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    organisation = access_organisation(actor, public_id)
    if not can_edit_organisation(actor, organisation):
        raise PermissionDenied
    form = OrganisationForm(
        request.POST or None,
        initial=OrganisationForm.initial_for(organisation),
        can_change_kind=can_change_organisation_kind(actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(by=actor, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Organisation modifiée."))
            return redirect("organisations:detail", public_id=organisation.public_id)
    ctx = {"form": form, "organisation": organisation}
    return render(request, "organisations/form.html", ctx)


@login_required
def organisation_archive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    organisation = access_organisation(actor, public_id)
    if not can_archive_organisation(actor, organisation):
        raise PermissionDenied
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.organisation_archive(by=actor, organisation=organisation)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("Organisation archivée."))
            return redirect("organisations:detail", public_id=organisation.public_id)
    ctx = {"organisation": organisation, "errors": errors}
    return render(request, "organisations/archive.html", ctx)


@login_required
def member_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    organisation = access_organisation(actor, public_id)
    if not can_manage_members(actor, organisation):
        raise PermissionDenied
    form = MemberForm(request.POST or None, organisation=organisation, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(
                by=actor,
                organisation=organisation,
                site_domain=request.get_host(),
                use_https=request.is_secure(),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Membre ajouté."))
            return redirect("organisations:detail", public_id=organisation.public_id)
    ctx = {"form": form, "organisation": organisation}
    return render(request, "organisations/member_form.html", ctx)


@login_required
@require_POST
def member_end(request: HttpRequest, public_id: UUID, membership_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    organisation = access_organisation(actor, public_id)
    if not can_manage_members(actor, organisation):
        raise PermissionDenied
    membership = member_list(organisation).filter(public_id=membership_id).first()
    if membership is None:
        raise Http404
    try:
        services.member_end(by=actor, membership=membership)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Rôle terminé : l'historique est conservé."))
    return redirect("organisations:detail", public_id=organisation.public_id)
