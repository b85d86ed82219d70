"""Reads of the evaluation: the aggregates behind indicators I-1…I-16 (issue 6 §2).

Each group of indicators is one aggregate query (conditional counts) over the scope, the period
and the filters; medians fetch only the one or two middle rows of an ordered query
(``arith.median_window``), so that PostgreSQL and SQLite compute them alike without
``percentile_cont``. Nothing here returns patient-level data: counts, sums and middle values.

Scopes (docs/indicators.md): the region (every pathway, uncovered ones included); a department
(pathways of the structures whose address commune is in it); a structure; an intervention
territory (the pathways of its structure whose patient lives in one of its communes). The
equity indicator (I-13) counts patients by residence instead.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    Window,
)
from django.db.models.expressions import RowRange
from django.db.models.functions import Cast, Coalesce, FirstValue, LastValue, RowNumber, TruncDate
from django.utils import timezone

from oncoparcours.accounts.models import Profession
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.assessments.models import ApaProject, InstrumentRecord
from oncoparcours.directory.nearest import nearest_distances
from oncoparcours.directory.selectors import located_offer_points
from oncoparcours.evaluation.indicators import arith
from oncoparcours.evaluation.indicators.definitions import (
    AGE_GROUPS,
    ASSESSMENT_KINDS,
    DISTANCE_CARE_TYPES,
    FINAL_STATUSES,
    OUTCOMES,
    PRESTATION_KINDS,
    REFUSAL_REASONS,
    Result,
    compute_all,
)
from oncoparcours.evaluation.indicators.filters import (
    CANCER_GROUPS,
    OTHER_CANCER,
    SCOPE_LABELS,
    UNKNOWN_CANCER,
    Filters,
    Period,
    ScopeLevel,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act, Eligibility, Pathway, PathwayEvent, Referral
from oncoparcours.pathways.rules.budget import ActStatus
from oncoparcours.pathways.states import EventKind
from oncoparcours.professionals.models import Contract
from oncoparcours.territories.models import Commune, Department, InterventionTerritory
from oncoparcours.territories.selectors import coverage_summary


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel
    label: str
    department: Department | None = None
    structure: Organisation | None = None
    territory: InterventionTerritory | None = None

    @property
    def key(self) -> str:
        """The ``id`` parameter naming this scope (department code or public id)."""
        if self.department is not None:
            return self.department.code
        if self.structure is not None:
            return str(self.structure.public_id)
        if self.territory is not None:
            return str(self.territory.public_id)
        return ""


@dataclass(frozen=True)
class ChildScope:
    """A drill-down row: a smaller scope and its included patients (I-1)."""

    level: ScopeLevel
    key: str
    label: str
    included: int | None


@dataclass(frozen=True)
class IndicatorSet:
    scope: Scope
    period: Period
    filters: Filters
    results: list[Result]
    children: list[ChildScope]


# --- scopes -------------------------------------------------------------------------------------


def region_scope() -> Scope:
    return Scope(ScopeLevel.REGION, str(SCOPE_LABELS[ScopeLevel.REGION]))


def department_scope(code: str) -> Scope | None:
    department = Department.objects.filter(code=code).first()
    if department is None:
        return None
    return Scope(ScopeLevel.DEPARTMENT, str(department), department=department)


def _is_uuid(value: str) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def structure_scope(public_id: str) -> Scope | None:
    if not _is_uuid(public_id):
        return None
    structure = (
        Organisation.objects.filter(public_id=public_id, kind=OrgKind.STRUCTURE_PORTEUSE)
        .select_related("commune__department")
        .first()
    )
    if structure is None:
        return None
    return Scope(ScopeLevel.STRUCTURE, structure.name, structure=structure)


def territory_scope(public_id: str) -> Scope | None:
    if not _is_uuid(public_id):
        return None
    territory = (
        InterventionTerritory.objects.filter(public_id=public_id)
        .select_related("structure")
        .first()
    )
    if territory is None:
        return None
    label = f"{territory.name} ({territory.structure.name})"
    return Scope(ScopeLevel.TERRITORY, label, territory=territory)


def structure_department(structure: Organisation) -> Department | None:
    """Where a structure sits in the drill-down: the department of its address commune."""
    return structure.commune.department if structure.commune is not None else None


# --- filters as queryset conditions -------------------------------------------------------------


def _scope_q(scope: Scope, p: str = "") -> Q:
    """Pathways of the scope; ``p`` is the path from the queried model to the pathway."""
    if scope.department is not None:
        return Q(**{f"{p}structure__commune__department_id": scope.department.code})
    if scope.structure is not None:
        return Q(**{f"{p}structure_id": scope.structure.pk})
    if scope.territory is not None:
        return Q(
            **{
                f"{p}structure_id": scope.territory.structure_id,
                f"{p}patient__commune__territories": scope.territory.pk,
            }
        )
    return Q()


def _cancer_q(group: str, field: str) -> Q:
    if group == UNKNOWN_CANCER:
        return Q(**{field: ""})
    listed = Q()
    for candidate in CANCER_GROUPS:
        for category in candidate.categories:
            if candidate.code == group or group == OTHER_CANCER:
                listed |= Q(**{f"{field}__startswith": category})
    if group == OTHER_CANCER:
        return ~listed & ~Q(**{field: ""})
    return listed


def _filters_q(filters: Filters, p: str = "") -> Q:
    q = Q()
    if filters.age_group:
        q &= Q(**{f"{p}age_group": filters.age_group})
    if filters.cancer_group:
        q &= _cancer_q(filters.cancer_group, f"{p}patient__cancer_site")
    return q


def _pathways_q(scope: Scope, filters: Filters, p: str = "") -> Q:
    return _scope_q(scope, p) & _filters_q(filters, p)


def _bounds(period: Period) -> tuple[datetime, datetime]:
    """The period as aware datetimes of the local time zone, [start, end)."""
    zone = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(period.start, time.min), zone),
        timezone.make_aware(datetime.combine(period.end_exclusive, time.min), zone),
    )


def _in_days(value: Any) -> Decimal:
    if isinstance(value, timedelta):
        return Decimal(value.days) + Decimal(value.seconds) / 86400
    return Decimal(value)


class _Median(Aggregate):
    """PostgreSQL's exact median, in the aggregate query itself (no second scan)."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"
    output_field = DurationField()


def _native_median() -> bool:
    return connection.vendor == "postgresql"


def _median_of(expression: Any, condition: Q | None = None) -> dict[str, Any]:
    """The median aggregate where the database has one (added to the group's aggregate)."""
    return {"median": _Median(expression, filter=condition)} if _native_median() else {}


def _median_days(
    row: dict[str, Any], key: str, queryset: QuerySet[Any], expression: Any, count: int
) -> list[Decimal]:
    """The values whose median is the median: PostgreSQL's median itself, else the one or two
    middle rows of ``expression`` over ``queryset`` (``count`` rows), read by one more query
    (SQLite has no ``percentile_cont``)."""
    if _native_median():
        return [] if row.get(key) is None else [_in_days(row[key])]
    return _middle(queryset, expression, count)


def _middle(queryset: QuerySet[Any], expression: Any, count: int) -> list[Decimal]:
    offset, limit = arith.median_window(count)
    if not limit:
        return []
    rows = (
        queryset.annotate(delay=expression)
        .order_by("delay")
        .values_list("delay", flat=True)[offset : offset + limit]
    )
    return [_in_days(v) for v in rows]


def _days_between(later: Any, earlier: Any) -> ExpressionWrapper:
    return ExpressionWrapper(later - earlier, output_field=DurationField())


# --- the aggregates, by group -------------------------------------------------------------------


def _prescriptions(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-2, I-3, I-6: one aggregate over the pathways of the prescriptions dated in the period,
    then the median's middle rows."""
    base = Pathway.objects.filter(
        _pathways_q(scope, filters),
        prescription__prescription_date__gte=period.start,
        prescription__prescription_date__lt=period.end_exclusive,
    )
    refused = Q(prescription__eligibility=Eligibility.REFUSED)
    # Failures are JSON [{"code": "PSG-03", …}]: a code in quotes is matched in its text, the
    # same on PostgreSQL (jsonb) and SQLite.
    coded = {code: Q(failures_text__contains=f'"{code}"') for code, _l in REFUSAL_REASONS[:-1]}
    any_coded = Q()
    for condition in coded.values():
        any_coded |= condition
    specialties = ("oncology", "general_practice", "paediatrics")
    has_end = Q(prescription__active_treatment_end_date__isnull=False)
    delay = _days_between(
        F("prescription__prescription_date"), F("prescription__active_treatment_end_date")
    )
    medians = {f"delay_{k}": v for k, v in _median_of(delay, has_end).items()}
    row = base.annotate(failures_text=Cast("prescription__failures", TextField())).aggregate(
        received=Count("pk"),
        refused=Count("pk", filter=refused),
        **{f"reason_{code}": Count("pk", filter=refused & c) for code, c in coded.items()},
        reason_other=Count("pk", filter=refused & ~any_coded),
        **{
            f"specialty_{code}": Count("pk", filter=Q(prescription__prescriber_specialty=code))
            for code in specialties
        },
        specialty_other=Count("pk", filter=~Q(prescription__prescriber_specialty__in=specialties)),
        with_end=Count("pk", filter=has_end),
        **medians,
    )
    return {
        "received": row["received"],
        "refused": row["refused"],
        "refusal_reasons": {code: row[f"reason_{code}"] for code, _l in REFUSAL_REASONS},
        "prescriber_specialties": {
            code: row[f"specialty_{code}"] for code in (*specialties, "other")
        },
        "treatment_to_prescription_n": row["with_end"],
        "treatment_to_prescription": _median_days(
            row, "delay_median", base.filter(has_end), delay, row["with_end"]
        ),
    }


def _included_q(period: Period, p: str = "") -> Q:
    return Q(
        **{
            f"{p}first_assessment_date__gte": period.start,
            f"{p}first_assessment_date__lt": period.end_exclusive,
        }
    )


def _included(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-1, I-4, I-5 and the headline delay of I-7: patients whose first assessment falls in
    the period (ACCEPTED → ACTIVE happens at the first assessment, domain §2.4)."""
    base = Pathway.objects.filter(_pathways_q(scope, filters), _included_q(period))
    site = "patient__cancer_site"
    groups = [g.code for g in CANCER_GROUPS] + [OTHER_CANCER, UNKNOWN_CANCER]
    delay = _days_between(F("first_assessment_date"), F("prescription__prescription_date"))
    row = base.aggregate(
        **_median_of(delay),
        included=Count("pk"),
        **{f"age_{code}": Count("pk", filter=Q(age_group=code)) for code, _l in AGE_GROUPS},
        **{f"site_{code}": Count("pk", filter=_cancer_q(code, site)) for code in groups},
    )
    return {
        "included": row["included"],
        "age_groups": {code: row[f"age_{code}"] for code, _l in AGE_GROUPS},
        "cancer_groups": {code: row[f"site_{code}"] for code in groups},
        "prescription_to_assessment_n": row["included"],
        "prescription_to_assessment": _median_days(row, "median", base, delay, row["included"]),
    }


def _contact_delays(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-7 details, from the "contacted" event (recorded once: ELIGIBLE → CONTACTED): one
    aggregate over the contacts (and, without a native median, the middle rows)."""
    start, end = _bounds(period)
    contacts = PathwayEvent.objects.filter(
        _pathways_q(scope, filters, "pathway__"), kind=EventKind.CONTACTED
    )
    contacted_in = Q(at__gte=start, at__lt=end)
    assessed_in = _included_q(period, "pathway__")
    contact_day = TruncDate("at")
    to_contact = _days_between(contact_day, F("pathway__prescription__prescription_date"))
    to_assessment = _days_between(F("pathway__first_assessment_date"), contact_day)
    row = contacts.aggregate(
        contacted=Count("pk", filter=contacted_in),
        assessed=Count("pk", filter=assessed_in),
        **{f"to_contact_{k}": v for k, v in _median_of(to_contact, contacted_in).items()},
        **{f"to_assessment_{k}": v for k, v in _median_of(to_assessment, assessed_in).items()},
    )
    return {
        "prescription_to_contact_n": row["contacted"],
        "prescription_to_contact": _median_days(
            row, "to_contact_median", contacts.filter(contacted_in), to_contact, row["contacted"]
        ),
        "contact_to_assessment_n": row["assessed"],
        "contact_to_assessment": _median_days(
            row,
            "to_assessment_median",
            contacts.filter(assessed_in),
            to_assessment,
            row["assessed"],
        ),
    }


def _acts(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-8: done acts by kind, by the day they were done."""
    start, end = _bounds(period)
    rows = (
        Act.objects.filter(
            _pathways_q(scope, filters, "pathway__"),
            status=ActStatus.DONE,
            done_at__gte=start,
            done_at__lt=end,
        )
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    counts = {code: 0 for code, _l in PRESTATION_KINDS}
    counts.update(dict(rows))
    return {
        "acts_by_kind": counts,
        "bilans": sum(counts[kind] for kind in ASSESSMENT_KINDS),
    }


def _closed(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-9 and I-10: pathways closed in the period, their final status and what they spent
    (done acts), one aggregate over the per-pathway sums."""
    start, end = _bounds(period)
    finals = [code for code, _l in FINAL_STATUSES]
    started = Q(first_assessment_date__isnull=False)
    row = (
        Pathway.objects.filter(
            _pathways_q(scope, filters), status__in=finals, closed_at__gte=start, closed_at__lt=end
        )
        .annotate(
            spent=Coalesce(
                Sum("acts__amount", filter=Q(acts__status=ActStatus.DONE)), Value(Decimal(0))
            )
        )
        .aggregate(
            closed=Count("pk"),
            **{f"status_{code}": Count("pk", filter=Q(status=code)) for code in finals},
            spend_pathways=Count("pk", filter=started),
            spend_total=Sum("spent", filter=started),
            spend_at_cap=Count("pk", filter=started & Q(spent__gte=F("cap"))),
        )
    )
    return {
        "closed": row["closed"],
        "closed_by_status": {code: row[f"status_{code}"] for code in finals},
        "spend_pathways": row["spend_pathways"],
        "spend_total": row["spend_total"] or Decimal(0),
        "spend_at_cap": row["spend_at_cap"],
    }


def _reports(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-11: of the bilans done in the period (counted with I-8's acts), those with a report
    (any version of the act's assessment) sent to each recipient. Driven from the deliveries,
    grouped by act: the acts table is not scanned a second time."""
    from oncoparcours.reports.models import DeliveryStatus, RecipientRole, ReportDelivery

    start, end = _bounds(period)
    act = "report__assessment__act__"
    sent = Q(status=DeliveryStatus.SENT)
    row = (
        ReportDelivery.objects.filter(
            _pathways_q(scope, filters, f"{act}pathway__"),
            **{
                f"{act}kind__in": ASSESSMENT_KINDS,
                f"{act}status": ActStatus.DONE,
                f"{act}done_at__gte": start,
                f"{act}done_at__lt": end,
            },
        )
        .order_by()
        .values(f"{act}id")
        .annotate(
            to_prescriber=Count("pk", filter=sent & Q(recipient_role=RecipientRole.PRESCRIBER)),
            to_gp=Count("pk", filter=sent & Q(recipient_role=RecipientRole.GP)),
            no_consent=Count("pk", filter=Q(status=DeliveryStatus.WITHHELD_NO_CONSENT)),
        )
        .aggregate(
            both=Count("to_prescriber", filter=Q(to_prescriber__gt=0, to_gp__gt=0)),
            prescriber=Count("to_prescriber", filter=Q(to_prescriber__gt=0)),
            gp=Count("to_gp", filter=Q(to_gp__gt=0)),
            withheld=Count("no_consent", filter=Q(no_consent__gt=0)),
        )
    )
    return {
        "reports_both": row["both"],
        "reports_prescriber": row["prescriber"],
        "reports_gp": row["gp"],
        "reports_withheld_no_consent": row["withheld"],
    }


def _structures_q(scope: Scope, p: str = "") -> Q:
    if scope.department is not None:
        return Q(**{f"{p}commune__department_id": scope.department.code})
    if scope.structure is not None:
        return Q(**{f"{p}pk": scope.structure.pk})
    if scope.territory is not None:
        return Q(**{f"{p}pk": scope.territory.structure_id})
    return Q()


def _contracts(scope: Scope, period: Period) -> dict[str, Any]:
    """I-12: who held a contract overlapping the period (filters on patients do not apply)."""
    rows = (
        Contract.objects.filter(
            _structures_q(scope, "structure__"),
            Q(end_date__isnull=True) | Q(end_date__gte=period.start),
            start_date__lt=period.end_exclusive,
        )
        .order_by()
        .values_list("professional_id", "kind", "professional__profession")
        .distinct()
    )
    return {
        "contracts": list(rows),
        "profession_labels": [(code, label) for code, label in Profession.choices],
    }


def _active_territory_links(structure_id: int, commune: str = "pk") -> QuerySet[Any]:
    """Links of the structure's active territories to the commune ``OuterRef(commune)``."""
    links = InterventionTerritory.communes.through.objects.filter(
        commune_id=OuterRef(commune),
        interventionterritory__archived_at__isnull=True,
        interventionterritory__structure__archived_at__isnull=True,
    )
    return links.filter(interventionterritory__structure_id=structure_id)


def _scope_communes(scope: Scope) -> QuerySet[Commune]:
    communes = Commune.objects.all()
    if scope.department is not None:
        return communes.filter(department_id=scope.department.code)
    if scope.territory is not None:
        return communes.filter(territories=scope.territory.pk)
    if scope.structure is not None:
        return communes.filter(Exists(_active_territory_links(scope.structure.pk)))
    return communes


Located = tuple[tuple[str, int, float, float], ...]
Points = tuple[tuple[str, tuple[tuple[float, float], ...]], ...]


def _distances(communes: Located) -> dict[str, tuple[Decimal, int]]:
    """Population-weighted sum of the km to the nearest offer of each I-13 care type, and the
    population weighing it, for the (insee, population, latitude, longitude) of the located
    communes. Both inputs are read on every call (two small queries); only the pure
    nearest-offer computation is memoised, keyed by the rows themselves, so it is never stale."""
    offers = located_offer_points([code for code, _label in DISTANCE_CARE_TYPES])
    points: Points = tuple((code, tuple(offers.get(code, ()))) for code, _l in DISTANCE_CARE_TYPES)
    return _weighted_distances(communes, points)


@lru_cache(maxsize=32)
def _weighted_distances(communes: Located, points: Points) -> dict[str, tuple[Decimal, int]]:
    origins = [(insee, lat, lon) for insee, _people, lat, lon in communes]
    people = {insee: population for insee, population, _lat, _lon in communes}
    weighted: dict[str, tuple[Decimal, int]] = {}
    for care_type, offers in points:
        total, weight = 0.0, 0
        for insee, km in nearest_distances(origins, offers).items():
            if km is not None and people[insee]:
                total += km * people[insee]
                weight += people[insee]
        weighted[care_type] = (Decimal(str(total)), weight)
    return weighted


def _equity(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-13: included patients by residence over the population; coverage; distances."""
    included = Pathway.objects.filter(_filters_q(filters), _included_q(period))
    department_rates: list[tuple[str, str, int, int]] = []
    uncovered: int | None = None
    if scope.level in (ScopeLevel.REGION, ScopeLevel.DEPARTMENT):
        summary = coverage_summary().departments
        if scope.department is not None:
            summary = [d for d in summary if d.code == scope.department.code]
            included = included.filter(patient__commune__department_id=scope.department.code)
        by_department = dict(
            included.order_by()
            .values_list("patient__commune__department_id")
            .annotate(n=Count("pk"))
            .values_list("patient__commune__department_id", "n")
        )
        population = sum(d.covered_population + d.uncovered_population for d in summary)
        uncovered = sum(d.uncovered_population for d in summary)
        residents = sum(by_department.values())
        if scope.level == ScopeLevel.REGION:
            department_rates = [
                (
                    d.code,
                    d.name,
                    by_department.get(d.code, 0),
                    d.covered_population + d.uncovered_population,
                )
                for d in summary
            ]
    else:
        if scope.territory is not None:
            included = included.filter(_scope_q(scope))
        else:
            assert scope.structure is not None
            included = included.filter(
                Exists(_active_territory_links(scope.structure.pk, "patient__commune_id")),
                structure_id=scope.structure.pk,
            )
        residents = included.count()
        population = _scope_communes(scope).aggregate(p=Coalesce(Sum("population"), 0))["p"]
    communes: Located = tuple(
        (insee, people, float(lat), float(lon))
        for insee, people, lat, lon in _scope_communes(scope)
        .filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values_list("insee_code", "population", "latitude", "longitude")
        if lat is not None and lon is not None
    )
    return {
        "residents_included": residents,
        "population": population,
        "uncovered_population": uncovered,
        "distances": _distances(communes),
        "department_rates": department_rates,
    }


def _outcomes(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-14: per pathway and instrument, the first and the last current measure, for the
    pathways with at least two measures whose last one falls in the period (window functions:
    one row per pathway and instrument comes back)."""
    part = [F("assessment__pathway_id"), F("instrument")]
    order = [F("assessment__performed_on").asc(), F("assessment_id").asc(), F("pk").asc()]
    rows = (
        InstrumentRecord.objects.filter(
            _pathways_q(scope, filters, "assessment__pathway__"),
            instrument__in=[o.instrument for o in OUTCOMES],
            score__isnull=False,
            assessment__superseded_at__isnull=True,
        )
        .values("instrument", "score")
        .annotate(
            position_in_pathway=Window(RowNumber(), partition_by=part, order_by=order),
            measures=Window(Count("pk"), partition_by=part),
            first_score=Window(FirstValue("score"), partition_by=part, order_by=order),
            last_score=Window(
                LastValue("score"),
                partition_by=part,
                order_by=order,
                frame=RowRange(start=None, end=None),
            ),
            last_on=Window(Max("assessment__performed_on"), partition_by=part),
        )
        .filter(
            position_in_pathway=1,
            measures__gte=2,
            last_on__gte=period.start,
            last_on__lt=period.end_exclusive,
        )
        .values_list("instrument", "first_score", "last_score")
    )
    return {"outcome_pairs": [(i, Decimal(f), Decimal(last)) for i, f, last in rows]}


def _apa_uptake(scope: Scope, period: Period, filters: Filters) -> dict[str, Any]:
    """I-15: pathways whose first APA project was written in the period, and those of them
    oriented towards an APA offer (``Referral`` of care type apa)."""
    start, end = _bounds(period)
    projects = ApaProject.objects.filter(pathway=OuterRef("pk"))
    row = Pathway.objects.filter(
        _pathways_q(scope, filters),
        Exists(projects.filter(written_at__gte=start, written_at__lt=end)),
        ~Exists(projects.filter(written_at__lt=start)),
    ).aggregate(
        projects=Count("pk"),
        started=Count(
            "pk", filter=Q(Exists(Referral.objects.filter(pathway=OuterRef("pk"), care_type="apa")))
        ),
    )
    return {"apa_projects": row["projects"], "apa_started": row["started"]}


# Which aggregate groups each indicator needs (an API call for one id runs only its queries).
NEEDS: dict[str, tuple[str, ...]] = {
    "I-1": ("included",),
    "I-2": ("prescriptions",),
    "I-3": ("prescriptions",),
    "I-4": ("included",),
    "I-5": ("included",),
    "I-6": ("prescriptions",),
    "I-7": ("included", "contacts"),
    "I-8": ("acts",),
    "I-9": ("closed",),
    "I-10": ("closed",),
    "I-11": ("acts", "reports"),
    "I-12": ("contracts",),
    "I-13": ("equity",),
    "I-14": ("outcomes",),
    "I-15": ("apa",),
    "I-16": (),
}


def indicator_aggregates(
    scope: Scope, period: Period, filters: Filters, ids: Iterable[str] | None = None
) -> dict[str, Any]:
    wanted = list(NEEDS) if ids is None else list(ids)
    groups = dict.fromkeys(group for i in wanted for group in NEEDS[i])
    aggregates: dict[str, Any] = {}
    for group in groups:
        if group == "prescriptions":
            aggregates.update(_prescriptions(scope, period, filters))
        elif group == "included":
            aggregates.update(_included(scope, period, filters))
        elif group == "contacts":
            aggregates.update(_contact_delays(scope, period, filters))
        elif group == "acts":
            aggregates.update(_acts(scope, period, filters))
        elif group == "closed":
            aggregates.update(_closed(scope, period, filters))
        elif group == "reports":
            aggregates.update(_reports(scope, period, filters))
        elif group == "contracts":
            aggregates.update(_contracts(scope, period))
        elif group == "equity":
            aggregates.update(_equity(scope, period, filters))
        elif group == "outcomes":
            aggregates.update(_outcomes(scope, period, filters))
        elif group == "apa":
            aggregates.update(_apa_uptake(scope, period, filters))
    return aggregates


def scope_children(scope: Scope, period: Period, filters: Filters) -> list[ChildScope]:
    """Drill-down: region → departments → structures → territories, with each child's
    included patients (I-1) for the departments and structures (one grouped query)."""
    included = Pathway.objects.filter(_filters_q(filters), _included_q(period)).order_by()
    if scope.level == ScopeLevel.REGION:
        counts = dict(
            included.values_list("structure__commune__department_id")
            .annotate(n=Count("pk"))
            .values_list("structure__commune__department_id", "n")
        )
        return [
            ChildScope(ScopeLevel.DEPARTMENT, d.code, str(d), counts.get(d.code, 0))
            for d in Department.objects.order_by("code")
        ]
    if scope.department is not None:
        structures = Organisation.objects.filter(
            kind=OrgKind.STRUCTURE_PORTEUSE,
            archived_at__isnull=True,
            commune__department_id=scope.department.code,
        ).order_by("name")
        by_structure: dict[int, int] = dict(
            included.filter(structure__commune__department_id=scope.department.code)
            .values_list("structure_id")
            .annotate(n=Count("pk"))
            .values_list("structure_id", "n")
        )
        return [
            ChildScope(ScopeLevel.STRUCTURE, str(s.public_id), s.name, by_structure.get(s.pk, 0))
            for s in structures
        ]
    if scope.structure is not None:
        return [
            ChildScope(ScopeLevel.TERRITORY, str(t.public_id), t.name, None)
            for t in InterventionTerritory.objects.filter(
                structure=scope.structure, archived_at__isnull=True
            ).order_by("name")
        ]
    return []


def indicator_set(
    scope: Scope, period: Period, filters: Filters, ids: Sequence[str] | None = None
) -> IndicatorSet:
    aggregates = indicator_aggregates(scope, period, filters, ids)
    children = scope_children(scope, period, filters)
    return IndicatorSet(
        scope=scope,
        period=period,
        filters=filters,
        results=compute_all(aggregates, ids),
        children=children,
    )
