"""The coverage table of one department (issue 5 §3): for each commune, the structures porteuses
whose active territories include it, and the distance to the nearest offer of each care type.

A read for the coverage page and its CSV, composed from the territories' data and
``nearest_offer_by_type``. Three queries whatever the number of communes: the communes, their
territory memberships, the offers (inside ``nearest_offer_by_type``).
"""

from dataclasses import dataclass, field

from oncoparcours.directory.catalogue import CareType
from oncoparcours.directory.selectors import nearest_offer_by_type
from oncoparcours.territories.models import Commune, Department, InterventionTerritory


@dataclass(frozen=True)
class CommuneCoverage:
    commune: Commune
    structures: list[str]
    # care type code → km (unrounded), None when no located offer of that type exists;
    # empty when the commune has no coordinates.
    nearest_km: dict[str, float | None]

    @property
    def covered(self) -> bool:
        return bool(self.structures)

    @property
    def located(self) -> bool:
        return self.commune.latitude is not None and self.commune.longitude is not None

    def distances(self) -> list[float | None]:
        """In ``CareType`` order, for the table's columns."""
        return [self.nearest_km.get(code) for code in CareType.values]


@dataclass(frozen=True)
class CoverageTable:
    department: Department
    rows: list[CommuneCoverage]
    population: int = field(init=False)
    uncovered_population: int = field(init=False)
    uncovered_communes: int = field(init=False)

    def __post_init__(self) -> None:
        uncovered = [row for row in self.rows if not row.covered]
        object.__setattr__(self, "population", sum(r.commune.population for r in self.rows))
        object.__setattr__(
            self, "uncovered_population", sum(r.commune.population for r in uncovered)
        )
        object.__setattr__(self, "uncovered_communes", len(uncovered))

    @property
    def covered_communes(self) -> int:
        return len(self.rows) - self.uncovered_communes


def department_coverage(department: Department, *, audience: str | None = None) -> CoverageTable:
    communes = list(
        Commune.objects.filter(department=department)
        .only("insee_code", "name", "population", "latitude", "longitude", "department_id")
        .order_by("name", "insee_code")
    )
    # The same rule as ``coverage_summary`` in territories: active territory, active structure.
    links = InterventionTerritory.communes.through.objects.filter(
        commune__department=department,
        interventionterritory__archived_at__isnull=True,
        interventionterritory__structure__archived_at__isnull=True,
    ).values_list("commune_id", "interventionterritory__structure__name")
    structures: dict[str, set[str]] = {}
    for insee, name in links:
        structures.setdefault(insee, set()).add(name)
    nearest = nearest_offer_by_type(communes, audience=audience)
    rows = [
        CommuneCoverage(
            commune=commune,
            structures=sorted(structures.get(commune.insee_code, ())),
            nearest_km=nearest.get(commune.insee_code, {}),
        )
        for commune in communes
    ]
    return CoverageTable(department=department, rows=rows)
