"""A series of (date, value) as the coordinates of a small SVG line chart (no JavaScript, no
library: the template draws what this computes). Pure: no database, no request.

The x axis is proportional to time (two measures a week apart sit closer than two a month
apart); the y axis spans the series' minimum to maximum with a margin, so a small change stays
visible. A series whose values are all equal is drawn flat in the middle.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 320
HEIGHT = 120
# Room for the axis labels: left for the values, bottom for the dates.
LEFT = 48
RIGHT = 12
TOP = 12
BOTTOM = 24


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    on: date
    value: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: tuple[ChartPoint, ...]
    # The value at the top and at the bottom of the plotting area, for the axis labels.
    top_value: Decimal
    bottom_value: Decimal
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int

    @property
    def polyline(self) -> str:
        """``points`` attribute of an SVG ``<polyline>``."""
        return " ".join(f"{p.x:g},{p.y:g}" for p in self.points)


def line_chart(
    series: Sequence[tuple[date, Decimal]], *, width: int = WIDTH, height: int = HEIGHT
) -> Chart:
    """Coordinates (rounded to 0.1 px) of each point, in date order. An empty series gives an
    empty chart; a single point, or points on one day, are spread evenly."""
    ordered = sorted(series, key=lambda item: item[0])
    left, right, top, bottom = LEFT, width - RIGHT, TOP, height - BOTTOM
    if not ordered:
        return Chart(width, height, (), Decimal(0), Decimal(0), left, right, top, bottom)
    values = [value for _, value in ordered]
    low, high = min(values), max(values)
    if low == high:
        # Flat: the single value in the middle, labelled above and below by itself.
        top_value, bottom_value = high, low
    else:
        margin = (high - low) / 10
        top_value, bottom_value = high + margin, low - margin
    first, last = ordered[0][0], ordered[-1][0]
    span_days = (last - first).days
    points = []
    for index, (on, value) in enumerate(ordered):
        if span_days:
            share = (on - first).days / span_days
        else:
            share = index / (len(ordered) - 1) if len(ordered) > 1 else 0.5
        x = left + share * (right - left)
        if top_value == bottom_value:
            y = (top + bottom) / 2
        else:
            y = bottom - float((value - bottom_value) / (top_value - bottom_value)) * (bottom - top)
        points.append(ChartPoint(round(x, 1), round(y, 1), on, value))
    return Chart(width, height, tuple(points), top_value, bottom_value, left, right, top, bottom)
