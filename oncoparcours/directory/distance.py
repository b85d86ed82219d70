"""Great-circle distance in SQL, and the bounding box that lets an index prefilter it.

The formula is the one of ``territories.geo.great_circle_km`` term for term (haversine, same
Earth radius, same operand order), so that the database and hand-computed figures in tests
agree to the last few ulps: PostgreSQL computes it in SQL, SQLite calls that very Python
function, registered on each connection (``DirectoryConfig.ready``).
"""

from dataclasses import dataclass
from math import asin, cos, degrees, radians, sin
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, FloatField, Func, Value
from django.db.models.sql.compiler import SQLCompiler

from oncoparcours.territories.geo import EARTH_RADIUS_KM, great_circle_km

SQLITE_FUNCTION = "ONCOPARCOURS_GREAT_CIRCLE_KM"

# A point exactly at the radius is in: this absorbs the last-ulp differences between libm's
# trigonometry in PostgreSQL and in Python (a millimetre, far below what anyone reads).
RADIUS_TOLERANCE_KM = 1e-6


class GreatCircleKm(Func):
    """Distance in km from a fixed point to the row's (latitude, longitude) columns."""

    output_field = FloatField()

    def __init__(
        self,
        latitude: float,
        longitude: float,
        lat_column: str = "latitude",
        lon_column: str = "longitude",
    ) -> None:
        super().__init__(
            Value(float(latitude)),
            Value(float(longitude)),
            lat_column,
            lon_column,
            output_field=FloatField(),
        )

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        lat1, lon1, lat2, lon2 = self.get_source_expressions()
        params: list[Any] = []

        def sql(expression: Expression) -> str:
            # Compiled in the order the placeholders appear, so the params line up.
            compiled, expression_params = compiler.compile(expression)
            params.extend(expression_params)
            return f"({compiled})::double precision"

        haversine = (
            f"(2 * {EARTH_RADIUS_KM!r} * ASIN(LEAST(1.0, SQRT("
            f"POWER(SIN(RADIANS({sql(lat2)} - {sql(lat1)}) / 2), 2)"
            f" + COS(RADIANS({sql(lat1)})) * COS(RADIANS({sql(lat2)}))"
            f" * POWER(SIN(RADIANS({sql(lon2)} - {sql(lon1)}) / 2), 2)))))"
        )
        return haversine, params


def _great_circle_or_null(
    lat1: float | None, lon1: float | None, lat2: float | None, lon2: float | None
) -> float | None:
    if lat1 is None or lon1 is None or lat2 is None or lon2 is None:
        return None
    return great_circle_km(lat1, lon1, lat2, lon2)


def register_sqlite_great_circle(
    sender: object, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """``connection_created`` receiver: gives SQLite the distance function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 4, _great_circle_or_null, deterministic=True
        )


@dataclass(frozen=True)
class BoundingBox:
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float


def bounding_box(latitude: float, longitude: float, radius_km: float) -> BoundingBox:
    """The smallest latitude/longitude box holding every point within ``radius_km``.

    The longitude half-width of a spherical cap is asin(sin(r/R) / cos(lat)), wider than
    r/(R cos lat): the circle's widest point is poleward of the centre. A small margin keeps
    points exactly at the radius inside whatever the rounding.
    """
    angular = radius_km / EARTH_RADIUS_KM
    margin = 1e-7
    half_lat = degrees(angular) + margin
    min_lat, max_lat = latitude - half_lat, latitude + half_lat
    ratio = sin(angular) / max(cos(radians(latitude)), 1e-12)
    if min_lat <= -90 or max_lat >= 90 or ratio >= 1:
        return BoundingBox(max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0)
    half_lon = degrees(asin(ratio)) + margin
    return BoundingBox(min_lat, max_lat, longitude - half_lon, longitude + half_lon)
