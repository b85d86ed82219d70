"""Pure funding arithmetic (no Django, no database): the SQL of ``selectors`` mirrors it and the
tests check both against amounts computed by hand."""

from datetime import date
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")


def capped_due(*, cap: Decimal, spent_before: Decimal, spent_through_end: Decimal) -> Decimal:
    """What the ARS owes for one pathway over a period (PSG-09).

    The cap holds for the pathway as a whole (OQ-4: counted per pathway), so a period gets what
    the pathway spent in it, less whatever went beyond the cap: min(cap, spent up to the end of
    the period) - min(cap, spent before it). Summed over consecutive periods, it never pays more
    than the cap.
    """
    return min(cap, spent_through_end) - min(cap, spent_before)


def split_amount(total: Decimal, weights: list[int]) -> list[Decimal]:
    """``total`` split in proportion to ``weights``, to the cent, the parts adding up exactly
    (largest remainder; ties to the earlier weight). Zero weights everywhere: equal parts."""
    if not weights:
        return []
    if sum(weights) <= 0:
        weights = [1] * len(weights)
    cents = int((total / CENT).to_integral_value())
    weight_sum = sum(weights)
    exact = [Decimal(cents) * w / weight_sum for w in weights]
    parts = [int(x.to_integral_value(rounding=ROUND_DOWN)) for x in exact]
    leftover = cents - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:leftover]:
        parts[i] += 1
    return [Decimal(p) * CENT for p in parts]


def valid_day_of_year(month: int | None, day: int | None) -> bool:
    """A day that exists every year (29 February does not)."""
    if month is None or day is None:
        return False
    try:
        date(2001, month, day)
    except ValueError:
        return False
    return True


def periods_overlap(start: date, end: date, other_start: date, other_end: date) -> bool:
    """Closed periods (both end days included)."""
    return other_start <= end and start <= other_end
