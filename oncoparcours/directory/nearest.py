"""Distance from many places to the nearest of many points: pure, no database.

The coverage view asks it for 4,025 communes x 10 care types. Comparing every commune with
every offer is 40 million great-circle distances at 10,000 offers; a grid of cells sized to
the points' density instead looks at the few cells around each commune, ring after ring, and
stops as soon as no farther ring can hold anything closer (a proven lower bound, so the
answer is exact, not approximate).
"""

from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from math import asin, cos, floor, inf, radians, sin, sqrt

from oncoparcours.territories.geo import EARTH_RADIUS_KM, great_circle_km

# Aim for about two points per cell; clamp so that sparse or dense sets stay sensible.
_POINTS_PER_CELL = 2.0
_MIN_CELL_DEGREES = 0.02
_MAX_CELL_DEGREES = 2.0


# latitude and longitude in radians, cos(latitude), then the degrees they came from.
_Point = tuple[float, float, float, float, float]


class NearestIndex:
    """Points bucketed in square latitude/longitude cells."""

    def __init__(self, points: Iterable[tuple[float, float]], *, max_abs_latitude: float) -> None:
        self.points = list(points)
        lats = [lat for lat, _lon in self.points]
        lons = [lon for _lat, lon in self.points]
        if self.points:
            area = max(max(lats) - min(lats), 0.1) * max(max(lons) - min(lons), 0.1)
            cell = sqrt(area * _POINTS_PER_CELL / len(self.points))
        else:
            cell = _MAX_CELL_DEGREES
        self.cell = min(max(cell, _MIN_CELL_DEGREES), _MAX_CELL_DEGREES)
        self.cells: dict[tuple[int, int], list[_Point]] = defaultdict(list)
        for lat, lon in self.points:
            phi = radians(lat)
            self.cells[self._key(lat, lon)].append((phi, radians(lon), cos(phi), lat, lon))
        keys = list(self.cells) or [(0, 0)]
        self.min_i = min(i for i, _j in keys)
        self.max_i = max(i for i, _j in keys)
        self.min_j = min(j for _i, j in keys)
        self.max_j = max(j for _i, j in keys)
        # cos of the highest latitude any point or origin reaches: the lower bound on the
        # distance of a longitude gap holds for every pair of points at or below it.
        highest = max([max_abs_latitude, *(abs(lat) for lat in lats)])
        self._cos_max = cos(radians(min(highest + self.cell, 90.0)))

    def _key(self, lat: float, lon: float) -> tuple[int, int]:
        return floor(lat / self.cell), floor(lon / self.cell)

    def _ring_lower_bound(self, ring: int) -> float:
        """No point in a cell ``ring`` cells away (Chebyshev) can be nearer than this.

        Such a point is at least (ring - 1) cells away in latitude or in longitude; the
        haversine of a longitude gap Δλ is at least cos²(φmax)·sin²(Δλ/2), which is below the
        latitude gap's own bound.
        """
        if ring <= 1:
            return 0.0
        gap = radians((ring - 1) * self.cell)
        return 2 * EARTH_RADIUS_KM * asin(min(1.0, self._cos_max * sin(gap / 2)))

    def _ring(self, i: int, j: int, ring: int) -> Iterable[_Point]:
        cells = self.cells
        if ring == 0:
            yield from cells.get((i, j), ())
            return
        for dj in range(-ring, ring + 1):
            yield from cells.get((i - ring, j + dj), ())
            yield from cells.get((i + ring, j + dj), ())
        for di in range(-ring + 1, ring):
            yield from cells.get((i + di, j - ring), ())
            yield from cells.get((i + di, j + ring), ())

    def nearest_km(self, lat: float, lon: float) -> float | None:
        """Compares haversine terms (monotonic in the distance) on precomputed radians, and
        computes the distance once, for the winner, with ``great_circle_km`` itself."""
        if not self.points:
            return None
        i, j = self._key(lat, lon)
        last_ring = max(
            abs(i - self.min_i), abs(i - self.max_i), abs(j - self.min_j), abs(j - self.max_j)
        )
        phi, lam = radians(lat), radians(lon)
        cos_phi = cos(phi)
        best_a = inf
        best: tuple[float, float] | None = None
        for ring in range(last_ring + 1):
            bound = self._ring_lower_bound(ring) / (2 * EARTH_RADIUS_KM)
            if best_a <= sin(bound) ** 2:
                break
            for p_phi, p_lam, p_cos, p_lat, p_lon in self._ring(i, j, ring):
                a = sin((p_phi - phi) / 2) ** 2 + cos_phi * p_cos * sin((p_lam - lam) / 2) ** 2
                if a < best_a:
                    best_a, best = a, (p_lat, p_lon)
        assert best is not None
        return great_circle_km(lat, lon, *best)


def nearest_distances[K: Hashable](
    origins: Sequence[tuple[K, float, float]], points: Iterable[tuple[float, float]]
) -> dict[K, float | None]:
    """For each (key, lat, lon) origin, the distance in km to the nearest point (None if none)."""
    highest = max((abs(lat) for _key, lat, _lon in origins), default=0.0)
    index = NearestIndex(points, max_abs_latitude=highest)
    return {key: index.nearest_km(lat, lon) for key, lat, lon in origins}
