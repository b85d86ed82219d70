"""Commune search latency on the full AURA referential (4,025 communes).

Prints p50/p95/max of `commune_search` for a mix of queries (names with and without accents,
postal codes, INSEE codes) and of a hand-written SQL floor doing the same name lookup, then one
JSON line with the figures. Run: `make bench` (SQLite and, if reachable, PostgreSQL).
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("ONCOPARCOURS_SECRET_KEY", "bench-only")
os.environ.setdefault("ONCOPARCOURS_EXPORT_PEPPER", "bench-only")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from oncoparcours.territories.models import Commune  # noqa: E402
from oncoparcours.territories.normalise import normalise_name  # noqa: E402
from oncoparcours.territories.selectors import commune_search  # noqa: E402

QUERIES = [
    "lyon",
    "Saint-Étienne",
    "st etienne",
    "clermont",
    "annecy",
    "villeurbanne",
    "grenoble",
    "chambéry",
    "aurillac",
    "le puy",
    "valence",
    "bourg",
    "69003",
    "38",
    "74000",
    "63113",
    "saint",
    "mont",
    "écully",
    "thônes",
]
ROUNDS = 25


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(fn: Callable[[str], object]) -> list[float]:
    timings = []
    for _ in range(ROUNDS):
        for query in QUERIES:
            start = time.perf_counter()
            fn(query)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def floor(query: str) -> None:
    key = normalise_name(query)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT insee_code, name FROM territories_commune WHERE search_name LIKE %s "
            "ORDER BY population DESC LIMIT 20",
            [f"%{key}%"],
        )
        cursor.fetchall()


def main() -> None:
    call_command("migrate", verbosity=0)
    if Commune.objects.count() < 4000:
        call_command("load_geography", verbosity=0)
    measure(commune_search)  # warm-up
    ours = measure(commune_search)
    base = measure(floor)
    figures = {
        "bench": "commune_search",
        "database": connection.vendor,
        "communes": Commune.objects.count(),
        "samples": len(ours),
        "p50_ms": round(statistics.median(ours), 3),
        "p95_ms": round(percentile(ours, 0.95), 3),
        "max_ms": round(max(ours), 3),
        "floor_p95_ms": round(percentile(base, 0.95), 3),
        "ratio_p95": round(percentile(ours, 0.95) / percentile(base, 0.95), 2),
    }
    for key, value in figures.items():
        print(f"{key:>14}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
