"""Pure arithmetic of the indicators: shares, means, medians, rates, rounding. No database.

Every ratio returns ``None`` when its denominator is empty: the caller shows "non calculable"
with a reason, never a division by zero.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

ONE_DECIMAL = Decimal("0.1")


def round1(value: Decimal) -> Decimal:
    """Half-up to one decimal, as printed (12.25 → 12.3, never banker's 12.2)."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def share(numerator: int | Decimal, denominator: int | Decimal) -> Decimal | None:
    """Percentage, one decimal; None for an empty denominator."""
    if not denominator:
        return None
    return round1(Decimal(numerator) * 100 / Decimal(denominator))


def mean(total: int | Decimal, count: int) -> Decimal | None:
    if not count:
        return None
    return round1(Decimal(total) / count)


def rate_per(count: int, population: int, per: int = 100_000) -> Decimal | None:
    if not population:
        return None
    return round1(Decimal(count) * per / population)


def median(values: Sequence[int | Decimal]) -> Decimal | None:
    """The median of the values (mean of the two middle ones for an even count)."""
    if not values:
        return None
    ordered = sorted(Decimal(v) for v in values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return round1(ordered[middle])
    return round1((ordered[middle - 1] + ordered[middle]) / 2)


def median_window(count: int) -> tuple[int, int]:
    """(offset, limit) of the one or two middle rows of ``count`` ordered rows: the database
    returns only those, and ``median`` of them is the median of all (portable to SQLite, which
    has no ``percentile_cont``)."""
    if count <= 0:
        return 0, 0
    return (count - 1) // 2, 2 - count % 2
