"""Directory search latency on PostgreSQL with 10,000 offers (issue 5, "Done means").

Loads, once, 10,000 synthetic offers over the AURA communes (weighted by population, 5 %
remote-only, 3 % archived) into the database of ``DATABASE_URL`` (a dedicated one:
``oncoparcours_bench_directory``); a re-run with the same size measures only.

Then measures p50/p95 latency at 1 and 8 concurrent clients of the same searches (around a
commune drawn by population, radius 10-50 km, with or without a care type, an audience and a
cost filter, first page of 20):

- ``api_search``: the public REST search over HTTP (gunicorn, 4 sync workers);
- ``selector``: ``offer_search`` called in-process (Django ORM, one connection per thread);
- ``sql_floor``: one hand-written SQL query doing the same search (bounding box, haversine,
  remote-only offers after, count in a window) through psycopg;
- ``api_offer_get``: one offer by id over HTTP, the framework's floor for the API.

Aim: p95 <= 50 ms for the API. The last line is one JSON object with every figure. Run:
``bash scripts/bench.sh`` or ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/
oncoparcours_bench_directory .venv/bin/python bench/directory.py``.
"""

import argparse
import importlib.util
import json
import random
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The HTTP client, the timing loop and the gunicorn start-up are the pathways bench's: one
# measuring method for every bench (loading that module sets Django up as we need it).
_spec = importlib.util.spec_from_file_location("bench_pathways", ROOT / "bench" / "pathways.py")
assert _spec is not None
assert _spec.loader is not None
common = importlib.util.module_from_spec(_spec)
sys.modules["bench_pathways"] = common
_spec.loader.exec_module(common)

from django.core.management import call_command  # noqa: E402
from django.db import close_old_connections, connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from oncoparcours.directory.catalogue import CareType  # noqa: E402
from oncoparcours.directory.distance import bounding_box  # noqa: E402
from oncoparcours.directory.models import (  # noqa: E402
    AUDIENCE_FIELDS,
    DELIVERY_MODE_FIELDS,
    GROUP_FORMAT_FIELDS,
    GeoPrecision,
    Offer,
)
from oncoparcours.directory.selectors import nearest_offer_by_type, offer_search  # noqa: E402
from oncoparcours.directory.services.validation.offer import search_text  # noqa: E402
from oncoparcours.territories.models import Commune  # noqa: E402

OFFERS = 10_000
SEED = 20260505
MARK = "Offre synthétique de banc d'essai"
AIM_P95_MS = 50.0
PAGE_SIZE = 20
SCENARIOS = 400
RADII = (10, 20, 30, 50)
COSTS = ("free", "psgac", "copayment", "membership")


# --- loading ---------------------------------------------------------------------------------


def _communes() -> list[Commune]:
    return list(
        Commune.objects.filter(latitude__isnull=False)
        .order_by("insee_code")
        .only("insee_code", "name", "population", "latitude", "longitude")
    )


def load(n_offers: int) -> dict[str, Any]:
    if Offer.objects.filter(title__startswith=MARK).count() == n_offers == Offer.objects.count():
        return {"skipped": True, "seconds": 0.0}
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("Refusing to wipe a database whose name does not contain 'bench'.")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute('TRUNCATE "directory_offer" CASCADE')
    rng = random.Random(SEED)
    communes = _communes()
    weights = [max(c.population, 1) for c in communes]
    types = list(CareType.values)
    rows = []
    for index in range(n_offers):
        commune = rng.choices(communes, weights)[0]
        assert commune.latitude is not None
        assert commune.longitude is not None
        care_type = rng.choice(types)
        title = f"{MARK} {index:05d} {CareType(care_type).label}"
        provider = f"Fournisseur synthétique {index % 700:03d}"
        audiences = {"adults"} if rng.random() < 0.85 else set()
        audiences |= {
            a
            for a, share in (("aja", 0.15), ("carers", 0.15), ("children", 0.05))
            if rng.random() < share
        }
        modes = (
            {"remote"}
            if rng.random() < 0.05
            else {"in_person"} | ({"home"} if rng.random() < 0.1 else set())
        )
        formats = rng.choice(({"individual"}, {"group"}, {"individual", "group"}))
        values: dict[str, Any] = {
            "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "title": title,
            "care_type": care_type,
            "cost": rng.choice(COSTS),
            "provider_name": provider,
            "commune_id": commune.insee_code,
            "latitude": commune.latitude + rng.uniform(-0.01, 0.01),
            "longitude": commune.longitude + rng.uniform(-0.014, 0.014),
            "geo_precision": GeoPrecision.ADDRESS,
            "source": "survey",
            "languages": ["fr"],
            "search_text": search_text(title, provider),
            "last_verified_at": timezone.localdate(),
            "archived_at": timezone.now() if rng.random() < 0.03 else None,
        }  # fmt: skip
        for code, column in AUDIENCE_FIELDS.items():
            values[column] = code in (audiences or {"adults"})
        for code, column in GROUP_FORMAT_FIELDS.items():
            values[column] = code in formats
        for code, column in DELIVERY_MODE_FIELDS.items():
            values[column] = code in modes
        rows.append(Offer(**values))
    Offer.objects.bulk_create(rows, batch_size=1000)
    return {"skipped": False, "seconds": round(time.perf_counter() - started, 1)}


# --- the searches ----------------------------------------------------------------------------


def scenarios() -> list[dict[str, Any]]:
    """The same mix for every contender: a place drawn by population, a radius, some filters."""
    rng = random.Random(SEED + 1)
    communes = _communes()
    weights = [max(c.population, 1) for c in communes]
    drawn = []
    for _ in range(SCENARIOS):
        commune = rng.choices(communes, weights)[0]
        drawn.append(
            {
                "lat": commune.latitude,
                "lon": commune.longitude,
                "radius_km": rng.choice(RADII),
                "care_type": rng.choice(list(CareType.values)) if rng.random() < 0.7 else None,
                "audience": rng.choice(("adults", "aja", "carers")) if rng.random() < 0.5 else None,
                "cost": rng.choice(COSTS) if rng.random() < 0.3 else None,
            }
        )
    return drawn


def api_path(s: dict[str, Any]) -> str:
    query = f"lat={s['lat']}&lon={s['lon']}&radius_km={s['radius_km']}&page_size={PAGE_SIZE}"
    for key in ("care_type", "audience", "cost"):
        if s[key]:
            query += f"&{key}={s[key]}"
    return f"/api/v1/directory/offers?{query}"


def select(s: dict[str, Any]) -> bool:
    page = offer_search(
        care_types=[s["care_type"]] if s["care_type"] else [],
        audience=s["audience"],
        costs=[s["cost"]] if s["cost"] else [],
        origin=(s["lat"], s["lon"]),
        radius_km=s["radius_km"],
        page_size=PAGE_SIZE,
    )
    for hit in page.hits:
        _ = (hit.offer.commune.name, hit.offer.provider_organisation)
    return page.total >= 0


FLOOR_SQL = """
WITH found AS (
  SELECT o.*,
    CASE WHEN o.remote_only THEN NULL
      ELSE 2 * 6371.0 * ASIN(LEAST(1.0, SQRT(
        POWER(SIN(RADIANS(o.latitude - %(lat)s) / 2), 2)
        + COS(RADIANS(%(lat)s)) * COS(RADIANS(o.latitude))
          * POWER(SIN(RADIANS(o.longitude - %(lon)s) / 2), 2)))) END AS distance_km
  FROM directory_offer o
  WHERE o.archived_at IS NULL
    AND (%(care_type)s::text IS NULL OR o.care_type = %(care_type)s)
    AND (%(cost)s::text IS NULL OR o.cost = %(cost)s)
    AND (%(audience)s::text IS NULL
         OR (%(audience)s = 'adults' AND o.audience_adults)
         OR (%(audience)s = 'aja' AND o.audience_aja)
         OR (%(audience)s = 'carers' AND o.audience_carers))
    AND ((o.latitude BETWEEN %(min_lat)s AND %(max_lat)s
          AND o.longitude BETWEEN %(min_lon)s AND %(max_lon)s AND NOT o.remote_only)
         OR o.remote_only)
), kept AS (
  SELECT * FROM found WHERE remote_only OR distance_km <= %(radius)s
)
SELECT k.public_id, k.title, k.provider_name, k.cost, k.care_type, k.distance_km,
       c.name, d.name, org.name, count(*) OVER () AS total
FROM kept k
JOIN territories_commune c ON c.insee_code = k.commune_id
JOIN territories_department d ON d.code = c.department_id
LEFT JOIN organisations_organisation org ON org.id = k.provider_organisation_id
ORDER BY k.remote_only, k.distance_km NULLS LAST, k.title, k.id
LIMIT %(limit)s
"""


def floor_params(s: dict[str, Any]) -> dict[str, Any]:
    box = bounding_box(s["lat"], s["lon"], s["radius_km"])
    return {
        "lat": s["lat"],
        "lon": s["lon"],
        "radius": s["radius_km"] + 1e-6,
        "care_type": s["care_type"],
        "cost": s["cost"],
        "audience": s["audience"],
        "min_lat": box.min_latitude,
        "max_lat": box.max_latitude,
        "min_lon": box.min_longitude,
        "max_lon": box.max_longitude,
        "limit": PAGE_SIZE,
    }


class SelectorState:
    """A thread's own Django connection, closed at the end like a request's."""

    def close(self) -> None:
        close_old_connections()
        connection.close()


def check_same_answers(drawn: list[dict[str, Any]], dsn: str) -> None:
    """The floor is only a floor if it finds what the selector finds."""
    floor = common.SqlState(dsn)
    try:
        for s in drawn[:50]:
            page = offer_search(
                care_types=[s["care_type"]] if s["care_type"] else [],
                audience=s["audience"],
                costs=[s["cost"]] if s["cost"] else [],
                origin=(s["lat"], s["lon"]),
                radius_km=s["radius_km"],
                page_size=PAGE_SIZE,
            )
            with floor.conn.cursor() as cur:
                cur.execute(FLOOR_SQL, floor_params(s))
                rows = cur.fetchall()
            assert [r[0] for r in rows] == [h.offer.public_id for h in page.hits], s
            assert (rows[0][-1] if rows else 0) == page.total, s
    finally:
        floor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offers", type=int, default=OFFERS)
    parser.add_argument("--requests-1", type=int, default=400, help="timed requests, 1 client")
    parser.add_argument("--requests-8", type=int, default=1600, help="timed requests, 8 clients")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This bench needs PostgreSQL (DATABASE_URL=postgres://…).")
    call_command("migrate", verbosity=0)
    if Commune.objects.count() < 4000:
        call_command("load_geography", verbosity=0)
    print(f"== directory bench: {args.offers:,} offers", flush=True)
    loading = load(args.offers)
    print(
        "  load: already there, skipped"
        if loading["skipped"]
        else f"  load time: {loading['seconds']} s",
        flush=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics (geography included) for the planner
    drawn = scenarios()
    dsn = common.pg_dsn()
    check_same_answers(drawn, dsn)
    started = time.perf_counter()
    nearest = nearest_offer_by_type(Commune.objects.all())
    nearest_seconds = round(time.perf_counter() - started, 2)
    print(
        f"  nearest_offer_by_type: {len(nearest)} communes x {len(CareType.values)} types "
        f"in {nearest_seconds} s",
        flush=True,
    )
    averages: list[int] = [
        offer_search(origin=(s["lat"], s["lon"]), radius_km=s["radius_km"]).total
        for s in drawn[:100]
    ]
    connection.close()

    port = common.free_port()
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = common.start_server(port, log_dir / "gunicorn-directory.log")
    headers = {"Accept": "application/json"}

    def pick(i: int) -> dict[str, Any]:
        return drawn[i % len(drawn)]

    offer_ids = [
        str(i)
        for i in Offer.objects.filter(archived_at__isnull=True)
        .order_by("pk")
        .values_list("public_id", flat=True)[:500]
    ]
    operations: dict[str, tuple[Any, Any]] = {
        "api_offer_get": (
            lambda: common.HttpClient(port, headers),
            lambda c, i: (
                c.call("GET", f"/api/v1/directory/offers/{offer_ids[i % len(offer_ids)]}") == 200
            ),
        ),
        "api_search": (
            lambda: common.HttpClient(port, headers),
            lambda c, i: c.call("GET", api_path(pick(i))) == 200,
        ),
        "selector": (SelectorState, lambda _s, i: select(pick(i))),
        "sql_floor": (
            lambda: common.SqlState(dsn),
            lambda st, i: st.query(FLOOR_SQL, floor_params(pick(i))) or True,
        ),
    }
    results: dict[str, dict[str, Any]] = {}
    try:
        probe = common.HttpClient(port, headers)
        if probe.call("GET", api_path(drawn[0])) != 200:
            raise SystemExit(f"api_search: unexpected answer {probe.last!r}")
        probe.close()
        for clients, requests in ((1, args.requests_1), (8, args.requests_8)):
            print(f"-- {clients} client(s), {requests} requests each measurement", flush=True)
            for name, (make_state, op) in operations.items():
                results.setdefault(name, {})[f"c{clients}"] = common.measure(
                    name, make_state, op, clients, requests
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    ratios: dict[str, dict[str, Any]] = {}
    meets: dict[str, bool] = {}
    print("-- ratios to the SQL floor (p50 and p95)", flush=True)
    for name in ("api_search", "selector"):
        for conc in ("c1", "c8"):
            mine, floor = results[name][conc], results["sql_floor"][conc]
            ratios.setdefault(name, {})[conc] = {
                "p50": common.ratio(mine["p50_ms"], floor["p50_ms"]),
                "p95": common.ratio(mine["p95_ms"], floor["p95_ms"]),
            }
            print(f"  {name:<12} {conc}: {ratios[name][conc]}", flush=True)
    for conc in ("c1", "c8"):
        p95 = results["api_search"][conc]["p95_ms"]
        meets[conc] = p95 is not None and p95 <= AIM_P95_MS
        print(
            f"  api_search {conc} p95 {p95} ms: aim <= {AIM_P95_MS:g} ms {'met' if meets[conc] else 'NOT met'}"
        )
    figures = {
        "bench": "directory",
        "database": connection.vendor,
        "offers": Offer.objects.count(),
        "active_offers": Offer.objects.filter(archived_at__isnull=True).count(),
        "load": loading,
        "scenarios": len(drawn),
        "mean_matches_unfiltered": round(sum(averages) / len(averages), 1),
        "page_size": PAGE_SIZE,
        "nearest_offer_by_type_seconds": nearest_seconds,
        "server": "gunicorn config.wsgi -w 4 (sync), DEBUG off, anonymous requests",
        "floor": "one SQL query: bounding box + haversine + count(*) OVER (), psycopg",
        "aim_p95_ms": AIM_P95_MS,
        "results": results,
        "ratios": ratios,
        "meets_aim": meets,
        "python": sys.version.split()[0],
    }
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
