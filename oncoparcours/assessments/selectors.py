"""Reads of assessments: a pathway's current ones with their results, one assessment, and the
outcomes (first versus latest value of each measure taken at least twice)."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.pathways.models import Pathway

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


def _with_results(assessments: QuerySet[Assessment]) -> QuerySet[Assessment]:
    return assessments.select_related(
        "act__professional", "pathway", "submitted_by__user"
    ).prefetch_related(
        Prefetch("results", queryset=InstrumentRecord.objects.order_by("position", "pk"))
    )


def pathway_assessments(pathway: Pathway) -> list[Assessment]:
    """The current (not superseded) assessments of a pathway, oldest first, with their act,
    author and results: two queries whatever the number of rows."""
    return list(
        _with_results(
            Assessment.objects.filter(pathway=pathway, superseded_at__isnull=True)
        ).order_by("performed_on", "pk")
    )


def assessment_detail(public_id: UUID | str) -> Assessment | None:
    """One assessment (current or superseded) with its pathway, act, author and results."""
    return (
        _with_results(Assessment.objects.all())
        .select_related("pathway__patient", "pathway__structure", "superseded_by", "act__pathway")
        .filter(public_id=public_id)
        .first()
    )


def current_assessment_for_act(act_id: int) -> Assessment | None:
    return (
        _with_results(Assessment.objects.filter(act_id=act_id, superseded_at__isnull=True))
        .order_by("-pk")
        .first()
    )


# --- Outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Metric:
    code: str
    instrument: str
    label: "StrPromise"
    unit: str
    value: Callable[[InstrumentRecord], Decimal | None]


def _plain(value: Decimal) -> Decimal:
    """4.000 -> 4 and 92.600 -> 92.6 (never 4.5E+2): as the professional wrote it."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    return _plain(Decimal(str(value)))


def _score(record: InstrumentRecord) -> Decimal | None:
    return None if record.score is None else _plain(record.score)


def _sub(name: str) -> Callable[[InstrumentRecord], Decimal | None]:
    return lambda record: _decimal(record.subscores.get(name))


def _answer(name: str) -> Callable[[InstrumentRecord], Decimal | None]:
    return lambda record: _decimal(record.answers.get(name))


# The values followed across a pathway, in the order the page shows them. The weight is read
# from the BMI record, or from the weight-loss record when no height was known.
METRICS: tuple[Metric, ...] = (
    Metric("six_minute_walk", "six_minute_walk", _("Test de marche de 6 minutes"), "m", _score),
    Metric(
        "six_minute_walk_percent",
        "six_minute_walk",
        _("Test de marche de 6 minutes, part de la distance théorique"),
        "%",
        _sub("percent_predicted"),
    ),
    Metric("chair_stand_30s", "chair_stand_30s", _("Levers de chaise en 30 secondes"), "", _score),
    Metric("handgrip", "handgrip", _("Force de préhension, meilleur essai"), "kg", _score),
    Metric("ipaq_short", "ipaq_short", _("Activité physique (IPAQ)"), "MET-min/sem.", _score),
    Metric("weight", "bmi", _("Poids"), "kg", _answer("weight_kg")),
    Metric("weight", "weight_loss", _("Poids"), "kg", _answer("weight_kg")),
    Metric("bmi", "bmi", _("Indice de masse corporelle"), "kg/m²", _score),
    Metric("mna_sf", "mna_sf", _("MNA-SF"), "/14", _score),
    Metric("nrs_2002", "nrs_2002", _("NRS-2002"), "/7", _score),
    Metric(
        "distress_thermometer",
        "distress_thermometer",
        _("Thermomètre de détresse"),
        "/10",
        _score,
    ),
    Metric("hads_anxiety", "hads", _("HADS, anxiété"), "/21", _sub("anxiety")),
    Metric("hads_depression", "hads", _("HADS, dépression"), "/21", _sub("depression")),
)


@dataclass(frozen=True)
class Point:
    on: date
    value: Decimal


@dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    unit: str
    points: tuple[Point, ...]

    @property
    def first(self) -> Point:
        return self.points[0]

    @property
    def latest(self) -> Point:
        return self.points[-1]

    @property
    def difference(self) -> Decimal:
        return self.latest.value - self.first.value


def pathway_outcomes(
    pathway: Pathway, assessments: Sequence[Assessment] | None = None
) -> list[Outcome]:
    """Each value measured in at least two current assessments: its series in date order (one
    point per assessment). ``assessments``: ``pathway_assessments(pathway)`` when the caller
    already has it (no query then)."""
    if assessments is None:
        assessments = pathway_assessments(pathway)
    return outcomes_of(assessments)


def outcomes_of(assessments: Iterable[Assessment]) -> list[Outcome]:
    series: dict[str, list[Point]] = {}
    labels: dict[str, Metric] = {}
    for assessment in sorted(assessments, key=lambda a: (a.performed_on, a.pk)):
        seen: set[str] = set()
        for record in assessment.results.all():
            for metric in METRICS:
                if metric.instrument != record.instrument or metric.code in seen:
                    continue
                value = metric.value(record)
                if value is None:
                    continue
                seen.add(metric.code)
                labels.setdefault(metric.code, metric)
                series.setdefault(metric.code, []).append(Point(assessment.performed_on, value))
    order = {m.code: i for i, m in enumerate(METRICS)}
    return [
        Outcome(code, str(labels[code].label), labels[code].unit, tuple(points))
        for code, points in sorted(series.items(), key=lambda item: order[item[0]])
        if len(points) >= 2
    ]


def followup_references(assessments: Iterable[Assessment]) -> tuple[Decimal | None, Decimal | None]:
    """The latest height and the first usual weight recorded in the pathway (a follow-up's
    BMI and weight loss are computed against them)."""
    height: Decimal | None = None
    usual: Decimal | None = None
    for assessment in sorted(assessments, key=lambda a: (a.performed_on, a.pk)):
        for record in assessment.results.all():
            found_height = _decimal(record.answers.get("height_cm"))
            found_usual = _decimal(record.answers.get("usual_weight_kg"))
            if record.instrument in ("bmi", "has_undernutrition") and found_height is not None:
                height = found_height
            if record.instrument in ("weight_loss", "has_undernutrition") and found_usual:
                usual = usual or found_usual
    return height, usual
