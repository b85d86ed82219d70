"""Indicator results as the page and the CSV print them: French decimals, "non calculable"."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from oncoparcours.evaluation.indicators.definitions import Result


def number(value: Decimal | int | None) -> str:
    """1 234,5 style (the active locale), integers without decimals; "" for None."""
    if value is None:
        return ""
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 1
    return number_format(Decimal(value), decimals, use_l10n=True, force_grouping=True)


def value_text(result: Result) -> str:
    if not result.computable:
        return _("non calculable")
    # French typography: a space before every unit, "%" included.
    return f"{number(result.value)} {result.unit}"


def fraction_text(result: Result) -> str:
    if result.denominator is None or result.numerator is None:
        return ""
    return f"{number(result.numerator)} / {number(result.denominator)}"
