"""French number formats: 12 345 (narrow no-break space) and 42,5 %."""

from django import template

register = template.Library()

_NNBSP = "\u202f"


@register.filter
def thousands(value: int | float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", _NNBSP)


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return ""
    return f"{value * 100:.{digits}f}".replace(".", ",") + f"{_NNBSP}%"
