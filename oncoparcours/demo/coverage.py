"""Where the demo structures intervene: pure functions over plain commune rows, no database.

An adult structure covers its department by whole EPCIs, cut into 1-3 territories by bearing
around the department's centre (so each territory is one contiguous-looking sector), and a few
small rural EPCIs are left to nobody so that the "territoire non couvert" figures show
something.
"""

import math
import random
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

# Share of a department's communes left outside every adult territory.
UNCOVERED_MIN = 0.10
UNCOVERED_MAX = 0.15


@dataclass(frozen=True)
class CommuneRow:
    insee: str
    name: str
    department: str
    epci: str | None
    population: int
    latitude: float | None
    longitude: float | None


def rural_groups_left_out(
    groups: Mapping[str, tuple[int, int]], home_key: str | None, rng: random.Random
) -> set[str]:
    """Which EPCIs of a department no territory covers, from ``{key: (population, communes)}``.

    Picks among the less populated half of the EPCIs, never the structure's own, until 10-15 %
    of the department's communes are left out (fewer when the EPCIs are too big to fit).
    """
    total = sum(count for _population, count in groups.values())
    by_population = sorted(
        (key for key in groups if key != home_key), key=lambda key: (groups[key][0], key)
    )
    candidates = by_population[: max(1, len(by_population) // 2)]
    rng.shuffle(candidates)
    left_out: set[str] = set()
    count = 0
    for key in candidates:
        if count >= UNCOVERED_MIN * total:
            break
        if count + groups[key][1] <= UNCOVERED_MAX * total:
            left_out.add(key)
            count += groups[key][1]
    return left_out


def split_balanced[T](groups: Sequence[Sequence[T]], parts: int) -> list[list[Sequence[T]]]:
    """Cuts an ordered list of groups into at most ``parts`` runs of similar total size."""
    total = max(sum(len(group) for group in groups), 1)
    chunks: list[list[Sequence[T]]] = [[] for _ in range(parts)]
    seen = 0
    for index, group in enumerate(groups):
        part = min(parts - 1, (seen * parts) // total)
        # Keep at least one group for each later part.
        part = max(part, parts - (len(groups) - index))
        chunks[part].append(group)
        seen += len(group)
    return [chunk for chunk in chunks if chunk]


def centroid(communes: Iterable[CommuneRow]) -> tuple[float, float] | None:
    points = [
        (c.latitude, c.longitude)
        for c in communes
        if c.latitude is not None and c.longitude is not None
    ]
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def of_commune(name: str) -> str:
    """French "de" before a commune name: de Lyon, d'Annecy, du Puy-en-Velay, des Abrets."""
    if name.startswith("Le "):
        return "du " + name[3:]
    if name.startswith("Les "):
        return "des " + name[4:]
    if name[:1] in "AEIOUYÉÈÊÎÔ" and not name.startswith("L'"):
        return "d'" + name
    return "de " + name


def adult_territories(
    communes: Sequence[CommuneRow], home_insee: str | None, rng: random.Random
) -> list[tuple[str, list[CommuneRow]]]:
    """The 1-3 named territories of an adult structure over its department's communes."""
    groups: dict[str, list[CommuneRow]] = defaultdict(list)
    for commune in communes:
        groups[commune.epci or f"commune:{commune.insee}"].append(commune)
    home_key = next(
        (key for key, members in groups.items() if any(c.insee == home_insee for c in members)),
        None,
    )
    sizes = {key: (sum(c.population for c in group), len(group)) for key, group in groups.items()}
    left_out = rural_groups_left_out(sizes, home_key, rng)
    centre = centroid(communes)

    def bearing(key: str) -> float:
        point = centroid(groups[key])
        if centre is None or point is None:
            return 0.0
        return math.atan2(point[0] - centre[0], point[1] - centre[1])

    ordered = sorted((key for key in groups if key not in left_out), key=lambda k: (bearing(k), k))
    parts = min(rng.randint(1, 3), len(ordered))
    territories: list[tuple[str, list[CommuneRow]]] = []
    names: set[str] = set()
    for chunk in split_balanced([groups[key] for key in ordered], parts):
        members = [c for group in chunk for c in group]
        main = max(members, key=lambda c: (c.population, c.insee))
        name = _("Territoire %(of_commune)s") % {"of_commune": of_commune(main.name)}
        if name in names:
            name = f"{name} ({len(names) + 1})"
        names.add(name)
        territories.append((name, members))
    return territories
