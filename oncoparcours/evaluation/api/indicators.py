"""Indicators I-1…I-16 as JSON (issue 6 §7): the set for one scope and period, and the
definitions. ARS analysts and ONCO AURA for every scope; a coordinator for their structure."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Schema

from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.evaluation.api.base import router
from oncoparcours.evaluation.indicators.definitions import BY_ID, INDICATORS, Result
from oncoparcours.evaluation.indicators.filters import Filters, Period
from oncoparcours.evaluation.indicators.forms import FIRST_YEAR
from oncoparcours.evaluation.permissions import access_indicator_scope, can_view_indicators
from oncoparcours.evaluation.selectors import indicator_set

IndicatorId = Literal[
    "I-1", "I-2", "I-3", "I-4", "I-5", "I-6", "I-7", "I-8",
    "I-9", "I-10", "I-11", "I-12", "I-13", "I-14", "I-15", "I-16",
]  # fmt: skip


class IndicatorQuery(Schema):
    scope: Literal["", "region", "department", "territory", "structure"] = ""
    # The department code, or the public id of the structure or territory.
    id: str = Field("", max_length=40)
    indicator: list[IndicatorId] | None = None
    year: int | None = Field(None, ge=FIRST_YEAR, le=2100)
    quarter: int | None = Field(None, ge=1, le=4)
    age_group: Literal["", "child", "aja", "adult"] = ""
    cancer_site: Literal["", "breast", "colorectal", "prostate", "lung", "other", "unknown"] = ""


class DefinitionOut(Schema):
    id: str
    title: str
    definition: str
    period_date: str


class PartOut(Schema):
    code: str
    label: str
    value: float | None
    numerator: float | None
    denominator: int | None
    unit: str
    computable: bool
    reason: str


class IndicatorOut(PartOut):
    title: str
    definition: str
    period_date: str
    small_sample: bool
    parts: list[PartOut]


class ScopeOut(Schema):
    level: str
    id: str
    label: str


class PeriodOut(Schema):
    year: int
    quarter: int | None
    start: date
    end: date


class ChildOut(Schema):
    level: str
    id: str
    label: str
    included: int | None


class IndicatorSetOut(Schema):
    scope: ScopeOut
    period: PeriodOut
    filters: dict[str, str]
    indicators: list[IndicatorOut]
    children: list[ChildOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _part(result: Result) -> dict[str, Any]:
    return {
        "code": result.code,
        "label": str(result.label),
        "value": _number(result.value),
        "numerator": _number(result.numerator),
        "denominator": result.denominator,
        "unit": str(result.unit),
        "computable": result.computable,
        "reason": str(result.reason),
    }


@router.get("/indicators/definitions", response=list[DefinitionOut])
def indicator_definitions(request: HttpRequest) -> list[dict[str, str]]:
    if not can_view_indicators(actor(request)):
        raise forbidden()
    return [
        {
            "id": i.id,
            "title": str(i.title),
            "definition": str(i.definition),
            "period_date": str(i.period_date),
        }
        for i in INDICATORS
    ]


@router.get("/indicators", response=IndicatorSetOut)
def indicator_list(request: HttpRequest, query: Query[IndicatorQuery]) -> dict[str, Any]:
    """Every indicator (or those named by ``indicator``) with value, numerator, denominator,
    unit, ``computable`` and the French reason when it is not, and its definition."""
    try:
        scope = access_indicator_scope(actor(request), query.scope, query.id)
    except PermissionDenied:
        raise forbidden() from None
    except Http404:
        raise not_found() from None
    period = Period(query.year or timezone.localdate().year, query.quarter)
    filters = Filters(age_group=query.age_group, cancer_group=query.cancer_site)
    computed = indicator_set(scope, period, filters, query.indicator)
    return {
        "scope": {"level": scope.level.value, "id": scope.key, "label": scope.label},
        "period": {
            "year": period.year,
            "quarter": period.quarter,
            "start": period.start,
            "end": period.end_exclusive - timedelta(days=1),
        },
        "filters": {"age_group": filters.age_group, "cancer_site": filters.cancer_group},
        "indicators": [
            {
                **_part(result),
                "title": str(BY_ID[result.code].title),
                "definition": str(BY_ID[result.code].definition),
                "period_date": str(BY_ID[result.code].period_date),
                "small_sample": result.small_sample,
                "parts": [_part(p) for p in result.parts],
            }
            for result in computed.results
        ],
        "children": [
            {"level": c.level.value, "id": c.key, "label": c.label, "included": c.included}
            for c in computed.children
        ],
    }
