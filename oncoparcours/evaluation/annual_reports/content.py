"""What a report freezes: the structure's indicators, conventions and funding for the year.

Pure functions turning the selectors' results into JSON-ready dicts (decimals as strings, French
labels as text), so that a submitted report reads the same whatever the code or translations
become later. ``SCHEMA`` numbers the shape.
"""

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from oncoparcours.evaluation.indicators.definitions import INDICATORS, Result
from oncoparcours.evaluation.indicators.display import value_text

SCHEMA = 1

# The sections a coordinator comments: one per indicator, the conventions and the funding.
CONVENTIONS = "conventions"
FUNDING = "funding"
SECTIONS: tuple[str, ...] = (*(i.id for i in INDICATORS), CONVENTIONS, FUNDING)
COMMENT_MAX_LENGTH = 4000


def _text(value: Decimal | int | None) -> str | None:
    return None if value is None else str(value)


def result_dict(result: Result) -> dict[str, Any]:
    return {
        "code": result.code,
        "label": str(result.label),
        "value": _text(result.value),
        "unit": str(result.unit),
        "text": value_text(result),
        "numerator": _text(result.numerator),
        "denominator": result.denominator,
        "reason": str(result.reason),
        "parts": [result_dict(part) for part in result.parts],
    }


def indicators_content(results: Iterable[Result], titles: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**result_dict(r), "title": str(titles[r.code])} for r in results]


def convention_dict(convention: Any, year: int) -> dict[str, Any]:
    # The report on ``year`` is due the next year, on the convention's day and month (PSG-17).
    return {
        "reference": convention.reference,
        "status": convention.status,
        "start_date": convention.start_date.isoformat(),
        "end_date": convention.effective_end.isoformat(),
        "expected_patients_per_year": convention.expected_patients_per_year,
        "report_due": convention.report_due_in(year + 1).isoformat(),
    }


FUNDING_FIELDS: tuple[str, ...] = (
    "due",
    "done",
    "forfait_paid",
    "forfait_balance",
    "allocated",
    "coordination_paid",
    "coordination_balance",
)


def funding_labels() -> dict[str, str]:
    return {
        "due": _("Forfait dû (après plafond par patient)"),
        "done": _("Prestations réalisées (avant plafond)"),
        "forfait_paid": _("Forfait versé"),
        "forfait_balance": _("Solde du forfait"),
        "allocated": _("Financement de coordination alloué (FIR)"),
        "coordination_paid": _("Financement de coordination versé"),
        "coordination_balance": _("Solde de la coordination"),
        "pathways": _("Parcours ayant des prestations réalisées"),
    }


def funding_dict(row: Any) -> dict[str, Any]:
    figures: dict[str, Any] = {name: str(getattr(row, name)) for name in FUNDING_FIELDS}
    figures["pathways"] = row.pathways
    return figures


def due_date(conventions: Sequence[dict[str, Any]]) -> date | None:
    """The due date of the report: the one of the latest convention of the year."""
    if not conventions:
        return None
    return date.fromisoformat(conventions[-1]["report_due"])


def section_titles(content: dict[str, Any]) -> dict[str, str]:
    titles = {item["code"]: f"{item['code']} {item['title']}" for item in content["indicators"]}
    titles[CONVENTIONS] = _("Conventions avec l'ARS")
    titles[FUNDING] = _("Financement")
    return titles
