"""Great-circle distance between two points (pure): orientation and the directory's search."""

from math import asin, cos, radians, sin, sqrt

# Mean Earth radius (IUGG): the figure hand-computed expectations in tests use too.
EARTH_RADIUS_KM = 6371.0


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in km as the crow flies (haversine), not by road; unrounded."""
    phi1, phi2 = radians(lat1), radians(lat2)
    dphi = radians(lat2 - lat1)
    dlambda = radians(lon2 - lon1)
    a = sin(dphi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(a))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The same distance rounded to 0.1 km, as people read it."""
    return round(great_circle_km(lat1, lon1, lat2, lon2), 1)
