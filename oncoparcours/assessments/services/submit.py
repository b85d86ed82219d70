"""Submitting the form of an act: score every measure given, store the results, supersede the
previous submission (issue 4 §2, §5, §8).

``data`` is what the form or the API gathered::

    {"age": 66, "sex": "female",            # optional: the patient's by default
     "measures": {"six_minute_walk": {"distance_m": 450, "height_cm": 165, "weight_kg": 60},
                  "hads": {"A1": 0, "D1": 1, ...}},
     "observations": {"barriers": "...", "motivation": "..."},
     "summary": "..."}

All or nothing: every measure is scored before anything is written, a refusal names each field
at fault (``<measure>.<field>``, or ``age``/``sex``) with the instrument's code and French
message, and is logged with its codes only.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.instruments.base import UNKNOWN_CHOICE, InstrumentResult
from oncoparcours.assessments.measures import (
    FORMS,
    MEASURES,
    PATIENT_SEX,
    Context,
    MeasureError,
    score_measure,
)
from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.assessments.permissions import can_submit_assessment
from oncoparcours.assessments.selectors import followup_references, pathway_assessments
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.rules.budget import ActStatus
from oncoparcours.pathways.services._events import lock, record_event
from oncoparcours.pathways.services.acts import OPEN_STATUSES, act_complete
from oncoparcours.pathways.states import EventKind
from oncoparcours.patients.models import Patient
from oncoparcours.reports.services import report_issue

MAX_OBSERVATION = 4000
MAX_SUMMARY = 10000
WHERE = "assessment_submit"


def age_on(patient: Patient, day: date) -> int:
    born = patient.birth_date
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def patient_context(patient: Patient, day: date) -> Context:
    """The age on the act's day and the sex of the patient, as the form prefills them."""
    return Context(age=age_on(patient, day), sex=PATIENT_SEX.get(patient.sex))


def _refuse(message: str, code: str, *, by: Membership) -> None:
    refuse(ValidationError(message, code=code), where=WHERE, by=by)


def _check_act(act: Act, pathway: Pathway, *, by: Membership) -> None:
    """Held or about to be declared held today: not cancelled, missed or in the future."""
    if act.status in (ActStatus.CANCELLED, ActStatus.NO_SHOW):
        _refuse(
            _("Ce rendez-vous a été annulé ou le patient était absent : rien à saisir."),
            "assessment.act_not_held",
            by=by,
        )
    if act.status == ActStatus.BOOKED:
        if act.day > timezone.localdate():
            _refuse(
                _("Ce rendez-vous est à venir : la saisie sera possible le jour venu."),
                "assessment.act_in_future",
                by=by,
            )
        if pathway.status not in OPEN_STATUSES:
            _refuse(
                _("Le parcours n'est plus en cours : ce rendez-vous ne peut plus être saisi."),
                "assessment.pathway_not_open",
                by=by,
            )


def _text(errors: Errors, field: str, value: object, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors.new(field, _("Un texte est attendu."), "assessment.invalid")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors.new(
            field,
            _("Ce texte ne doit pas dépasser %(max)s caractères."),
            "assessment.text_too_long",
            max=limit,
        )
    return value


def _context(errors: Errors, data: Mapping[str, Any], base: Context) -> Context:
    age = data.get("age", base.age)
    sex = data.get("sex", base.sex)
    if sex in ("", None):
        sex = None
    elif sex not in PATIENT_SEX.values():
        errors.new("sex", _("Sexe : choix inconnu (female, male)."), UNKNOWN_CHOICE)
        sex = None
    return Context(
        age=None if age in ("", None) else age,
        sex=sex,
        reference_height_cm=base.reference_height_cm,
        reference_usual_weight_kg=base.reference_usual_weight_kg,
    )


def score_all(
    *, kind: str, data: Mapping[str, Any], base: Context
) -> tuple[list[InstrumentResult], dict[str, str], str, Errors]:
    """Every given measure scored, the observations and summary cleaned; errors collected (the
    caller refuses if any). No database."""
    errors = Errors()
    spec = FORMS[kind]
    ctx = _context(errors, data, base)
    results: list[InstrumentResult] = []
    measures = data.get("measures") or {}
    if not isinstance(measures, Mapping):
        errors.new("measures", _("Mesures illisibles."), "assessment.invalid")
        measures = {}
    for code, inputs in measures.items():
        if code not in spec.measures:
            errors.new(
                code,
                _("« %(measure)s » ne fait pas partie de cette prestation."),
                "assessment.measure_not_allowed",
                measure=code,
            )
            continue
        if not isinstance(inputs, Mapping):
            errors.new(code, _("Mesures illisibles."), "assessment.invalid")
            continue
        unknown = sorted(set(inputs) - set(MEASURES[code].fields))
        if unknown:
            errors.new(
                f"{code}.{unknown[0]}",
                _("Champ inconnu : %(fields)s."),
                "assessment.field_unknown",
                fields=", ".join(unknown),
            )
            continue
        try:
            results.extend(score_measure(code, inputs, ctx))
        except MeasureError as exc:
            errors.new(exc.field or code, exc.message, exc.code)
    observations_in = data.get("observations") or {}
    observations: dict[str, str] = {}
    allowed = dict(spec.observations)
    if not isinstance(observations_in, Mapping):
        errors.new("observations", _("Observations illisibles."), "assessment.invalid")
        observations_in = {}
    for name, value in observations_in.items():
        if name not in allowed:
            errors.new(
                f"observations.{name}",
                _("Observation inconnue pour cette prestation."),
                "assessment.field_unknown",
            )
            continue
        text = _text(errors, f"observations.{name}", value, MAX_OBSERVATION)
        if text:
            observations[name] = text
    summary = _text(errors, "summary", data.get("summary"), MAX_SUMMARY)
    if not results and not summary and not errors.by_field:
        errors.new(
            NON_FIELD_ERRORS,
            _("Saisissez au moins une mesure ou la synthèse."),
            "assessment.empty",
        )
    return results, observations, summary, errors


def _records(assessment: Assessment, results: list[InstrumentResult]) -> list[InstrumentRecord]:
    records = []
    for position, result in enumerate(results):
        stored = result.as_record()
        interpretation = stored["interpretation"]
        assert interpretation is None or isinstance(interpretation, dict)
        records.append(
            InstrumentRecord(
                assessment=assessment,
                position=position,
                instrument=result.instrument,
                version=result.version,
                answers=stored["answers"],
                score=None if result.score is None else Decimal(result.score),
                subscores=stored["subscores"],
                interpretation_code=(interpretation or {}).get("code", ""),
                interpretation_label=(interpretation or {}).get("label", ""),
                sub_interpretations=stored["sub_interpretations"],
                flags=stored["flags"],
            )
        )
    return records


@transaction.atomic
def assessment_submit(*, by: Membership, act: Act, data: Mapping[str, Any]) -> Assessment:
    """Stores the act's assessment; a booked act of today or earlier is declared done in the
    same transaction (``act_complete``: the budget rules run again). Submitting again for the
    same act supersedes the previous assessment, which is kept."""
    pathway = act.pathway
    if not can_submit_assessment(by, act):
        _refuse(
            _("Seul le professionnel du rendez-vous peut saisir ce bilan ou cette consultation."),
            "assessment.not_performer",
            by=by,
        )
    lock(pathway)
    act.refresh_from_db()
    _check_act(act, pathway, by=by)
    earlier = [a for a in pathway_assessments(pathway) if a.act_id != act.pk]
    height, usual = followup_references(earlier)
    base = patient_context(pathway.patient, act.day)
    base = Context(base.age, base.sex, height, usual)
    results, observations, summary, errors = score_all(kind=act.kind, data=data, base=base)
    errors.raise_if_any(where=WHERE, by=by)

    if act.status == ActStatus.BOOKED:
        act_complete(by=by, act=act, done_on=act.day)
    previous = (
        Assessment.objects.select_for_update().filter(act=act, superseded_at__isnull=True).first()
    )
    if previous is not None:
        # Before the new row: one current assessment per act (database constraint).
        previous.superseded_at = timezone.now()
        previous.save(update_fields=["superseded_at"])
    assessment = Assessment.objects.create(
        act=act,
        pathway=pathway,
        kind=act.kind,
        performed_on=act.day,
        observations=observations,
        summary=summary,
        submitted_by=by,
    )
    if previous is not None:
        previous.superseded_by = assessment
        previous.save(update_fields=["superseded_by"])
    InstrumentRecord.objects.bulk_create(_records(assessment, results))
    event_data: dict[str, Any] = {
        "act": str(act.public_id),
        "kind": act.kind,
        "assessment": str(assessment.public_id),
        "instruments": [r.instrument for r in results],
    }
    if previous is not None:
        event_data["supersedes"] = str(previous.public_id)
    record_event(pathway, EventKind.ASSESSMENT_RECORDED, by=by, data=event_data)
    # PSG-14/16: the report goes to the prescriber and the GP, each only with consent.
    report_issue(by=by, assessment=assessment)
    return assessment
