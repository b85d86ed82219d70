"""The regional indicator set I-1…I-16 on PostgreSQL at realistic size (issue 6, "Done means").

Reuses ``bench/pathways.py``'s loader (100,000 pathways, 1,000,000 acts, COPY, skipped when
already there), then completes the data once with what the indicators read and that loader
leaves out (idempotent, marked by the bench's contact events): prescriber specialties, age
groups, cancer sites, refusals with reasons, closure dates, "contacted" events, intervention
territories, located directory offers, assessments with 6-minute-walk results, reports and
their deliveries, APA projects and orientations, contracts.

Then times ``indicator_set(region, 2026)`` (p50/p95 over ``--runs`` runs after a warm-up) and
its floor: the same aggregates as hand-written SQL through psycopg (``percentile_cont`` for the
medians, one statement per group), plus the same memoised nearest-offer computation on the raw
rows.
Aim: the regional set in at most 1 s. The last line is one JSON object with every figure.

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/oncoparcours_bench .venv/bin/python
bench/evaluation.py`` (``--pathways``/``--acts`` for a smaller dry run).
"""

import argparse
import importlib.util
import json
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_pathways", ROOT / "bench" / "pathways.py")
assert _spec is not None
assert _spec.loader is not None
loader = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(loader)  # sets up Django on DATABASE_URL

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from oncoparcours.accounts.roles import RoleCode  # noqa: E402
from oncoparcours.evaluation.indicators.filters import Filters, Period  # noqa: E402
from oncoparcours.evaluation.selectors import (  # noqa: E402
    _weighted_distances,
    indicator_set,
    region_scope,
)
from oncoparcours.organisations.models import Organisation  # noqa: E402
from oncoparcours.pathways.models import Act, Pathway, PathwayEvent  # noqa: E402
from oncoparcours.territories.models import Commune, InterventionTerritory  # noqa: E402

YEAR = 2026
AIM_S = 1.0
OFFERS = 600
MARK_TERRITORY = "Territoire synthétique"


# --- completing the data ------------------------------------------------------------------------

COMPLETE_SQL = [
    # PSG-02 mix, refusals with their reasons (one in 21 pathways is "refused" in the loader).
    """UPDATE pathways_prescription SET prescriber_specialty = CASE id % 10
         WHEN 6 THEN 'general_practice' WHEN 7 THEN 'general_practice'
         WHEN 8 THEN 'paediatrics' WHEN 9 THEN 'other' ELSE 'oncology' END""",
    """UPDATE pathways_prescription pr SET eligibility = 'refused',
         failures = '[{"code": "PSG-03", "message": "Hors délai", "field": "prescription_date"}]'
       FROM pathways_pathway pw WHERE pw.prescription_id = pr.id AND pw.status = 'refused'""",
    """UPDATE pathways_pathway SET age_group = CASE id % 20 WHEN 0 THEN 'child'
         WHEN 1 THEN 'aja' WHEN 2 THEN 'aja' ELSE 'adult' END""",
    """UPDATE patients_patient SET cancer_site = CASE id % 7 WHEN 0 THEN 'C50.9' WHEN 1 THEN 'C18'
         WHEN 2 THEN 'C61' WHEN 3 THEN 'C34' WHEN 4 THEN 'C50' WHEN 5 THEN 'C43' ELSE '' END""",
    # Pathways that never had a first assessment have none in the indicators either.
    """UPDATE pathways_pathway SET first_assessment_date = NULL, deadline = NULL
       WHERE status IN ('received', 'eligible', 'refused', 'contacted')""",
    """UPDATE pathways_pathway SET closed_at = created_at + interval '200 days'
       WHERE status IN ('completed', 'expired') AND closed_at IS NULL""",
    """INSERT INTO pathways_pathwayevent (pathway_id, kind, actor_id, at, reason, data)
       SELECT pw.id, 'contacted', e.actor_id, pw.created_at + interval '3 days', '', '{}'
       FROM pathways_pathway pw
       JOIN pathways_pathwayevent e ON e.pathway_id = pw.id AND e.kind = 'received'
       WHERE pw.status IN ('contacted', 'active', 'completed', 'expired')""",
    # Two measures for a fifth of the done APA bilans and diet follow-ups (6MWT, metres).
    """INSERT INTO assessments_assessment (public_id, act_id, pathway_id, kind, performed_on,
         observations, summary, submitted_by_id, submitted_at)
       SELECT gen_random_uuid(), a.id, a.pathway_id, a.kind, (a.done_at AT TIME ZONE 'Europe/Paris')::date,
         '{}', '', a.booked_by_id, a.done_at
       FROM pathways_act a WHERE a.status = 'done' AND a.id % 5 = 0
         AND a.kind IN ('apa_assessment', 'diet_followup')""",
    """INSERT INTO assessments_instrumentrecord (assessment_id, position, instrument, version,
         answers, score, subscores, interpretation_code, interpretation_label,
         sub_interpretations, flags)
       SELECT id, 0, 'six_minute_walk', 'bench', '{}', 300 + id % 200, '{}', '', '', '{}', '[]'
       FROM assessments_assessment""",
    # Reports of the APA bilans' assessments, sent to the prescriber, to the GP one in two.
    """INSERT INTO reports_report (public_id, pathway_id, assessment_id, kind, file, size, sha256,
         created_by_id, created_at)
       SELECT gen_random_uuid(), s.pathway_id, s.id, s.kind, 'reports/bench.pdf', 1,
         repeat('0', 64), s.submitted_by_id, s.submitted_at
       FROM assessments_assessment s WHERE s.kind = 'apa_assessment'""",
    """INSERT INTO reports_reportdelivery (public_id, report_id, recipient_role, recipient_name,
         address, channel, status, reason, error_code, attempts, created_at)
       SELECT gen_random_uuid(), r.id, role, '', '', 'email',
         CASE WHEN role = 'gp' AND r.id % 2 = 0 THEN 'withheld_no_consent' ELSE 'sent' END,
         '', '', 1, r.created_at
       FROM reports_report r CROSS JOIN (VALUES ('prescriber'), ('gp')) AS roles(role)""",
    """INSERT INTO assessments_apaproject (public_id, pathway_id, goals, activity_types,
         sessions_per_week, intensity, session_minutes, precautions, other_suggestions,
         written_by_id, written_at)
       SELECT gen_random_uuid(), a.pathway_id, 'Synthétique', '[]', 2, 'moderate', 45, '', '',
         a.booked_by_id, a.done_at + interval '1 day'
       FROM pathways_act a WHERE a.kind = 'apa_assessment' AND a.status = 'done'
         AND a.id % 3 = 0""",
    """INSERT INTO pathways_referral (public_id, pathway_id, care_type, provider_name, note,
         referred_by_id, referred_at)
       SELECT gen_random_uuid(), p.pathway_id, 'apa', 'Club synthétique', '', p.written_by_id,
         p.written_at + interval '7 days'
       FROM assessments_apaproject p WHERE p.id % 2 = 0""",
]


def complete() -> dict[str, Any]:
    if PathwayEvent.objects.filter(kind="contacted").exists():
        return {"skipped": True, "seconds": 0.0}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in COMPLETE_SQL:
            cursor.execute(sql)
    structures = list(Organisation.objects.filter(name__startswith=loader.MARK).order_by("name"))
    communes = list(Commune.objects.order_by("insee_code"))
    # Each structure covers a slice of the communes; the last fifth stays uncovered.
    covered = communes[: len(communes) * 4 // 5]
    per = len(covered) // len(structures)
    for n, structure in enumerate(structures):
        territory = InterventionTerritory.objects.create(
            name=f"{MARK_TERRITORY} {n + 1:02d}", structure=structure
        )
        territory.communes.set(covered[n * per : (n + 1) * per])
    from oncoparcours.directory.tests.factories import make_offer

    located = [c for c in communes if c.latitude is not None]
    for i in range(OFFERS):
        make_offer(
            f"Offre synthétique {i}",
            commune=located[(i * 7919) % len(located)],
            care_type=("apa", "nutrition", "psychological", "social")[i % 4],
        )
    from decimal import Decimal

    from oncoparcours.accounts.models import Membership
    from oncoparcours.professionals.models import Contract

    for structure in structures:
        coordinator = Membership.objects.get(organisation=structure, role=RoleCode.COORDINATOR)
        professionals = Membership.objects.filter(organisation=structure).exclude(
            role=RoleCode.COORDINATOR
        )
        for i, member in enumerate(professionals):
            Contract.objects.create(
                professional=member.user,
                structure=structure,
                kind="salaried" if i % 2 else "contracted",
                start_date=date(2025, 1, 1),
                assessment_rate=Decimal("45.00"),
                followup_rate=Decimal("22.50"),
                created_by=coordinator,
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"skipped": False, "seconds": round(time.perf_counter() - started, 1)}


# --- the floor: the same aggregates, hand-written -----------------------------------------------

FLOOR_SQL: dict[str, str] = {
    "prescriptions": """
SELECT count(*), count(*) FILTER (WHERE pr.eligibility = 'refused'),
  count(*) FILTER (WHERE pr.eligibility = 'refused' AND pr.failures::text LIKE '%%"PSG-01"%%'),
  count(*) FILTER (WHERE pr.eligibility = 'refused' AND pr.failures::text LIKE '%%"PSG-02"%%'),
  count(*) FILTER (WHERE pr.eligibility = 'refused' AND pr.failures::text LIKE '%%"PSG-03"%%'),
  count(*) FILTER (WHERE pr.eligibility = 'refused' AND pr.failures::text LIKE '%%"PSG-04"%%'),
  count(*) FILTER (WHERE pr.prescriber_specialty = 'oncology'),
  count(*) FILTER (WHERE pr.prescriber_specialty = 'general_practice'),
  count(*) FILTER (WHERE pr.prescriber_specialty = 'paediatrics'),
  count(*) FILTER (WHERE pr.active_treatment_end_date IS NOT NULL),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pr.prescription_date - pr.active_treatment_end_date)
FROM pathways_pathway pw JOIN pathways_prescription pr ON pr.id = pw.prescription_id
WHERE pr.prescription_date >= %(start)s AND pr.prescription_date < %(end)s""",
    "included": """
SELECT count(*), count(*) FILTER (WHERE pw.age_group = 'child'),
  count(*) FILTER (WHERE pw.age_group = 'aja'), count(*) FILTER (WHERE pw.age_group = 'adult'),
  count(*) FILTER (WHERE left(pa.cancer_site, 3) = 'C50'),
  count(*) FILTER (WHERE left(pa.cancer_site, 3) IN ('C18', 'C19', 'C20', 'C21')),
  count(*) FILTER (WHERE left(pa.cancer_site, 3) = 'C61'),
  count(*) FILTER (WHERE left(pa.cancer_site, 3) IN ('C33', 'C34')),
  count(*) FILTER (WHERE pa.cancer_site = ''),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pw.first_assessment_date - pr.prescription_date)
FROM pathways_pathway pw JOIN pathways_prescription pr ON pr.id = pw.prescription_id
JOIN patients_patient pa ON pa.id = pw.patient_id
WHERE pw.first_assessment_date >= %(start)s AND pw.first_assessment_date < %(end)s""",
    "contacts": """
SELECT count(*) FILTER (WHERE e.at >= %(start_at)s AND e.at < %(end_at)s),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY (e.at AT TIME ZONE 'Europe/Paris')::date
    - pr.prescription_date) FILTER (WHERE e.at >= %(start_at)s AND e.at < %(end_at)s),
  count(*) FILTER (WHERE pw.first_assessment_date >= %(start)s
    AND pw.first_assessment_date < %(end)s),
  percentile_cont(0.5) WITHIN GROUP (ORDER BY pw.first_assessment_date
    - (e.at AT TIME ZONE 'Europe/Paris')::date) FILTER (WHERE pw.first_assessment_date >= %(start)s
    AND pw.first_assessment_date < %(end)s)
FROM pathways_pathwayevent e JOIN pathways_pathway pw ON pw.id = e.pathway_id
JOIN pathways_prescription pr ON pr.id = pw.prescription_id
WHERE e.kind = 'contacted'""",
    "acts": """
SELECT kind, count(*) FROM pathways_act
WHERE status = 'done' AND done_at >= %(start_at)s AND done_at < %(end_at)s GROUP BY kind""",
    "closed": """
SELECT count(*), count(*) FILTER (WHERE status = 'completed'),
  count(*) FILTER (WHERE status = 'expired'), count(*) FILTER (WHERE status = 'withdrawn'),
  count(*) FILTER (WHERE status = 'lost'), count(*) FILTER (WHERE status = 'deceased'),
  count(*) FILTER (WHERE started), sum(spent) FILTER (WHERE started),
  count(*) FILTER (WHERE started AND spent >= cap)
FROM (SELECT pw.id, pw.status, pw.cap, pw.first_assessment_date IS NOT NULL AS started,
        COALESCE(sum(a.amount) FILTER (WHERE a.status = 'done'), 0) AS spent
      FROM pathways_pathway pw LEFT JOIN pathways_act a ON a.pathway_id = pw.id
      WHERE pw.status IN ('completed', 'expired', 'withdrawn', 'lost', 'deceased')
        AND pw.closed_at >= %(start_at)s AND pw.closed_at < %(end_at)s
      GROUP BY pw.id) t""",
    "reports": """
SELECT count(*) FILTER (WHERE p > 0 AND g > 0), count(*) FILTER (WHERE p > 0),
  count(*) FILTER (WHERE g > 0), count(*) FILTER (WHERE w > 0)
FROM (SELECT s.act_id,
        count(*) FILTER (WHERE d.recipient_role = 'prescriber' AND d.status = 'sent') AS p,
        count(*) FILTER (WHERE d.recipient_role = 'gp' AND d.status = 'sent') AS g,
        count(*) FILTER (WHERE d.status = 'withheld_no_consent') AS w
      FROM reports_reportdelivery d JOIN reports_report r ON r.id = d.report_id
      JOIN assessments_assessment s ON s.id = r.assessment_id
      JOIN pathways_act a ON a.id = s.act_id
      WHERE a.kind IN ('apa_assessment', 'diet_assessment', 'psy_assessment')
        AND a.status = 'done' AND a.done_at >= %(start_at)s AND a.done_at < %(end_at)s
      GROUP BY s.act_id) t""",
    "contracts": """
SELECT DISTINCT c.professional_id, c.kind, u.profession
FROM professionals_contract c JOIN accounts_user u ON u.id = c.professional_id
WHERE c.start_date < %(end)s AND (c.end_date IS NULL OR c.end_date >= %(start)s)""",
    "coverage": """
SELECT c.department_id,
  sum(c.population) FILTER (WHERE covered), sum(c.population) FILTER (WHERE NOT covered)
FROM (SELECT c.department_id, c.population, EXISTS (
        SELECT 1 FROM territories_interventionterritory_communes l
        JOIN territories_interventionterritory t ON t.id = l.interventionterritory_id
        JOIN organisations_organisation o ON o.id = t.structure_id
        WHERE l.commune_id = c.insee_code AND t.archived_at IS NULL AND o.archived_at IS NULL
      ) AS covered FROM territories_commune c) c
GROUP BY c.department_id""",
    "residents": """
SELECT c.department_id, count(*) FROM pathways_pathway pw
JOIN patients_patient pa ON pa.id = pw.patient_id
JOIN territories_commune c ON c.insee_code = pa.commune_id
WHERE pw.first_assessment_date >= %(start)s AND pw.first_assessment_date < %(end)s
GROUP BY c.department_id""",
    "outcomes": """
SELECT instrument, first_score, last_score FROM (
  SELECT r.instrument,
    row_number() OVER w AS rn, count(*) OVER p AS n,
    first_value(r.score) OVER w AS first_score,
    last_value(r.score) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
      AS last_score,
    max(s.performed_on) OVER p AS last_on
  FROM assessments_instrumentrecord r JOIN assessments_assessment s ON s.id = r.assessment_id
  WHERE r.instrument IN ('six_minute_walk', 'ipaq_short', 'hads', 'bmi')
    AND r.score IS NOT NULL AND s.superseded_at IS NULL
  WINDOW p AS (PARTITION BY s.pathway_id, r.instrument),
         w AS (PARTITION BY s.pathway_id, r.instrument ORDER BY s.performed_on, s.id, r.id)
) t WHERE rn = 1 AND n >= 2 AND last_on >= %(start)s AND last_on < %(end)s""",
    "apa": """
SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM pathways_referral f
  WHERE f.pathway_id = pw.id AND f.care_type = 'apa'))
FROM pathways_pathway pw
WHERE EXISTS (SELECT 1 FROM assessments_apaproject p WHERE p.pathway_id = pw.id
              AND p.written_at >= %(start_at)s AND p.written_at < %(end_at)s)
  AND NOT EXISTS (SELECT 1 FROM assessments_apaproject p WHERE p.pathway_id = pw.id
              AND p.written_at < %(start_at)s)""",
    "children": """
SELECT c.department_id, count(*) FROM pathways_pathway pw
JOIN organisations_organisation o ON o.id = pw.structure_id
JOIN territories_commune c ON c.insee_code = o.commune_id
WHERE pw.first_assessment_date >= %(start)s AND pw.first_assessment_date < %(end)s
GROUP BY c.department_id""",
    "communes": """
SELECT insee_code, population, latitude, longitude FROM territories_commune
WHERE latitude IS NOT NULL AND longitude IS NOT NULL""",
    "offers": """
SELECT care_type, latitude, longitude FROM directory_offer
WHERE archived_at IS NULL AND remote_only = false AND latitude IS NOT NULL""",
}


def floor_run(conn: psycopg.Connection[Any], params: dict[str, Any]) -> None:
    rows: dict[str, list[Any]] = {}
    with conn.cursor() as cur:
        for name, sql in FLOOR_SQL.items():
            cur.execute(sql, params)
            rows[name] = cur.fetchall()
    # The same pure, memoised nearest-offer computation as the selectors, on the raw rows.
    communes = tuple((insee, pop, lat, lon) for insee, pop, lat, lon in rows["communes"])
    points = tuple(
        (code, tuple((lat, lon) for kind, lat, lon in rows["offers"] if kind == code))
        for code in ("apa", "nutrition", "psychological")
    )
    _weighted_distances(communes, points)


def timed(run: Callable[[], Any], runs: int) -> dict[str, Any]:
    run()  # warm-up: connections, caches, query plans
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return {
        "n": runs,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], 1),
        "max_ms": round(timings[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pathways", type=int, default=100_000)
    parser.add_argument("--acts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This bench needs PostgreSQL (DATABASE_URL=postgres://…).")
    call_command("migrate", verbosity=0)
    if Commune.objects.count() < 4000:
        call_command("load_geography", verbosity=0)
    print(f"== evaluation bench: {args.pathways:,} pathways, {args.acts:,} acts", flush=True)
    loading = loader.load(args.pathways, args.acts)
    completing = complete()
    print(f"  load: {loading}; completed: {completing}", flush=True)

    period = Period(YEAR)
    scope = region_scope()

    def orm_run() -> Any:
        return indicator_set(scope, period, Filters())

    result = orm_run()
    included = next(r for r in result.results if r.code == "I-1").value
    with CaptureQueriesContext(connection) as ctx:
        orm_run()
    queries = len(ctx.captured_queries)
    orm = timed(orm_run, args.runs)
    print(f"  regional set (ORM)   p50={orm['p50_ms']} ms  p95={orm['p95_ms']} ms  "
          f"({queries} queries)", flush=True)  # fmt: skip

    paris = ZoneInfo("Europe/Paris")
    params = {
        "start": date(YEAR, 1, 1),
        "end": date(YEAR + 1, 1, 1),
        # Local midnights: the same bounds as the selectors.
        "start_at": datetime(YEAR, 1, 1, tzinfo=paris),
        "end_at": datetime(YEAR + 1, 1, 1, tzinfo=paris),
    }
    with psycopg.connect(loader.pg_dsn(), autocommit=True) as conn:
        floor = timed(lambda: floor_run(conn, params), args.runs)
    print(f"  floor (SQL, psycopg) p50={floor['p50_ms']} ms  p95={floor['p95_ms']} ms", flush=True)
    ratio = round(orm["p50_ms"] / floor["p50_ms"], 2) if floor["p50_ms"] else None
    meets = orm["p95_ms"] <= AIM_S * 1000
    print(f"  ratio {ratio}x the floor; aim p95 <= {AIM_S:g} s: {'met' if meets else 'NOT met'}")
    figures = {
        "bench": "evaluation",
        "database": connection.vendor,
        "pathways": Pathway.objects.count(),
        "acts": Act.objects.count(),
        "period": period.label,
        "included_2026": int(included or 0),
        "load": loading,
        "complete": completing,
        "orm_queries": queries,
        "regional_set": orm,
        "floor": floor,
        "ratio_p50": ratio,
        "aim_s": AIM_S,
        "meets_aim": meets,
    }
    print(json.dumps(figures, default=str))


if __name__ == "__main__":
    main()
