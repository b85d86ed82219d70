"""The indicators page and its CSV (issue 6 §2): ARS analysts and ONCO AURA for every scope, a
coordinator for their own structure."""

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oncoparcours.accounts.models import Membership
from oncoparcours.evaluation.indicators.definitions import BY_ID
from oncoparcours.evaluation.indicators.display import fraction_text, value_text
from oncoparcours.evaluation.indicators.forms import IndicatorFilterForm
from oncoparcours.evaluation.permissions import (
    access_indicator_scope,
    can_view_indicators,
    can_view_regional_indicators,
)
from oncoparcours.evaluation.selectors import IndicatorSet, indicator_set
from oncoparcours.evaluation.xlsx import Cell, Sheet, workbook_bytes


def _actor(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def _computed(request: HttpRequest) -> tuple[IndicatorFilterForm, IndicatorSet | None]:
    actor = _actor(request)
    if not can_view_indicators(actor):
        raise PermissionDenied
    form = IndicatorFilterForm(request.GET)
    if not form.is_valid():
        return form, None
    scope = access_indicator_scope(actor, form.cleaned_data["scope"], form.cleaned_data["id"])
    return form, indicator_set(scope, form.period(), form.filters())


def _rows(computed: IndicatorSet) -> list[dict[str, Any]]:
    rows = []
    for result in computed.results:
        indicator = BY_ID[result.code]
        rows.append(
            {
                "result": result,
                "indicator": indicator,
                "value": value_text(result),
                "fraction": fraction_text(result),
                "parts": [
                    {"result": p, "value": value_text(p), "fraction": fraction_text(p)}
                    for p in result.parts
                ],
            }
        )
    return rows


@login_required
@require_GET
def indicator_table(request: HttpRequest) -> HttpResponse:
    # The XLSX download is the page's own URL with ?format=xlsx, as on the dashboard.
    if request.GET.get("format") == "xlsx":
        return _indicator_xlsx(request)
    form, computed = _computed(request)
    query = request.GET.copy()
    for key in ("scope", "id", "format"):
        query.pop(key, None)
    ctx = {
        "form": form,
        "computed": computed,
        "rows": _rows(computed) if computed is not None else [],
        "regional": can_view_regional_indicators(_actor(request)),
        # The filters kept when following a drill-down link.
        "filter_query": query.urlencode(),
    }
    return render(request, "evaluation/indicators.html", ctx)


def _table(computed: IndicatorSet) -> list[list[Cell]]:
    """The downloaded table: the scope and period, the headings, one row per indicator and
    per detail. Values as printed on the page (French decimals, "non calculable")."""
    table: list[list[Cell]] = [
        [_("Périmètre"), computed.scope.label, _("Période"), computed.period.label],
        [
            _("Indicateur"),
            _("Détail"),
            _("Valeur"),
            _("Numérateur / dénominateur"),
            _("Motif si non calculable"),
            _("Définition"),
        ],
    ]
    for row in _rows(computed):
        result, indicator = row["result"], row["indicator"]
        title = f"{result.code} {indicator.title}"
        table.append(
            [
                title,
                "",
                row["value"],
                row["fraction"],
                str(result.reason),
                str(indicator.definition),
            ]
        )
        for part in row["parts"]:
            p = part["result"]
            table.append([title, str(p.label), part["value"], part["fraction"], str(p.reason), ""])
    return table


def _download(request: HttpRequest, extension: str) -> HttpResponse | tuple[IndicatorSet, str]:
    _form, computed = _computed(request)
    if computed is None:
        return HttpResponse(
            _("Paramètres invalides."), status=400, content_type="text/plain; charset=utf-8"
        )
    name = f"indicateurs-{computed.scope.level}-{computed.period.label.replace(' ', '-')}"
    return computed, f'attachment; filename="{name}.{extension}"'


@login_required
@require_GET
def indicator_csv(request: HttpRequest) -> HttpResponse:
    found = _download(request, "csv")
    if isinstance(found, HttpResponse):
        return found
    computed, disposition = found
    buffer = io.StringIO()
    # "\ufeff" and ";" so that a French spreadsheet opens it with the right columns and accents.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerows(_table(computed))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = disposition
    return response


def _indicator_xlsx(request: HttpRequest) -> HttpResponse:
    found = _download(request, "xlsx")
    if isinstance(found, HttpResponse):
        return found
    computed, disposition = found
    sheet = Sheet(_("Indicateurs"), _table(computed), header_rows=2)
    response = HttpResponse(
        workbook_bytes([sheet]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = disposition
    return response
