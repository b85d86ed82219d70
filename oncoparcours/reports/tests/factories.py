"""Assessments written straight to the tables (H1's submit service has its own tests), their
records filled by the real scoring functions; consents through the patients' service."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from oncoparcours.assessments.instruments import handgrip, six_minute_walk
from oncoparcours.assessments.instruments.base import InstrumentResult
from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.patients.models import Consent, ConsentScope, Patient

DONE_ON = date(2026, 6, 10)


def add_record(assessment: Assessment, result: InstrumentResult, position: int) -> InstrumentRecord:
    record: dict[str, Any] = result.as_record()
    meaning = record["interpretation"] or {}
    return InstrumentRecord.objects.create(
        assessment=assessment,
        position=position,
        instrument=record["instrument"],
        version=record["version"],
        answers=record["answers"],
        score=record["score"],
        subscores=record["subscores"],
        interpretation_code=meaning.get("code", ""),
        interpretation_label=meaning.get("label", ""),
        sub_interpretations=record["sub_interpretations"],
        flags=record["flags"],
    )


def make_act(personas, professional, pathway: Pathway, kind: str) -> Act:
    return Act.objects.create(
        pathway=pathway,
        kind=kind,
        professional=professional.user,
        starts_at=datetime(2026, 6, 10, 8, tzinfo=UTC),
        duration_minutes=60,
        mode="in_person",
        amount=Decimal("45.00"),
        status="done",
        booked_by=personas.coordinator,
        completed_by=professional,
        done_at=datetime(2026, 6, 10, 9, tzinfo=UTC),
    )


def make_assessment(personas, professional, pathway: Pathway, kind: str, **extra) -> Assessment:
    return Assessment.objects.create(
        act=make_act(personas, professional, pathway, kind),
        pathway=pathway,
        kind=kind,
        performed_on=DONE_ON,
        submitted_by=professional,
        **extra,
    )


def make_apa_assessment(personas, team, pathway: Pathway) -> Assessment:
    assessment = make_assessment(
        personas,
        team.apa,
        pathway,
        "apa_assessment",
        observations={"barriers": "Fatigue l'après-midi & <peur> de chuter."},
        summary="Capacités conservées, motivation à accompagner.",
    )
    # Camille, woman, 66, 165 cm, 60 kg, 450 m: predicted 2.11 * 165 - 2.29 * 60 - 5.78 * 66
    # + 667 = 496.27 m (496,3); 450 / 496.27 = 90.7 %; lower limit 496.27 - 139 = 357.3 m.
    add_record(
        assessment,
        six_minute_walk(distance_m=450, sex="female", age=66, height_cm=165, weight_kg=60),
        0,
    )
    # Best of 22.5 and 24 (right), 20 (left): 24 kg, not below 16 kg (EWGSOP2, women).
    add_record(
        assessment,
        handgrip(sex="female", right_kg=[Decimal("22.5"), 24], left_kg=[20]),
        1,
    )
    return assessment


def consent(patient: Patient, scope: str, by, given_at: date = date(2026, 5, 2)) -> Consent:
    from oncoparcours.patients.services import consent_record

    return consent_record(by=by, patient=patient, scope=scope, given_at=given_at)


PRESCRIBER_SCOPE = ConsentScope.SHARE_REPORTS_PRESCRIBER
GP_SCOPE = ConsentScope.SHARE_REPORTS_GP
