"""Pure rules of the payments: plain values in, plain values out (no database)."""

from datetime import date
from decimal import Decimal

from oncoparcours.pathways.rules.prestations import is_assessment, is_followup


def contract_rate(kind: str, *, assessment_rate: Decimal, followup_rate: Decimal) -> Decimal:
    """PSG-07/08: an assessment is paid the contract's assessment rate, a follow-up its
    follow-up rate. Anything else is not a prestation and is never paid."""
    if is_assessment(kind):
        return assessment_rate
    if is_followup(kind):
        return followup_rate
    raise ValueError(f"not a prestation: {kind}")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


def parse_month(text: str) -> date | None:
    """ "2026-06" (the form's and the API's notation) to its first day; None if unreadable."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def euros(amount: Decimal) -> str:
    """French notation: 1 234,50 (no currency sign)."""
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return text
