"""Pure helpers of the evaluation dashboard (issue 6 §3): the classes of the choropleth map and
the geometry of the horizontal bar charts. No database, no request: values in, coordinates and
classes out; the templates draw what these compute (SVG, no JavaScript).

Bar charts follow the convention of ``assessments.charts`` (the line chart of the measures): a
fixed viewBox, a plotting area inside margins, coordinates rounded to 0.1 px.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from oncoparcours.assessments.charts import RIGHT, TOP

# Four classes: few enough to tell apart by their number and outline as well as by colour.
CLASS_COUNT = 4
STEP = Decimal("0.1")  # the rates are shown with one decimal: the outer bounds too
INNER_STEP = Decimal("0.01")  # inner breaks one decimal finer, so that they fall between values


@dataclass(frozen=True)
class MapClass:
    index: int  # 1 … n, printed on the map and in the legend (not colour alone)
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class Choropleth:
    classes: tuple[MapClass, ...]
    # Area code → class index; None when the value is not computable ("non calculable").
    assignment: dict[str, int | None]


def _floor(value: Decimal) -> Decimal:
    return value.quantize(STEP, rounding=ROUND_FLOOR)


def _ceil(value: Decimal) -> Decimal:
    return value.quantize(STEP, rounding=ROUND_CEILING)


def class_breaks(values: Sequence[Decimal], count: int = CLASS_COUNT) -> list[Decimal]:
    """Equal intervals between the smallest and the largest value (floored and ceiled to one
    decimal; inner breaks rounded half-even to two decimals), as the ``count + 1`` bounds; a single bound pair when every value is equal.
    Equal intervals rather than quantiles: with a dozen departments, quantiles move whenever
    one department changes, and equal steps read at once on the legend."""
    if not values:
        return []
    low, high = _floor(min(values)), _ceil(max(values))
    if low == high:
        return [low, high]
    step = (high - low) / count
    inner = [(low + step * k).quantize(INNER_STEP) for k in range(1, count)]
    return [low, *inner, high]


def classify(value: Decimal, breaks: Sequence[Decimal]) -> int:
    """The 1-based class of ``value``: intervals are closed on the right, the first one on
    both sides ([b0, b1], ]b1, b2], …)."""
    for index in range(1, len(breaks)):
        if value <= breaks[index]:
            return index
    return len(breaks) - 1


def choropleth(values: Mapping[str, Decimal | None], count: int = CLASS_COUNT) -> Choropleth:
    computable = [v for v in values.values() if v is not None]
    breaks = class_breaks(computable, count)
    classes = tuple(
        MapClass(index, breaks[index - 1], breaks[index]) for index in range(1, len(breaks))
    )
    assignment = {
        code: (classify(value, breaks) if value is not None else None)
        for code, value in values.items()
    }
    return Choropleth(classes, assignment)


# --- bar charts ---------------------------------------------------------------------------------

BAR_WIDTH = 480
BAR_HEIGHT = 22
BAR_GAP = 8
# Room on the left for the labels, on the right for the value printed after the bar.
LABEL_WIDTH = 200
VALUE_WIDTH = 72


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    text: str  # the value as printed ("12 %", "non calculable")
    x: float
    y: float
    width: float
    height: float
    text_x: float
    text_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    bars: tuple[Bar, ...]


def bar_chart(
    bars: Sequence[tuple[str, Decimal | None, str]],
    *,
    width: int = BAR_WIDTH,
    maximum: Decimal | None = None,
) -> BarChart:
    """Horizontal bars, one per (label, value, printed value), in the given order. A bar's
    length is proportional to its value over ``maximum`` (default: the largest value; 100 for
    shares is passed by the caller); zero, negative and non-computable values get no bar but
    keep their row and their printed value."""
    left, right = LABEL_WIDTH, width - VALUE_WIDTH - RIGHT
    values = [v for _l, v, _t in bars if v is not None and v > 0]
    top = maximum if maximum is not None else (max(values) if values else Decimal(0))
    drawn = []
    for index, (label, value, text) in enumerate(bars):
        y = TOP + index * (BAR_HEIGHT + BAR_GAP)
        share = float(value / top) if value is not None and value > 0 and top > 0 else 0.0
        length = round(min(share, 1.0) * (right - left), 1)
        drawn.append(
            Bar(
                label=label,
                value=value,
                text=text,
                x=left,
                y=y,
                width=length,
                height=BAR_HEIGHT,
                text_x=round(left + length + 6, 1),
                text_y=round(y + BAR_HEIGHT * 0.7, 1),
            )
        )
    height = TOP + len(bars) * (BAR_HEIGHT + BAR_GAP) + TOP
    return BarChart(width, height, left, right, tuple(drawn))
