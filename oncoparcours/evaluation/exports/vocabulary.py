"""Coarse values the export writes instead of exact ones: age bands, cancer site groups,
quarters. Pure: no database."""

from dataclasses import dataclass
from datetime import date

from oncoparcours.evaluation.indicators.filters import cancer_group_of
from oncoparcours.regulation.parameters import PsgacParameters

# Legal majority: splits the AJA (15-25 by default) into minors and young adults.
MAJORITY_YEARS = 18
# Fixed adult edges, the usual steps of cancer registries' age groups.
ADULT_EDGES = (40, 55, 65, 75)
WIDE_ADULT_EDGE = 65


@dataclass(frozen=True, order=True)
class AgeBand:
    low: int
    high: int | None  # inclusive; None: no upper bound

    @property
    def label(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}-{self.high}"

    def contains(self, age: int) -> bool:
        return self.low <= age and (self.high is None or age <= self.high)


def _bands(edges: set[int]) -> tuple[AgeBand, ...]:
    ordered = sorted(edge for edge in edges if edge > 0)
    lows = [0, *ordered]
    return tuple(
        AgeBand(low, lows[i + 1] - 1 if i + 1 < len(lows) else None) for i, low in enumerate(lows)
    )


@dataclass(frozen=True)
class AgeBands:
    """Fine bands (level 0) and the wide bands they merge into (level 1).

    Both start a band at each PSGAC age-group edge (child / AJA / adult, OQ-7, read from the
    regulation), so every band lies inside one age group and the age-group column never tells
    more than the band.
    """

    fine: tuple[AgeBand, ...]
    wide: tuple[AgeBand, ...]
    child_max_years: int
    aja_min_years: int
    aja_max_years: int

    def band(self, age: int) -> AgeBand:
        return next(band for band in self.fine if band.contains(age))

    def widen(self, band: AgeBand) -> AgeBand:
        return next(wide for wide in self.wide if wide.contains(band.low))

    def group(self, band: AgeBand) -> str:
        """The PSGAC age group (pathways AgeGroup values) of every age in the band."""
        if band.high is not None and band.high <= self.child_max_years:
            return "child"
        if self.aja_min_years <= band.low and (
            band.high is not None and band.high <= self.aja_max_years
        ):
            return "aja"
        if band.low > self.aja_max_years:
            return "adult"
        return ""


def age_bands_for(params: PsgacParameters) -> AgeBands:
    group_edges = {params.child_max_years + 1, params.aja_min_years, params.aja_max_years + 1}
    return AgeBands(
        fine=_bands(group_edges | {MAJORITY_YEARS, *ADULT_EDGES}),
        wide=_bands(group_edges | {WIDE_ADULT_EDGE}),
        child_max_years=params.child_max_years,
        aja_min_years=params.aja_min_years,
        aja_max_years=params.aja_max_years,
    )


def age_in_years(birth_date: date, on: date) -> int:
    # Not pathways.rules.dates.age_in_years: a birth date after the prescription (a typing
    # error) must not stop the export; the caller clamps the result at 0.
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def cancer_site_group(code: str) -> str:
    """The cancer site group of indicator I-5 (breast, colorectal, prostate, lung, other,
    unknown): one grouping for the indicators and the export, and a coarse one, so that few
    classes fall under k."""
    return cancer_group_of(code.strip())


def quarter(day: date) -> str:
    """ "2026-T2": the quarter, never the day."""
    return f"{day.year}-T{(day.month - 1) // 3 + 1}"
