"""What the export reads from the other apps: read-only queries, by chunks of pathways.

Rows are walked in primary-key order by keyset (``pk > last``), one short query per chunk, so
memory stays flat whatever the year's volume and each chunk may report progress; nothing here
writes another app's table.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from oncoparcours.assessments.models import InstrumentRecord
from oncoparcours.evaluation.exports.kanon import Place
from oncoparcours.evaluation.exports.rows import ACT_COLUMNS, PathwaySource
from oncoparcours.pathways.models import Pathway
from oncoparcours.patients.models import Consent, ConsentScope
from oncoparcours.reports.models import DeliveryStatus, ReportDelivery

DONE = "done"
NO_SHOW = "no_show"

# What the first pass needs: the quasi-identifiers and the pseudonym, nothing else.
QI_FIELDS = (
    "pk",
    "patient__public_id",
    "patient__birth_date",
    "patient__sex",
    "patient__commune_id",
    "patient__commune__epci_id",
    "patient__commune__department_id",
    "patient__cancer_site",
    "prescription__prescription_date",
)
ROW_FIELDS = (
    *QI_FIELDS,
    "structure__public_id",
    "structure__name",
    "prescription__prescriber_specialty",
    "prescription__active_treatment_end_date",
    "prescription__eligibility",
    "prescription__failures",
    "status",
    "first_assessment_date",
    "cap",
)


def _objection(today: date) -> Q:
    """PROPOSAL (to confirm with the ARS and the DPO): a patient who withdrew their consent to
    the evaluation use of their data, and has not given it again, is left out (MR-004 right to
    object). Patients who never answered are included: the evaluation is a regulatory duty
    (R.1415-1-12), not a consent-based processing."""
    evaluation = Consent.objects.filter(
        patient=OuterRef("patient"), scope=ConsentScope.EVALUATION_DATA
    )
    withdrawn = evaluation.filter(withdrawn_at__isnull=False, withdrawn_at__lte=today)
    active = evaluation.filter(given_at__lte=today).filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gt=today)
    )
    return Q(Exists(withdrawn)) & ~Q(Exists(active))


def year_pathways(year: int, today: date) -> QuerySet[Pathway]:
    """Pathways prescribed in ``year``, patients who objected left out."""
    return Pathway.objects.filter(
        prescription__prescription_date__gte=date(year, 1, 1),
        prescription__prescription_date__lte=date(year, 12, 31),
    ).exclude(_objection(today))


def objecting_patient_count(year: int, today: date) -> int:
    return (
        Pathway.objects.filter(
            prescription__prescription_date__gte=date(year, 1, 1),
            prescription__prescription_date__lte=date(year, 12, 31),
        )
        .filter(_objection(today))
        .values("patient")
        .distinct()
        .count()
    )


def _keyset(
    queryset: QuerySet[Pathway], fields: tuple[str, ...], chunk_size: int, **annotations: Any
) -> Iterator[list[dict[str, Any]]]:
    last = 0
    while True:
        chunk = list(
            queryset.filter(pk__gt=last)
            .annotate(**annotations)
            .order_by("pk")
            .values(*fields, *annotations)[:chunk_size]
        )
        if not chunk:
            return
        yield chunk
        last = chunk[-1]["pk"]


def place_of(row: dict[str, Any]) -> Place:
    return Place(
        commune=row["patient__commune_id"],
        epci=row["patient__commune__epci_id"] or "",
        department=row["patient__commune__department_id"],
    )


def qi_chunks(queryset: QuerySet[Pathway], chunk_size: int) -> Iterator[list[dict[str, Any]]]:
    """First pass: one small dict per pathway (quasi-identifiers and pseudonym inputs)."""
    return _keyset(queryset, QI_FIELDS, chunk_size)


def _act_annotations() -> dict[str, Any]:
    # One join on the acts for every aggregate: no multiplied rows.
    annotations: dict[str, Any] = {
        f"done_{kind}": Count("acts", filter=Q(acts__status=DONE, acts__kind=kind))
        for kind in ACT_COLUMNS
    }
    annotations["no_shows"] = Count("acts", filter=Q(acts__status=NO_SHOW))
    annotations["spent"] = Sum("acts__amount", filter=Q(acts__status=DONE))
    return annotations


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _measures(pathway_ids: list[int]) -> dict[int, dict[str, list[Decimal]]]:
    """The current (not superseded) measures of these pathways, oldest first: one query."""
    found: dict[int, dict[str, list[Decimal]]] = defaultdict(lambda: defaultdict(list))
    records = (
        InstrumentRecord.objects.filter(
            assessment__pathway_id__in=pathway_ids,
            assessment__superseded_at__isnull=True,
            instrument__in=("six_minute_walk", "hads", "bmi"),
        )
        .order_by("assessment__performed_on", "assessment__pk", "position", "pk")
        .values_list("assessment__pathway_id", "instrument", "score", "subscores")
    )
    for pathway_id, instrument, score, subscores in records:
        series = found[pathway_id]
        if instrument == "hads":
            for key, sub in (("hads_anxiety", "anxiety"), ("hads_depression", "depression")):
                value = _decimal((subscores or {}).get(sub))
                if value is not None:
                    series[key].append(value)
        elif score is not None:
            series[instrument].append(Decimal(score))
    return found


def _reports_sent(pathway_ids: list[int]) -> dict[int, dict[str, int]]:
    """Reports delivered per pathway and recipient role (I-11): one query."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        ReportDelivery.objects.filter(
            report__pathway_id__in=pathway_ids, status=DeliveryStatus.SENT
        )
        .values_list("report__pathway_id", "recipient_role")
        .annotate(sent=Count("pk"))
    )
    for pathway_id, role, sent in rows:
        found[pathway_id][role] = sent
    return found


def source_chunks(queryset: QuerySet[Pathway], chunk_size: int) -> Iterator[list[PathwaySource]]:
    """Second pass: every pathway with its acts' counts, measures and reports sent, three
    queries per chunk."""
    for chunk in _keyset(queryset, ROW_FIELDS, chunk_size, **_act_annotations()):
        ids = [row["pk"] for row in chunk]
        measures = _measures(ids)
        reports_sent = _reports_sent(ids)
        yield [
            PathwaySource(
                patient_public_id=row["patient__public_id"],
                birth_date=row["patient__birth_date"],
                sex=row["patient__sex"],
                place=place_of(row),
                cancer_site=row["patient__cancer_site"],
                structure_public_id=row["structure__public_id"],
                structure_name=row["structure__name"] or "",
                prescriber_specialty=row["prescription__prescriber_specialty"],
                prescription_date=row["prescription__prescription_date"],
                active_treatment_end_date=row["prescription__active_treatment_end_date"],
                first_assessment_date=row["first_assessment_date"],
                eligibility=row["prescription__eligibility"],
                failure_codes=[
                    str(failure.get("code", ""))
                    for failure in row["prescription__failures"] or []
                    if isinstance(failure, dict)
                ],
                status=row["status"],
                done_by_kind={kind: row[f"done_{kind}"] for kind in ACT_COLUMNS},
                no_shows=row["no_shows"],
                spent=row["spent"] or Decimal(0),
                cap=row["cap"],
                measures=measures.get(row["pk"], {}),
                reports_sent=reports_sent.get(row["pk"], {}),
            )
            for row in chunk
        ]
