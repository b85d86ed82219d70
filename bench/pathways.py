"""Pathways and REST latency on a PostgreSQL database of realistic size (issue 3, "Done means").

Loads, once, synthetic data into the database of ``DATABASE_URL`` (a dedicated one:
``oncoparcours_bench``): 100,000 pathways with their prescriptions and patients over 17
structures porteuses, 1,000,000 acts, and, for the biggest structure, 10,000 more patients and
10,000 tasks. Loading goes through PostgreSQL COPY and is skipped when the rows are already
there, so a re-run measures only.

Then starts gunicorn (4 sync workers) on a free local port and measures, at 1 and 8 concurrent
clients (threads with http.client connections), p50/p95 latency and requests per second of:

- the coordinator worklist page (``/parcours/``) and a pathway page (``/parcours/<id>/``),
  against a floor: the same rows read by one hand-written SQL query through psycopg;
- five REST operations (create, read and search patients; create and list tasks), against a
  framework floor: ``GET /api/v1/accounts/roles`` (a static table, same server, same token
  authentication).

Aim: reads within 5x and writes within 12x the floor's p50 (printed, never failed). The last
line is one JSON object with every figure. Run: ``bash scripts/bench.sh`` (PostgreSQL part), or
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/oncoparcours_bench .venv/bin/python
bench/pathways.py``; ``--pathways``/``--acts`` make a smaller dry run (the data is reloaded
when the sizes differ).
"""

import argparse
import http.client
import itertools
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
os.environ.setdefault("ONCOPARCOURS_SECRET_KEY", "bench-only")
os.environ.setdefault("ONCOPARCOURS_EXPORT_PEPPER", "bench-only")
os.environ.setdefault("ONCOPARCOURS_HTTPS", "false")
os.environ.setdefault("ONCOPARCOURS_REQUIRE_2FA", "false")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, models  # noqa: E402

from oncoparcours.accounts.middleware import SESSION_KEY as MEMBERSHIP_KEY  # noqa: E402
from oncoparcours.accounts.models import Membership, User  # noqa: E402
from oncoparcours.accounts.roles import OrgKind, RoleCode  # noqa: E402
from oncoparcours.accounts.services import api_token_create  # noqa: E402
from oncoparcours.coordination.models import Task  # noqa: E402
from oncoparcours.core.text import fold  # noqa: E402
from oncoparcours.organisations.models import Organisation  # noqa: E402
from oncoparcours.pathways.models import Act, Pathway, PathwayEvent, Prescription  # noqa: E402
from oncoparcours.pathways.rules.budget import ActStatus  # noqa: E402
from oncoparcours.pathways.rules.prestations import (  # noqa: E402
    APA_ASSESSMENT,
    DIET_ASSESSMENT,
    DIET_FOLLOWUP,
    PSY_ASSESSMENT,
    PSY_FOLLOWUP,
)
from oncoparcours.pathways.states import EventKind, PathwayStatus  # noqa: E402
from oncoparcours.patients.models import Patient  # noqa: E402
from oncoparcours.territories.models import Commune  # noqa: E402

STRUCTURES = 17
BIG_SHARE = 0.25  # the big structure's share of the pathways; the others split the rest
REST_PATIENTS = 10_000
REST_TASKS = 10_000
SEARCH_NAME = "VALBRUNEX"  # invented family name shared by SEARCH_HITS patients
SEARCH_HITS = 20
MARK = "Structure porteuse synthétique"
SEED = 20260303
READ_AIM = 5.0
WRITE_AIM = 12.0
TIME_LIMIT_S = 60.0
WARMUP_PER_CLIENT = 10
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)

FIRST_NAMES = ["Alix", "Camille", "Dominique", "Eden", "Lou", "Noa", "Sacha", "Yaël", "Maël"]
NAME_SYLLABLES = [
    "bra",
    "cor",
    "dal",
    "fen",
    "gor",
    "lum",
    "mir",
    "nob",
    "pel",
    "rav",
    "sol",
    "tur",
]
ACT_KINDS = [APA_ASSESSMENT, DIET_ASSESSMENT, PSY_ASSESSMENT, DIET_FOLLOWUP, PSY_FOLLOWUP]
ACT_STATUSES = [ActStatus.DONE] * 12 + [ActStatus.BOOKED] * 4 + [ActStatus.CANCELLED] * 3
ACT_STATUSES += [ActStatus.NO_SHOW]
PATHWAY_STATUSES = (
    [PathwayStatus.ACTIVE] * 10
    + [PathwayStatus.COMPLETED] * 4
    + [PathwayStatus.CONTACTED] * 2
    + [PathwayStatus.ELIGIBLE] * 2
    + [PathwayStatus.RECEIVED, PathwayStatus.REFUSED, PathwayStatus.EXPIRED]
)


# --- loading ---------------------------------------------------------------------------------


class Copier:
    """COPY rows of one model: values given by attname, every other column its default."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.defaults: dict[str, Any] = {}
        for field in self.fields:
            if field.has_default() and not isinstance(field, models.UUIDField):
                value = field.get_default()
            elif field.null:
                value = None
            elif isinstance(field, models.DateTimeField):
                value = NOW
            else:
                value = ""
            if isinstance(field, models.JSONField):
                value = json.dumps(value)
            self.defaults[field.attname] = value

    def copy(self, rows: Iterable[dict[str, Any]]) -> int:
        rows = iter(rows)
        first = next(rows, None)
        if first is None:
            return 0
        # The primary key is copied when given (others point to it), else left to its identity.
        fields = [f for f in self.fields if not f.primary_key or f.attname in first]
        columns = ", ".join(f'"{f.column}"' for f in fields)
        names = [f.attname for f in fields]
        rows = itertools.chain([first], rows)
        table = self.model._meta.db_table
        count = 0
        connection.ensure_connection()
        raw = connection.connection
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[n] if n in row else self.defaults[n] for n in names])
                count += 1
        with connection.cursor() as cursor:
            sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM \"{table}\"))"  # noqa: S608
            cursor.execute(sql, [table])
        return count


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(m=models.Max("id"))["m"]
    return int(last or 0) + 1


def synthetic_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def synthetic_name(rng: random.Random) -> str:
    return "".join(rng.choice(NAME_SYLLABLES) for _ in range(3)).upper()


def patient_row(
    rng: random.Random, pk: int, structure_id: int, commune_id: str, name: str | None = None
) -> dict[str, Any]:
    birth = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 60))
    birth_name, given_name = name or synthetic_name(rng), rng.choice(FIRST_NAMES)
    return {
        "id": pk,
        "public_id": synthetic_uuid(rng),
        "birth_name": birth_name,
        "first_given_name": given_name,
        # COPY bypasses Patient.save(): the search keys are written here.
        "birth_name_key": fold(birth_name),
        "name_key": fold(birth_name),
        "given_name_key": fold(given_name),
        "birth_date": birth,
        "sex": rng.choice("FM"),
        "commune_id": commune_id,
        "structure_id": structure_id,
        "ald_cancer": True,
        "active_treatment_end_date": date(2026, 1, 1) + timedelta(days=rng.randrange(0, 200)),
        "treatment_types": '["chemotherapy"]',
        "created_at": NOW - timedelta(days=rng.randrange(0, 700)),
    }


def ensure_actors() -> tuple[list[Organisation], dict[int, Membership], dict[int, list[int]]]:
    """The structures, one coordinator each, and three professionals per structure (ORM; few
    rows). Users get no usable password: the bench forces a session instead of logging in."""
    lyon = Commune.objects.get(insee_code="69123")
    structures = list(Organisation.objects.filter(name__startswith=MARK).order_by("name"))
    if len(structures) < STRUCTURES:
        for n in range(len(structures) + 1, STRUCTURES + 1):
            Organisation.objects.create(
                name=f"{MARK} {n:02d}", kind=OrgKind.STRUCTURE_PORTEUSE, commune=lyon
            )
        structures = list(Organisation.objects.filter(name__startswith=MARK).order_by("name"))
    coordinators: dict[int, Membership] = {}
    professionals: dict[int, list[int]] = {}
    roles = [
        ("coord", RoleCode.COORDINATOR, ""),
        ("apa", RoleCode.APA_PROFESSIONAL, "apa_teacher"),
        ("diet", RoleCode.DIETITIAN, "dietitian"),
        ("psy", RoleCode.PSYCHOLOGIST, "psychologist"),
    ]
    for n, structure in enumerate(structures, start=1):
        professionals[structure.pk] = []
        for prefix, role, profession in roles:
            email = f"bench-{prefix}-{n:02d}@bench.invalid"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(
                    email=email,
                    first_name="Synthétique",
                    last_name=f"{prefix.upper()} {n:02d}",
                    profession=profession,
                )
                user.set_unusable_password()
                user.save()
            membership, _ = Membership.objects.get_or_create(
                user=user, organisation=structure, role=role
            )
            if role == RoleCode.COORDINATOR:
                coordinators[structure.pk] = membership
            else:
                professionals[structure.pk].append(user.pk)
    return structures, coordinators, professionals


def loaded(n_pathways: int, n_acts: int, big: Organisation) -> bool:
    return (
        Pathway.objects.count() == n_pathways
        and Act.objects.count() == n_acts
        and Task.objects.filter(organisation=big).count() >= REST_TASKS
        and Patient.objects.filter(structure=big, birth_name=SEARCH_NAME).count() == SEARCH_HITS
    )


def wipe() -> None:
    """Empties the loaded tables (a dedicated bench database only)."""
    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("Refusing to wipe a database whose name does not contain 'bench'.")
    cascaded = [r.related_model for r in Patient._meta.related_objects]
    tables = [m._meta.db_table for m in (Act, PathwayEvent, Pathway, Prescription, Task, Patient)]
    tables += [m._meta.db_table for m in cascaded if m is not None]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in dict.fromkeys(tables)) + " CASCADE"
        )


def load(n_pathways: int, n_acts: int) -> dict[str, Any]:
    structures, coordinators, professionals = ensure_actors()
    big = structures[0]
    if loaded(n_pathways, n_acts, big):
        return {"skipped": True, "seconds": 0.0}
    started = time.perf_counter()
    wipe()
    rng = random.Random(SEED)
    commune_ids = list(Commune.objects.values_list("pk", flat=True))
    n_big = round(n_pathways * BIG_SHARE)
    owners = [big.pk] * n_big + [
        structures[1 + i % (len(structures) - 1)].pk for i in range(n_pathways - n_big)
    ]
    rng.shuffle(owners)
    first_patient = next_id(Patient)
    first_prescription = next_id(Prescription)
    first_pathway = next_id(Pathway)

    def patients() -> Iterator[dict[str, Any]]:
        for i, structure_id in enumerate(owners):
            yield patient_row(rng, first_patient + i, structure_id, rng.choice(commune_ids))
        base = first_patient + len(owners)
        for i in range(REST_PATIENTS):
            name = SEARCH_NAME if i < SEARCH_HITS else None
            yield patient_row(rng, base + i, big.pk, rng.choice(commune_ids), name)

    def prescriptions() -> Iterator[dict[str, Any]]:
        for i, structure_id in enumerate(owners):
            day = date(2024, 11, 1) + timedelta(days=rng.randrange(0, 700))
            yield {
                "id": first_prescription + i,
                "public_id": synthetic_uuid(rng),
                "patient_id": first_patient + i,
                "prescriber_name": "Dr Prescripteur Synthétique",
                "prescription_date": day,
                "items": json.dumps(rng.sample(ACT_KINDS[:3], 2) + ACT_KINDS[3:]),
                "ald_cancer": True,
                "active_treatment_end_date": day - timedelta(days=rng.randrange(10, 300)),
                "channel": "paper",
                "received_at": datetime.combine(day, datetime.min.time(), UTC),
                "received_by_id": coordinators[structure_id].pk,
                "eligibility": "eligible",
            }

    created: list[datetime] = []

    def pathways() -> Iterator[dict[str, Any]]:
        for i, structure_id in enumerate(owners):
            status = rng.choice(PATHWAY_STATUSES)
            at = NOW - timedelta(minutes=rng.randrange(0, 700 * 24 * 60))
            created.append(at)
            first = (at + timedelta(days=14)).date()
            yield {
                "id": first_pathway + i,
                "public_id": synthetic_uuid(rng),
                "patient_id": first_patient + i,
                "prescription_id": first_prescription + i,
                "structure_id": structure_id,
                "uncovered": False,
                "age_group": "adult",
                "status": status,
                "first_assessment_date": first,
                "deadline": first + timedelta(days=365),
                "cap": Decimal("180.00"),
                "created_at": at,
            }

    def events() -> Iterator[dict[str, Any]]:
        for i, structure_id in enumerate(owners):
            for kind in (EventKind.RECEIVED, EventKind.ELIGIBILITY_CHECKED, EventKind.ORIENTED):
                yield {
                    "pathway_id": first_pathway + i,
                    "kind": kind,
                    "actor_id": coordinators[structure_id].pk,
                    "at": created[i],
                    "data": "{}",
                }

    def acts() -> Iterator[dict[str, Any]]:
        per_pathway, extra = divmod(n_acts, n_pathways)
        for i, structure_id in enumerate(owners):
            by = coordinators[structure_id].pk
            for _ in range(per_pathway + (1 if i < extra else 0)):
                status = rng.choice(ACT_STATUSES)
                starts = created[i] + timedelta(days=rng.randrange(14, 360), hours=9)
                yield {
                    "public_id": synthetic_uuid(rng),
                    "pathway_id": first_pathway + i,
                    "kind": rng.choice(ACT_KINDS),
                    "professional_id": rng.choice(professionals[structure_id]),
                    "starts_at": starts,
                    "duration_minutes": 45,
                    "mode": "in_person",
                    "amount": Decimal(rng.choice(["20.00", "25.00", "30.00", "45.00"])),
                    "status": status,
                    "booked_by_id": by,
                    "completed_by_id": by if status == ActStatus.DONE else None,
                    "cancelled_by_id": by if status == ActStatus.CANCELLED else None,
                    "done_at": starts if status == ActStatus.DONE else None,
                    "cancelled_at": starts if status == ActStatus.CANCELLED else None,
                    "created_at": created[i],
                }

    def tasks() -> Iterator[dict[str, Any]]:
        by = coordinators[big.pk].pk
        for i in range(REST_TASKS):
            done = i % 4 == 0
            yield {
                "public_id": synthetic_uuid(rng),
                "organisation_id": big.pk,
                "title": f"Action de suivi synthétique {i}",
                "kind": "manual",
                "due_date": date(2026, 11, 1) + timedelta(days=rng.randrange(-60, 120)),
                "status": "done" if done else "open",
                "created_by_id": by,
                "created_at": NOW - timedelta(days=rng.randrange(0, 90)),
                "done_by_id": by if done else None,
                "done_at": NOW if done else None,
            }

    counts: dict[str, int] = {}
    for model, rows in (
        (Patient, patients()),
        (Prescription, prescriptions()),
        (Pathway, pathways()),
        (PathwayEvent, events()),
        (Act, acts()),
        (Task, tasks()),
    ):
        step = time.perf_counter()
        counts[str(model._meta.model_name)] = Copier(model).copy(rows)
        print(
            f"  loaded {counts[str(model._meta.model_name)]:>9,} {model._meta.model_name} "
            f"in {time.perf_counter() - step:.1f} s",
            flush=True,
        )
    with connection.cursor() as cursor:
        # COPY bypasses the act services, which keep Pathway.engaged_amount (PSG-09).
        cursor.execute(
            "UPDATE pathways_pathway pw SET engaged_amount = s.total FROM ("
            " SELECT pathway_id, SUM(amount) AS total FROM pathways_act"
            " WHERE status IN ('booked', 'done') GROUP BY pathway_id) s"
            " WHERE s.pathway_id = pw.id"
        )
        cursor.execute("ANALYZE")
    return {"skipped": False, "seconds": round(time.perf_counter() - started, 1), **counts}


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class HttpClient:
    """One keep-alive connection (reopened when the server closes it, as sync workers do)."""

    def __init__(self, port: int, headers: dict[str, str]) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = headers
        self.last: tuple[int, bytes] = (0, b"")

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> int:
        payload = json.dumps(body).encode() if body is not None else None
        headers = dict(self.headers)
        if payload is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, payload, headers)
                response = self.conn.getresponse()
                self.last = (response.status, response.read()[:300])
                return response.status
            except (http.client.RemoteDisconnected, ConnectionError, BrokenPipeError):
                self.conn.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.conn.close()


Operation = Callable[[Any, int], bool]


def measure(
    name: str,
    make_state: Callable[[], Any],
    operation: Operation,
    clients: int,
    requests: int,
) -> dict[str, Any]:
    """``requests`` timed calls of ``operation`` shared by ``clients`` threads, after a warm-up
    of WARMUP_PER_CLIENT each; stops after TIME_LIMIT_S."""
    counter = itertools.count()
    warm = itertools.count(10**9)
    timings: list[float] = []
    failures = [0]
    first_failure: list[Any] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [float("inf")]  # set once every client is warm

    def worker() -> None:
        state = make_state()
        try:
            for _ in range(WARMUP_PER_CLIENT):
                operation(state, next(warm))
            barrier.wait()
            mine: list[float] = []
            bad = 0
            while time.perf_counter() < deadline[0]:
                i = next(counter)
                if i >= requests:
                    break
                start = time.perf_counter()
                ok = operation(state, i)
                mine.append((time.perf_counter() - start) * 1000)
                if not ok:
                    bad += 1
                    if not first_failure:
                        first_failure.append(getattr(state, "last", None))
            with lock:
                timings.extend(mine)
                failures[0] += bad
        finally:
            state.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    deadline[0] = started + TIME_LIMIT_S
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    result = {
        "n": len(timings),
        "p50_ms": round(statistics.median(timings), 2) if timings else None,
        "p95_ms": round(percentile(timings, 0.95), 2) if timings else None,
        "rps": round(len(timings) / elapsed, 1) if elapsed else None,
        "errors": failures[0],
        "truncated": len(timings) < requests,
    }
    print(
        f"  {name:<22} c={clients}  n={result['n']:>4}  p50={result['p50_ms']:>8} ms  "
        f"p95={result['p95_ms']:>8} ms  {result['rps']:>7} req/s"
        + (f"  ERRORS={failures[0]}" if failures[0] else "")
        + ("  (stopped at 60 s)" if result["truncated"] else "")
        + (f"\n    first failure: {first_failure[0]!r}" if first_failure else ""),
        flush=True,
    )
    return result


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "ONCOPARCOURS_SECRET_KEY": os.environ["ONCOPARCOURS_SECRET_KEY"],
        "ONCOPARCOURS_HTTPS": "false",
        "ONCOPARCOURS_REQUIRE_2FA": "false",
        "ONCOPARCOURS_DEBUG": "0",
        "ONCOPARCOURS_ALLOWED_HOSTS": "127.0.0.1",
        # No collectstatic here: plain storage, so {% static %} needs no manifest.
        "ONCOPARCOURS_STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [gunicorn, "config.wsgi", "-w", "4", "-b", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    for _ in range(150):
        try:
            probe = HttpClient(port, {})
            status = probe.call("GET", "/healthz")
            probe.close()
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def forced_session(membership: Membership) -> str:
    """A logged-in session for the coordinator, as the login form would leave it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    user = membership.user
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[MEMBERSHIP_KEY] = str(membership.public_id)
    store.create()
    return str(store.session_key)


CSRF_NOTE = (
    "writes send the bearer token only (token auth is tried before the session's CSRF check)"
)

WORKLIST_SQL = """
WITH page AS (
  SELECT pw.public_id, pw.status, pw.created_at, pw.deadline, pw.first_assessment_date,
         pa.public_id AS patient_id, pa.birth_name, pa.used_name, pa.first_given_name,
         pa.birth_date, pa.ins_matricule, c.name AS commune, s.name AS structure,
         pr.prescription_date, pr.items, pr.prescriber_name
  FROM pathways_pathway pw
  JOIN patients_patient pa ON pa.id = pw.patient_id
  JOIN territories_commune c ON c.insee_code = pa.commune_id
  LEFT JOIN organisations_organisation s ON s.id = pw.structure_id
  JOIN pathways_prescription pr ON pr.id = pw.prescription_id
  WHERE pw.structure_id = %(structure)s
  ORDER BY pw.created_at DESC, pw.id DESC
  LIMIT 50
)
SELECT page.*, (SELECT count(*) FROM pathways_pathway WHERE structure_id = %(structure)s)
FROM page
"""

PATHWAY_SQL = """
SELECT pw.*, pa.*, c.name AS commune, s.name AS structure, pr.*,
  (SELECT json_agg(a ORDER BY a.starts_at, a.id) FROM (
     SELECT a.id, a.public_id, a.kind, a.starts_at, a.duration_minutes, a.mode, a.amount,
            a.status, a.done_at, u.first_name, u.last_name
     FROM pathways_act a JOIN accounts_user u ON u.id = a.professional_id
     WHERE a.pathway_id = pw.id) a) AS acts,
  (SELECT json_agg(e ORDER BY e.at, e.id) FROM (
     SELECT e.id, e.kind, e.at, e.reason, e.data, u.first_name, u.last_name, o.name
     FROM pathways_pathwayevent e
     LEFT JOIN accounts_membership m ON m.id = e.actor_id
     LEFT JOIN accounts_user u ON u.id = m.user_id
     LEFT JOIN organisations_organisation o ON o.id = m.organisation_id
     WHERE e.pathway_id = pw.id) e) AS events
FROM pathways_pathway pw
JOIN patients_patient pa ON pa.id = pw.patient_id
JOIN territories_commune c ON c.insee_code = pa.commune_id
LEFT JOIN organisations_organisation s ON s.id = pw.structure_id
JOIN pathways_prescription pr ON pr.id = pw.prescription_id
WHERE pw.public_id = %(id)s
"""


def pg_dsn() -> str:
    db = connection.settings_dict
    return psycopg.conninfo.make_conninfo(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=str(db["PORT"]) if db["PORT"] else None,
    )


class SqlState:
    def __init__(self, dsn: str) -> None:
        self.conn = psycopg.connect(dsn, autocommit=True)

    def query(self, sql: str, params: dict[str, Any]) -> bool:
        with self.conn.cursor() as cur:
            cur.execute(sql, params)
            return bool(cur.fetchall())

    def close(self) -> None:
        self.conn.close()


def ratio(value: float | None, base: float | None) -> float | None:
    return round(value / base, 2) if value and base else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--acts", type=int, default=1_000_000)
    parser.add_argument("--requests-1", type=int, default=300, help="timed requests, 1 client")
    parser.add_argument("--requests-8", type=int, default=800, help="timed requests, 8 clients")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This bench needs PostgreSQL (DATABASE_URL=postgres://…).")

    call_command("migrate", verbosity=0)
    if Commune.objects.count() < 4000:
        call_command("load_geography", verbosity=0)
    print(f"== pathways bench: {args.pathways:,} pathways, {args.acts:,} acts", flush=True)
    loading = load(args.pathways, args.acts)
    print(
        "  load: already there, skipped"
        if loading["skipped"]
        else f"  load time: {loading['seconds']} s",
        flush=True,
    )

    big = Organisation.objects.filter(name__startswith=MARK).order_by("name").first()
    assert big is not None
    coordinator = Membership.objects.select_related("user").get(
        organisation=big, role=RoleCode.COORDINATOR, user__email="bench-coord-01@bench.invalid"
    )
    _, token = api_token_create(membership=coordinator, name="bench")
    session = forced_session(coordinator)
    pathway_ids = [
        str(p)
        for p in Pathway.objects.filter(structure=big)
        .order_by("?")
        .values_list("public_id", flat=True)[:500]
    ]
    patient_ids = [
        str(p)
        for p in Patient.objects.filter(structure=big)
        .order_by("?")
        .values_list("public_id", flat=True)[:500]
    ]
    rest_patients = Patient.objects.filter(structure=big).count()
    rest_tasks = Task.objects.filter(organisation=big).count()
    dsn = pg_dsn()

    port = free_port()
    log_dir = ROOT / "var" / "bench"
    log_dir.mkdir(parents=True, exist_ok=True)
    server = start_server(port, log_dir / "gunicorn.log")
    api_headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    write_headers = api_headers
    page_headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"}
    run = uuid.uuid4().hex[:6].upper()
    today = date.today()

    def http(headers: dict[str, str]) -> Callable[[], HttpClient]:
        return lambda: HttpClient(port, headers)

    def pid(i: int) -> str:
        return pathway_ids[i % len(pathway_ids)]

    identities = itertools.count()

    def patient_body(i: int) -> dict[str, Any]:
        # A fresh identity per request, across warm-ups and measurements (no duplicate refusal).
        n = next(identities)
        letters = "".join(chr(65 + int(d)) for d in f"{n:010d}")
        return {
            "birth_name": f"SYNTH{run}{letters}",
            "first_given_name": "Camille",
            "birth_date": (date(1950, 1, 1) + timedelta(days=n % 20000)).isoformat(),
            "sex": "F",
            "commune_insee": "69123",
        }

    operations: dict[str, tuple[str, Callable[[], Any], Operation]] = {
        "worklist_page": (
            "read",
            http(page_headers),
            lambda c, i: c.call("GET", "/parcours/") == 200,
        ),
        "worklist_sql_floor": (
            "floor",
            lambda: SqlState(dsn),
            lambda s, i: s.query(WORKLIST_SQL, {"structure": big.pk}),
        ),
        "pathway_page": (
            "read",
            http(page_headers),
            lambda c, i: c.call("GET", f"/parcours/{pid(i)}/") == 200,
        ),
        "pathway_sql_floor": (
            "floor",
            lambda: SqlState(dsn),
            lambda s, i: s.query(PATHWAY_SQL, {"id": pid(i)}),
        ),
        "api_floor_roles": (
            "floor",
            http(api_headers),
            lambda c, i: c.call("GET", "/api/v1/accounts/roles") == 200,
        ),
        "patient_create": (
            "write",
            http(write_headers),
            lambda c, i: c.call("POST", "/api/v1/patients", patient_body(i)) == 201,
        ),
        "patient_read": (
            "read",
            http(api_headers),
            lambda c, i: (
                c.call("GET", f"/api/v1/patients/{patient_ids[i % len(patient_ids)]}") == 200
            ),
        ),
        "patient_search": (
            "read",
            http(api_headers),
            lambda c, i: (
                c.call("GET", f"/api/v1/patients?family_name={SEARCH_NAME.lower()}") == 200
            ),
        ),
        "task_create": (
            "write",
            http(write_headers),
            lambda c, i: (
                c.call(
                    "POST",
                    "/api/v1/tasks",
                    {
                        "title": f"Action de suivi synthétique {run}-{i}",
                        "due_date": (today + timedelta(days=i % 60)).isoformat(),
                    },
                )
                == 201
            ),
        ),
        "task_list": (
            "read",
            http(api_headers),
            lambda c, i: c.call("GET", "/api/v1/tasks") == 200,
        ),
    }

    results: dict[str, dict[str, Any]] = {}
    try:
        for check in ("worklist_page", "pathway_page", "api_floor_roles", "patient_search"):
            client = operations[check][1]()
            if not operations[check][2](client, 0):
                raise SystemExit(f"{check}: unexpected answer; see {log_dir / 'gunicorn.log'}")
            client.close()
        for clients, requests in ((1, args.requests_1), (8, args.requests_8)):
            print(f"-- {clients} client(s), {requests} requests each measurement", flush=True)
            for name, (_, make_state, op) in operations.items():
                results.setdefault(name, {})[f"c{clients}"] = measure(
                    name, make_state, op, clients, requests
                )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    figures: dict[str, Any] = {
        "bench": "pathways",
        "database": connection.vendor,
        "pathways": Pathway.objects.count(),
        "acts": Act.objects.count(),
        "structures": Organisation.objects.filter(name__startswith=MARK).count(),
        "big_structure_pathways": Pathway.objects.filter(structure=big).count(),
        "rest_patients": rest_patients,
        "rest_tasks": rest_tasks,
        "search_hits": SEARCH_HITS,
        "load": loading,
        "server": "gunicorn config.wsgi -w 4 (sync), DEBUG off",
        "api_floor": "GET /api/v1/accounts/roles (static table, token auth)",
        "aims": {"read": READ_AIM, "write": WRITE_AIM},
        "note": CSRF_NOTE,
        "results": results,
        "ratios": {},
        "meets_aim": {},
    }
    floors = {"worklist_page": "worklist_sql_floor", "pathway_page": "pathway_sql_floor"}
    print("-- ratios to the floor's p50", flush=True)
    for name, (kind, _, _) in operations.items():
        if kind == "floor":
            continue
        floor_name = floors.get(name, "api_floor_roles")
        for conc in ("c1", "c8"):
            value = ratio(results[name][conc]["p50_ms"], results[floor_name][conc]["p50_ms"])
            figures["ratios"].setdefault(name, {})[conc] = value
            line = f"  {name:<16} {conc}: {value}x {floor_name}"
            if floor_name == "api_floor_roles":
                aim = READ_AIM if kind == "read" else WRITE_AIM
                meets = value is not None and value <= aim
                figures["meets_aim"].setdefault(name, {})[conc] = meets
                line += f"  (aim <= {aim:g}x: {'met' if meets else 'NOT met'})"
            print(line, flush=True)
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
