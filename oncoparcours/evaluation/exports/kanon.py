"""k-anonymity on the quasi-identifiers, by local generalisation then suppression. Pure.

The quasi-identifiers are what someone may know of a patient from outside the data (age, sex,
where they live, which cancer): age band, sex, geography and cancer site group. A class is the
set of rows with the same written values; it must hold at least ``k`` distinct patients.

Each row climbs, only while its class is too small, the ladder below; a class that holds k
patients stays where it is. What is still too small at the last rung is suppressed:

    0. commune, fine age band
    1. EPCI (the department when the commune belongs to none)
    2. department
    3. region
    4. region, wide age band

A row's fate depends only on its quasi-identifiers, so the plan is computed from the patients
of each distinct quasi-identifier tuple (a small key per row, never whole rows) and applied to
the rows as they stream to the file.
"""

from collections import defaultdict
from collections.abc import Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from oncoparcours.evaluation.exports.vocabulary import AgeBand, AgeBands

# INSEE code of the Auvergne-Rhône-Alpes region.
REGION_CODE = "84"


class GeoLevel(StrEnum):
    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTMENT = "departement"
    REGION = "region"


@dataclass(frozen=True)
class Place:
    commune: str  # INSEE code
    epci: str  # SIREN; "" when the commune belongs to no EPCI
    department: str


@dataclass(frozen=True)
class QuasiIdentifiers:
    age_band: AgeBand
    sex: str
    place: Place
    site_group: str


@dataclass(frozen=True)
class Written:
    """The quasi-identifiers as written in the file, after generalisation."""

    age_band: AgeBand
    sex: str
    geo_level: GeoLevel
    geo_code: str
    site_group: str


# (geography level, wide age bands?) of each rung.
LADDER: tuple[tuple[GeoLevel, bool], ...] = (
    (GeoLevel.COMMUNE, False),
    (GeoLevel.EPCI, False),
    (GeoLevel.DEPARTMENT, False),
    (GeoLevel.REGION, False),
    (GeoLevel.REGION, True),
)
LAST_RUNG = len(LADDER) - 1
RUNG_NAMES = ("none", "epci", "departement", "region", "age")


def written(qi: QuasiIdentifiers, rung: int, bands: AgeBands) -> Written:
    level, wide = LADDER[rung]
    place = qi.place
    if level == GeoLevel.EPCI and not place.epci:
        level = GeoLevel.DEPARTMENT
    code = {
        GeoLevel.COMMUNE: place.commune,
        GeoLevel.EPCI: place.epci,
        GeoLevel.DEPARTMENT: place.department,
        GeoLevel.REGION: REGION_CODE,
    }[level]
    band = bands.widen(qi.age_band) if wide else qi.age_band
    return Written(band, qi.sex, level, code, qi.site_group)


@dataclass
class Plan:
    """The rung of each quasi-identifier tuple; None: suppressed."""

    k: int
    bands: AgeBands
    rungs: dict[QuasiIdentifiers, int | None]

    def write(self, qi: QuasiIdentifiers) -> tuple[Written | None, int | None]:
        """What to write for a row, and its rung. A tuple the plan never saw (the data changed
        between the two passes) is suppressed: the safe side."""
        rung = self.rungs.get(qi)
        if rung is None:
            return None, None
        return written(qi, rung, self.bands), rung


def plan_k_anonymity(
    patients_by_qi: Mapping[QuasiIdentifiers, Collection[Hashable]], *, k: int, bands: AgeBands
) -> Plan:
    """Climb the ladder class by class until every class holds ``k`` distinct patients."""
    if k < 1:
        raise ValueError("k must be positive")
    rungs = dict.fromkeys(patients_by_qi, 0)

    def small_tuples() -> list[QuasiIdentifiers]:
        classes: dict[Written, set[Hashable]] = defaultdict(set)
        for qi, rung in rungs.items():
            classes[written(qi, rung, bands)].update(patients_by_qi[qi])
        return [qi for qi, rung in rungs.items() if len(classes[written(qi, rung, bands)]) < k]

    # A class that holds k patients never loses any (only small classes climb), so each round
    # moves some tuple up a rung and the loop ends within len(LADDER) rounds.
    while True:
        movable = [qi for qi in small_tuples() if rungs[qi] < LAST_RUNG]
        if not movable:
            break
        for qi in movable:
            rungs[qi] += 1
    final: dict[QuasiIdentifiers, int | None] = dict(rungs)
    for qi in small_tuples():
        final[qi] = None
    return Plan(k=k, bands=bands, rungs=final)


class HasQuasiIdentifiers(Protocol):
    @property
    def qi(self) -> QuasiIdentifiers: ...

    @property
    def pseudonym(self) -> str: ...


@dataclass
class Outcome:
    """Counts for the README and the job's metadata."""

    source_rows: int = 0
    rows: int = 0
    suppressed: int = 0
    generalised: int = 0
    by_rung: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RUNG_NAMES[1:], 0))

    def count(self, rung: int | None) -> None:
        self.source_rows += 1
        if rung is None:
            self.suppressed += 1
            return
        self.rows += 1
        if rung > 0:
            self.generalised += 1
            self.by_rung[RUNG_NAMES[rung]] += 1

    def as_dict(self) -> dict[str, object]:
        return {
            "source_rows": self.source_rows,
            "rows": self.rows,
            "suppressed": self.suppressed,
            "generalised": self.generalised,
            "generalised_by_step": dict(self.by_rung),
        }


def patients_by_qi[R: HasQuasiIdentifiers](
    rows: Iterable[R],
) -> dict[QuasiIdentifiers, set[Hashable]]:
    found: dict[QuasiIdentifiers, set[Hashable]] = defaultdict(set)
    for row in rows:
        found[row.qi].add(row.pseudonym)
    return found


def k_anonymise[R: HasQuasiIdentifiers](
    rows: Collection[R], *, k: int, bands: AgeBands
) -> tuple[list[tuple[R, Written]], Outcome]:
    """The rows kept, each with its written quasi-identifiers, and the counts (in memory: for
    tests and small sets; the export job applies the same plan while streaming)."""
    plan = plan_k_anonymity(patients_by_qi(rows), k=k, bands=bands)
    outcome = Outcome()
    kept: list[tuple[R, Written]] = []
    for row in rows:
        values, rung = plan.write(row.qi)
        outcome.count(rung)
        if values is not None:
            kept.append((row, values))
    return kept, outcome
