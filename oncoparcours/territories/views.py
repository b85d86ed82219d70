from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from oncoparcours.accounts.permissions import acting_membership, is_admin
from oncoparcours.territories import selectors, services
from oncoparcours.territories.forms import AdminTerritoryForm, CommuneSearchForm, TerritoryForm
from oncoparcours.territories.permissions import (
    access_territory,
    can_create_territory,
    can_edit_territory,
    can_search_communes,
    can_use_territories,
)


def _uuid_or_none(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


@login_required
@require_GET
def commune_search(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_search_communes(actor):
        raise PermissionDenied
    form = CommuneSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    communes = selectors.commune_search(query) if query else []
    ctx = {"form": form, "query": query, "communes": communes}
    return render(request, "territories/commune_search.html", ctx)


@login_required
@require_GET
def commune_points(request: HttpRequest) -> JsonResponse:
    """The communes of a department with their coordinates, for the territory edit map."""
    actor = acting_membership(request)
    if not can_search_communes(actor):
        raise PermissionDenied
    department = (request.GET.get("departement") or "").strip()[:3]
    return JsonResponse({"communes": selectors.commune_points(department) if department else []})


@login_required
@require_GET
def territory_list(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_use_territories(actor):
        raise PermissionDenied
    structure_id = _uuid_or_none(request.GET.get("structure"))
    ctx = {
        "territories": selectors.territory_list_for(actor, structure_public_id=structure_id),
        "filtered": structure_id is not None,
        "can_create": can_create_territory(actor, None),
    }
    return render(request, "territories/list.html", ctx)


@login_required
@require_GET
def territory_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    if not can_use_territories(actor):
        raise PermissionDenied
    territory = access_territory(actor, public_id)
    ctx = {
        "detail": selectors.territory_detail(territory),
        "territory": territory,
        "can_edit": can_edit_territory(actor, territory),
    }
    return render(request, "territories/detail.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def territory_create(request: HttpRequest) -> HttpResponse:
    actor = acting_membership(request)
    if not can_create_territory(actor, None):
        raise PermissionDenied
    choose_structure = is_admin(actor)
    form_class = AdminTerritoryForm if choose_structure else TerritoryForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        structure = form.cleaned_data["structure"] if choose_structure else actor.organisation
        if not can_create_territory(actor, structure):
            raise PermissionDenied
        try:
            territory = services.territory_create(
                by=actor,
                structure=structure,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                commune_codes=form.cleaned_data["communes"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Territoire « %(name)s » créé.") % {"name": territory.name})
            return redirect("territories:detail", public_id=territory.public_id)
    ctx = {"form": form, "territory": None, "departments": selectors.department_list()}
    return render(request, "territories/form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def territory_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    if not can_use_territories(actor):
        raise PermissionDenied
    territory = access_territory(actor, public_id)
    if not can_edit_territory(actor, territory):
        raise PermissionDenied
    initial = {
        "name": territory.name,
        "description": territory.description,
        "communes": "\n".join(
            territory.communes.order_by("insee_code").values_list("insee_code", flat=True)
        ),
    }
    form = TerritoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.territory_update(
                by=actor,
                territory=territory,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                commune_codes=form.cleaned_data["communes"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Territoire mis à jour."))
            return redirect("territories:detail", public_id=territory.public_id)
    ctx = {"form": form, "territory": territory, "departments": selectors.department_list()}
    return render(request, "territories/form.html", ctx)


@login_required
@require_http_methods(["GET", "POST"])
def territory_archive(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    if not can_use_territories(actor):
        raise PermissionDenied
    territory = access_territory(actor, public_id)
    if not can_edit_territory(actor, territory):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.territory_archive(by=actor, territory=territory)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("territories:detail", public_id=territory.public_id)
        messages.success(request, _("Territoire « %(name)s » archivé.") % {"name": territory.name})
        return redirect("territories:list")
    return render(request, "territories/archive.html", {"territory": territory})
