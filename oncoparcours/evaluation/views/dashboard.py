"""The evaluation dashboard (issue 6 §3): headline figures, bar charts and a choropleth map of
the inclusion rate by department, each block downloadable as CSV or XLSX. ARS analysts and
ONCO AURA see the region; a coordinator the same dashboard locked to their structure.

The numbers are the indicators' (``evaluation.selectors.indicator_set``): the dashboard only
picks and draws them. Every figure is also in a table next to its chart or map (the table is
the accessible primary view).
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.evaluation.dashboard import BarChart, Choropleth, bar_chart, choropleth
from oncoparcours.evaluation.indicators.definitions import Result, compute_all
from oncoparcours.evaluation.indicators.display import number, value_text
from oncoparcours.evaluation.indicators.filters import Filters, Period, ScopeLevel
from oncoparcours.evaluation.indicators.forms import DashboardFilterForm
from oncoparcours.evaluation.permissions import (
    access_indicator_scope,
    can_view_indicators,
    can_view_regional_indicators,
)
from oncoparcours.evaluation.selectors import (
    IndicatorSet,
    indicator_aggregates,
    indicator_set,
    region_scope,
)
from oncoparcours.evaluation.xlsx import Cell, Sheet, workbook_bytes
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import Department

# The indicators the dashboard draws (I-13 also gives the per-department rates at region level).
DASHBOARD_IDS = ("I-1", "I-3", "I-4", "I-6", "I-7", "I-8", "I-9", "I-10", "I-11", "I-13")
RESULT_COLUMNS = (
    gettext_lazy("Libellé"),
    gettext_lazy("Valeur"),
    gettext_lazy("Unité"),
    gettext_lazy("Numérateur"),
    gettext_lazy("Dénominateur"),
    gettext_lazy("Motif si non calculable"),
)
HUNDRED = Decimal(100)


@dataclass
class Block:
    """One figure block: a table (the download's content) and, maybe, its chart."""

    key: str
    title: str
    columns: Sequence[str]
    rows: list[list[Cell]]
    chart: BarChart | None = None
    # The printed cells of ``rows`` (French numbers, "non calculable"), for the page and CSV.
    printed: list[list[str]] = field(default_factory=list)


def _actor(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def _printed(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, (Decimal, int)):
        return number(value)
    return str(value)


def _block(
    key: str,
    title: str,
    columns: Sequence[Any],
    rows: list[list[Cell]],
    chart: BarChart | None = None,
    *,
    value_column: int = 1,
) -> Block:
    """``value_column``: the column printed "non calculable" when empty (its reason is in the
    last column)."""
    printed = [
        [
            _("non calculable") if cell is None and i == value_column else _printed(cell)
            for i, cell in enumerate(row)
        ]
        for row in rows
    ]
    return Block(key, title, [str(c) for c in columns], rows, chart, printed)


def _row(result: Result, label: str | None = None) -> list[Cell]:
    return [
        label or str(result.label),
        result.value,
        str(result.unit),
        result.numerator,
        result.denominator,
        str(result.reason) if not result.computable else "",
    ]


def _short(result: Result) -> str:
    return f"{number(result.value)} %" if result.unit == "%" else number(result.value)


def _part(result: Result, code: str) -> Result:
    return next(p for p in result.parts if p.code == code)


def _bars(parts: Sequence[Result], *, shares: bool) -> BarChart:
    # Short texts after the bars (the unit is in the title and the table).
    bars = [
        (str(p.label), p.value, _short(p) if p.computable else _("non calculable")) for p in parts
    ]
    return bar_chart(bars, maximum=HUNDRED if shares else None)


def _headline(results: dict[str, Result]) -> Block:
    i7, i9, i13 = results["I-7"], results["I-9"], results["I-13"]
    rows = [
        _row(results["I-1"], _("Patients inclus")),
        _row(i13, _("Taux d'inclusion pour 100 000 habitants")),
        _row(i7, _("Délai médian prescription → premier bilan")),
        *[_row(p) for p in i7.parts],
        _row(results["I-6"], _("Délai médian fin de traitement → prescription")),
        _row(results["I-10"], _("Parcours terminés (part des parcours clos)")),
        _row(_part(i9, "at_cap")),
        _row(results["I-11"], _("Bilans dont le compte rendu a été envoyé aux deux médecins")),
        _row(results["I-4"], _("Part des enfants et des AJA")),
        _row(_part(i13, "uncovered_population")),
    ]
    return _block("synthese", _("Chiffres clés"), RESULT_COLUMNS, rows)


def _mix_block(key: str, title: str, result: Result, *, shares: bool) -> Block:
    rows = [_row(p) for p in result.parts]
    return _block(key, title, RESULT_COLUMNS, rows, _bars(result.parts, shares=shares))


@dataclass(frozen=True)
class DepartmentRate:
    code: str
    name: str
    rate: Result
    map_class: int | None


def _department_rates(
    i13: Result, departments: Sequence[Department]
) -> tuple[list[DepartmentRate], Choropleth]:
    by_code = {p.code.removeprefix("department_"): p for p in i13.parts}
    rates = [(d, by_code[d.code]) for d in departments if d.code in by_code]
    classes = choropleth({d.code: r.value for d, r in rates})
    return [
        DepartmentRate(d.code, d.name, r, classes.assignment[d.code]) for d, r in rates
    ], classes


def _department_block(rates: list[DepartmentRate]) -> Block:
    columns = (
        _("Code"),
        _("Département"),
        _("Patients inclus (résidents)"),
        _("Population"),
        _("Taux pour 100 000 habitants"),
        _("Classe de la carte"),
        _("Motif si non calculable"),
    )
    rows: list[list[Cell]] = [
        [
            d.code,
            d.name,
            d.rate.numerator,
            d.rate.denominator,
            d.rate.value,
            d.map_class,
            str(d.rate.reason) if not d.rate.computable else "",
        ]
        for d in rates
    ]
    chart = bar_chart(
        [
            (
                f"{d.name} ({d.code})",
                d.rate.value,
                number(d.rate.value) if d.rate.computable else _("non calculable"),
            )
            for d in rates
        ]
    )
    return _block(
        "departements",
        _("Taux d'inclusion pour 100 000 habitants par département"),
        columns,
        rows,
        chart,
        value_column=4,
    )


@dataclass
class Dashboard:
    form: DashboardFilterForm
    computed: IndicatorSet | None = None
    blocks: dict[str, Block] = field(default_factory=dict)
    departments: list[DepartmentRate] = field(default_factory=list)
    classes: Choropleth | None = None


def _dashboard(request: HttpRequest) -> Dashboard:
    """Parse, enforce, compute. Queries: the department and structure lists (regional readers),
    the scope, the indicator aggregates, and — below the region — the region's I-13 for the
    map: a constant number whatever the data."""
    actor = _actor(request)
    if not can_view_indicators(actor):
        raise PermissionDenied
    assert actor is not None
    regional = can_view_regional_indicators(actor)
    departments: list[Department] = []
    structures: list[tuple[str, str]]
    if regional:
        departments = list(Department.objects.order_by("code"))
        structures = [
            (str(public_id), name)
            for public_id, name in Organisation.objects.filter(
                kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True
            )
            .order_by("name")
            .values_list("public_id", "name")
        ]
    else:
        structures = [(str(actor.organisation.public_id), actor.organisation.name)]
    form = DashboardFilterForm(
        request.GET,
        departments=[(d.code, f"{d.code} {d.name}") for d in departments],
        structures=structures,
    )
    dashboard = Dashboard(form)
    if not form.is_valid():
        return dashboard
    scope = access_indicator_scope(actor, *form.scope_request())
    period, filters = form.period(), form.filters()
    computed = indicator_set(scope, period, filters, DASHBOARD_IDS)
    results = {r.code: r for r in computed.results}
    dashboard.computed = computed
    blocks = [
        _headline(results),
        _mix_block(
            "prestations", _("Prestations réalisées par type"), results["I-8"], shares=False
        ),
        _mix_block(
            "prescripteurs", _("Répartition des prescripteurs"), results["I-3"], shares=True
        ),
        _mix_block("ages", _("Répartition par tranche d'âge"), results["I-4"], shares=True),
    ]
    if regional:
        dashboard.departments, dashboard.classes = _department_rates(
            _regional_i13(scope.level, results["I-13"], period, filters), departments
        )
        blocks.append(_department_block(dashboard.departments))
    dashboard.blocks = {b.key: b for b in blocks}
    return dashboard


def _regional_i13(level: ScopeLevel, i13: Result, period: Period, filters: Filters) -> Result:
    """The map always shows every department: below the region, the region's I-13 is computed
    once more (its department rates only exist at region level)."""
    if level == ScopeLevel.REGION:
        return i13
    aggregates = indicator_aggregates(region_scope(), period, filters, ["I-13"])
    return compute_all(aggregates, ["I-13"])[0]


def _query_without(request: HttpRequest, *keys: str) -> QueryDict:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    return query


def _map_data(dashboard: Dashboard, request: HttpRequest) -> dict[str, Any]:
    query = _query_without(request, "department", "structure", "format", "block")
    areas = {}
    for d in dashboard.departments:
        query["department"] = d.code
        areas[d.code] = {
            "class": d.map_class,
            "url": f"?{query.urlencode()}",
            "label": f"{d.name} ({d.code}) : {value_text(d.rate)}",
        }
    return {"areas": areas}


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    export = request.GET.get("format")
    if export is not None:
        return _download(request, export, request.GET.get("block", ""))
    board = _dashboard(request)
    drill = _query_without(request, "department", "structure")
    selected = (board.form.cleaned_data.get("department") or "") if board.computed else ""
    ctx = {
        "form": board.form,
        "computed": board.computed,
        "blocks": board.blocks,
        "department_rows": (
            list(zip(board.departments, board.blocks["departements"].printed, strict=True))
            if board.departments
            else []
        ),
        "classes": board.classes,
        "map_data": _map_data(board, request) if board.departments else None,
        "selected_department": selected,
        "regional": can_view_regional_indicators(_actor(request)),
        "download_query": _query_without(request, "format", "block").urlencode(),
        "drill_query": drill.urlencode(),
        "structure_children": (
            board.computed.children
            if board.computed is not None and board.computed.scope.level == ScopeLevel.DEPARTMENT
            else []
        ),
    }
    return render(request, "evaluation/dashboard.html", ctx)


def _download(request: HttpRequest, export: str, key: str) -> HttpResponse:
    if export not in ("csv", "xlsx"):
        raise Http404
    board = _dashboard(request)
    if board.computed is None:
        return HttpResponse(
            _("Paramètres invalides."), status=400, content_type="text/plain; charset=utf-8"
        )
    if key == "tout":
        blocks = list(board.blocks.values())
    elif key in board.blocks:
        blocks = [board.blocks[key]]
    else:
        raise Http404
    computed = board.computed
    context = [_("Périmètre"), computed.scope.label, _("Période"), computed.period.label]
    name = f"tableau-de-bord-{key}-{computed.period.label.replace(' ', '-')}"
    if export == "csv":
        buffer = io.StringIO()
        # "\ufeff" and ";" so that a French spreadsheet opens it with the right columns.
        buffer.write("\ufeff")
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(context)
        for block in blocks:
            writer.writerow([])
            writer.writerow([block.title])
            writer.writerow(block.columns)
            writer.writerows(block.printed)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    sheets = [
        Sheet(block.title, [context, list(block.columns), *block.rows], header_rows=2)
        for block in blocks
    ]
    response = HttpResponse(
        workbook_bytes(sheets),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
