"""Coverage of the region by the structures porteuses and distance to the offer (issue 5 §3),
for directory editors, admins and ARS analysts: the page and its CSV."""

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oncoparcours.directory.catalogue import CareType
from oncoparcours.directory.coverage import CoverageTable, department_coverage
from oncoparcours.directory.forms import CoverageFilterForm
from oncoparcours.directory.permissions import can_view_coverage
from oncoparcours.directory.views._common import actor
from oncoparcours.territories.models import Department
from oncoparcours.territories.selectors import coverage_summary


def _viewer(request: HttpRequest) -> None:
    if not can_view_coverage(actor(request)):
        raise PermissionDenied


def _table(request: HttpRequest) -> tuple[CoverageFilterForm, CoverageTable | None]:
    form = CoverageFilterForm(request.GET or None)
    if not (form.is_bound and form.is_valid() and form.cleaned_data["departement"]):
        return form, None
    department = Department.objects.get(code=form.cleaned_data["departement"])
    table = department_coverage(department, audience=form.cleaned_data["public"] or None)
    return form, table


def _map_data(table: CoverageTable) -> dict[str, Any]:
    markers = []
    for row in table.rows:
        if not row.located:
            continue
        if row.covered:
            label = _("%(name)s : couverte (%(structures)s)") % {
                "name": row.commune.name,
                "structures": ", ".join(row.structures),
            }
        else:
            label = _("%(name)s : non couverte") % {"name": row.commune.name}
        markers.append(
            {
                "lat": row.commune.latitude,
                "lon": row.commune.longitude,
                "label": label,
                "kind": "covered" if row.covered else "uncovered",
            }
        )
    return {"markers": markers, "origin": None}


@login_required
@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    form, table = _table(request)
    ctx = {
        "form": form,
        "table": table,
        "care_types": CareType.choices,
        "summary": coverage_summary() if table is None else None,
        "map_data": _map_data(table) if table is not None else {"markers": [], "origin": None},
    }
    return render(request, "directory/coverage.html", ctx)


def _km(value: float | None) -> str:
    return "" if value is None else number_format(round(value, 1), 1)


@login_required
@require_GET
def coverage_csv(request: HttpRequest) -> HttpResponse:
    _viewer(request)
    _form, table = _table(request)
    if table is None:
        return HttpResponse(
            _("Choisissez un département."), status=400, content_type="text/plain; charset=utf-8"
        )
    buffer = io.StringIO()
    # "\ufeff" and ";" so that a French spreadsheet opens it with the right columns and accents.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Code INSEE"),
            _("Commune"),
            _("Population"),
            _("Couverte"),
            _("Structures porteuses"),
            *[_("Distance (km) : %(type)s") % {"type": label} for _code, label in CareType.choices],
        ]
    )
    for row in table.rows:
        writer.writerow(
            [
                row.commune.insee_code,
                row.commune.name,
                row.commune.population,
                _("oui") if row.covered else _("non"),
                " | ".join(row.structures),
                *[_km(km) for km in row.distances()],
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    filename = f"couverture-{table.department.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
