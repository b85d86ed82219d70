"""Assessments for partner software: submit an act's form, read a submission, list a pathway's
current ones and its outcomes. Scoring and refusals are the service's (one place); refusals
answer 400 with ``{"errors": [{"code", "message", "field"}]}`` (the instrument's code, French
message, and field as ``<measure>.<input>``)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.assessments.permissions import (
    access_act_for_assessment,
    access_assessment,
    access_pathway_assessments,
    can_submit_assessment,
)
from oncoparcours.assessments.selectors import (
    assessment_detail,
    outcomes_of,
    pathway_assessments,
)
from oncoparcours.assessments.services import assessment_submit
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.pathways.api.schemas import ErrorsOut

router = Router(tags=["Bilans"])


class AssessmentIn(Schema):
    """Age and sex default to the patient's (age on the act's day); each measure is optional
    (see docs/instruments.md, "Forms and storage", for the measures of each prestation)."""

    age: int | None = None
    sex: str | None = None
    measures: dict[str, dict[str, Any]] = {}
    observations: dict[str, str] = {}
    summary: str = ""


class InterpretationOut(Schema):
    code: str
    label: str


class ResultOut(Schema):
    instrument: str
    version: str
    answers: dict[str, Any]
    score: Decimal | None
    subscores: dict[str, Any]
    interpretation: InterpretationOut | None
    sub_interpretations: dict[str, InterpretationOut]
    flags: list[str]

    @staticmethod
    def resolve_interpretation(obj: InstrumentRecord) -> dict[str, str] | None:
        if not obj.interpretation_code:
            return None
        return {"code": obj.interpretation_code, "label": obj.interpretation_label}


class AssessmentOut(Schema):
    id: UUID
    act_id: UUID
    pathway_id: UUID
    kind: str
    performed_on: date
    observations: dict[str, str]
    summary: str
    submitted_at: datetime
    superseded_at: datetime | None
    superseded_by_id: UUID | None
    results: list[ResultOut]

    @staticmethod
    def resolve_id(obj: Assessment) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_act_id(obj: Assessment) -> UUID:
        return obj.act.public_id

    @staticmethod
    def resolve_pathway_id(obj: Assessment) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_superseded_by_id(obj: Assessment) -> UUID | None:
        return obj.superseded_by.public_id if obj.superseded_by else None

    @staticmethod
    def resolve_results(obj: Assessment) -> list[InstrumentRecord]:
        return list(obj.results.all())


class PointOut(Schema):
    on: date
    value: Decimal


class OutcomeOut(Schema):
    code: str
    label: str
    unit: str
    first: PointOut
    latest: PointOut
    difference: Decimal
    points: list[PointOut]


def _membership(request: HttpRequest) -> Membership:
    return actor(request)


@router.post(
    "/acts/{act_id}/assessment",
    response={201: AssessmentOut, 400: ErrorsOut},
    summary="Saisir le bilan ou la consultation d'un rendez-vous (professionnel du rendez-vous)",
    description="Calcule chaque instrument saisi et enregistre le tout, ou rien. Un rendez-vous "
    "réservé du jour ou passé est déclaré réalisé en même temps ; une nouvelle saisie remplace "
    "la précédente (conservée). 400 avec chaque erreur : "
    '`{"code": "instrument.value_out_of_range", "message": "…", '
    '"field": "six_minute_walk.distance_m"}`.',
)
def act_assessment_submit(request: HttpRequest, act_id: UUID, payload: AssessmentIn) -> Status[Any]:
    current = _membership(request)
    try:
        act = access_act_for_assessment(current, act_id)
    except Http404:
        raise not_found() from None
    if not can_submit_assessment(current, act):
        raise forbidden()
    # A ValidationError becomes the API's 400 with its errors (core.api handler).
    assessment = assessment_submit(by=current, act=act, data=payload.dict(exclude_unset=True))
    return Status(201, assessment_detail(assessment.public_id))


@router.get(
    "/assessments/{assessment_id}",
    response=AssessmentOut,
    summary="Lire une saisie avec ses scores (équipe du parcours)",
)
def assessment_get(request: HttpRequest, assessment_id: UUID) -> Assessment:
    try:
        return access_assessment(_membership(request), assessment_id)
    except Http404:
        raise not_found() from None


@router.get(
    "/pathways/{pathway_id}/assessments",
    response=list[AssessmentOut],
    summary="Saisies en vigueur d'un parcours, de la plus ancienne à la plus récente",
)
def pathway_assessment_list(request: HttpRequest, pathway_id: UUID) -> list[Assessment]:
    try:
        pathway = access_pathway_assessments(_membership(request), pathway_id)
    except Http404:
        raise not_found() from None
    return pathway_assessments(pathway)


@router.get(
    "/pathways/{pathway_id}/outcomes",
    response=list[OutcomeOut],
    summary="Évolution des mesures prises au moins deux fois : première et dernière valeur",
)
def pathway_outcome_list(request: HttpRequest, pathway_id: UUID) -> list[dict[str, Any]]:
    try:
        pathway = access_pathway_assessments(_membership(request), pathway_id)
    except Http404:
        raise not_found() from None
    return [
        {
            "code": o.code,
            "label": o.label,
            "unit": o.unit,
            "first": o.first,
            "latest": o.latest,
            "difference": o.difference,
            "points": list(o.points),
        }
        for o in outcomes_of(pathway_assessments(pathway))
    ]
