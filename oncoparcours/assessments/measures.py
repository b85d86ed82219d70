"""What each prestation's form may measure, and how a group of inputs is scored (issue 4 §2).

A *measure* is one group of inputs the professional fills or leaves empty (the 6-minute walk,
the anthropometry, HADS…). Scoring a measure calls the pure instrument functions and may give
several results (the anthropometry gives the BMI, the weight loss and the HAS undernutrition
diagnosis). Pure: plain values in, ``InstrumentResult`` out, ``InstrumentError`` on refusal;
no database. The service stores what comes out; the forms and the API only shape the inputs.

Inputs of a measure are a mapping ``field -> value`` (numbers as ``Decimal``/``int``/``float``,
lists for handgrip trials and distress problems, item code -> position for questionnaires).
Age and sex are shared by the whole form (``Context``): they come from the patient unless the
professional corrects them.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments import instruments as ins
from oncoparcours.assessments.instruments.base import (
    NOT_A_NUMBER,
    VALUE_MISSING,
    InstrumentError,
    InstrumentResult,
)
from oncoparcours.assessments.instruments.nutrition_screening import MNA_SF, NRS_2002
from oncoparcours.assessments.instruments.psychology import HADS
from oncoparcours.pathways.rules.prestations import (
    APA_ASSESSMENT,
    DIET_ASSESSMENT,
    DIET_FOLLOWUP,
    PSY_ASSESSMENT,
    PSY_FOLLOWUP,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Inputs = Mapping[str, Any]

# Below this age the HAS adult undernutrition texts do not apply (the paediatric criteria are
# not implemented): the anthropometry then gives BMI and weight loss only.
ADULT_AGE = 18


@dataclass(frozen=True)
class Context:
    """What every measure of one form shares, and what earlier assessments of the pathway
    provide to a follow-up (the height and usual weight measured at the dietetic bilan)."""

    age: int | None = None
    sex: str | None = None
    reference_height_cm: Decimal | None = None
    reference_usual_weight_kg: Decimal | None = None


class MeasureError(InstrumentError):
    """An ``InstrumentError`` whose field is already the measure's input (or ``age``/``sex``)."""


@dataclass(frozen=True)
class Measure:
    code: str
    label: "StrPromise"
    fields: tuple[str, ...]
    score: Callable[[Inputs, Context], list[InstrumentResult]]
    # Instrument codes it may store (for the docs, the outcomes and the timeline).
    instruments: tuple[str, ...] = field(default=())


# --- Shared values --------------------------------------------------------------------------

SEX_CHOICES = (("female", gettext_lazy("Femme")), ("male", gettext_lazy("Homme")))
PATIENT_SEX = {"F": "female", "M": "male"}


def _sex(ctx: Context) -> str:
    if not ctx.sex:
        raise InstrumentError(VALUE_MISSING, _("Sexe : valeur manquante."), field="sex")
    return ctx.sex


def _in(inputs: Inputs, name: str) -> Any:
    """An input as given (the instrument functions validate its type and bounds)."""
    return inputs.get(name)


def _age(ctx: Context) -> Any:
    """None when unknown: the instrument then refuses it as missing, on the ``age`` field."""
    return ctx.age


def _list(value: object, *, field: str, label: str) -> Sequence[Any]:
    if value is None or value == "":
        return ()
    if isinstance(value, list | tuple):
        return [v for v in value if v is not None and v != ""]
    raise InstrumentError(
        NOT_A_NUMBER, _("%(label)s : une liste est attendue.") % {"label": label}, field=field
    )


# --- Physical activity ----------------------------------------------------------------------


def _six_minute_walk(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    return [
        ins.six_minute_walk(
            distance_m=_in(v, "distance_m"),
            sex=_sex(ctx),
            age=_age(ctx),
            height_cm=_in(v, "height_cm"),
            weight_kg=_in(v, "weight_kg"),
        )
    ]


def _chair_stand(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    return [ins.chair_stand_30s(stands=_in(v, "stands"), sex=_sex(ctx), age=_age(ctx))]


def _handgrip(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    return [
        ins.handgrip(
            sex=_sex(ctx),
            right_kg=_list(_in(v, "right_kg"), field="right_kg", label=_("Main droite")),
            left_kg=_list(_in(v, "left_kg"), field="left_kg", label=_("Main gauche")),
        )
    ]


IPAQ_FIELDS = (
    "vigorous_days",
    "vigorous_minutes",
    "moderate_days",
    "moderate_minutes",
    "walking_days",
    "walking_minutes",
    "sitting_minutes",
)


def _ipaq(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    values = {name: _in(v, name) for name in IPAQ_FIELDS}
    if values["sitting_minutes"] == "":
        values["sitting_minutes"] = None
    return [ins.ipaq_short(**values)]


def _stage(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    if not _given(_in(v, "stage")):
        raise InstrumentError(
            VALUE_MISSING, _("Stade de changement : valeur manquante."), field="stage"
        )
    return [ins.stage_of_change(stage=v["stage"])]


# --- Nutrition ------------------------------------------------------------------------------

WEIGHT_FIELDS = ("usual_weight_kg", "weight_1_month_ago_kg", "weight_6_months_ago_kg")
DIAGNOSIS_FIELDS = (
    "intake_reduction_percent",
    "intake_reduction_days",
    "reduced_absorption",
    "aggression",
    "muscle_criterion",
    "albumin_g_l",
)


def _given(value: object) -> bool:
    return value is not None and value != ""


def _weights(v: Inputs, usual: object) -> dict[str, Any]:
    return {
        "usual_kg": usual,
        "one_month_ago_kg": _in(v, "weight_1_month_ago_kg"),
        "six_months_ago_kg": _in(v, "weight_6_months_ago_kg"),
    }


def _anthropometry(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    """Dietetic bilan: BMI, weight loss when an earlier weight is known, and the HAS
    undernutrition diagnosis (adults)."""
    weight, height = _in(v, "weight_kg"), _in(v, "height_cm")
    results = [ins.bmi(weight_kg=weight, height_cm=height)]
    if any(_given(_in(v, name)) for name in WEIGHT_FIELDS):
        results.append(ins.weight_loss(current_kg=weight, **_weights(v, _in(v, "usual_weight_kg"))))
    if ctx.age is None or ctx.age >= ADULT_AGE:
        results.append(
            ins.undernutrition_has(
                age=_age(ctx),
                weight_kg=weight,
                height_cm=height,
                usual_weight_kg=_in(v, "usual_weight_kg"),
                weight_1_month_ago_kg=_in(v, "weight_1_month_ago_kg"),
                weight_6_months_ago_kg=_in(v, "weight_6_months_ago_kg"),
                muscle_criterion=bool(_in(v, "muscle_criterion")),
                intake_reduction_percent=_none_if_empty(_in(v, "intake_reduction_percent")),
                intake_reduction_days=_none_if_empty(_in(v, "intake_reduction_days")),
                reduced_absorption=bool(_in(v, "reduced_absorption")),
                aggression=bool(_in(v, "aggression")),
                albumin_g_l=_none_if_empty(_in(v, "albumin_g_l")),
            )
        )
    return results


def _weight_followup(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    """Follow-up: the weight, its BMI with the height measured at the bilan, and the loss
    versus the usual weight recorded then (unless the professional gives other values)."""
    weight = _in(v, "weight_kg")
    height = _in(v, "height_cm") if _given(_in(v, "height_cm")) else ctx.reference_height_cm
    usual = (
        _in(v, "usual_weight_kg")
        if _given(_in(v, "usual_weight_kg"))
        else ctx.reference_usual_weight_kg
    )
    results: list[InstrumentResult] = []
    if height is not None:
        results.append(ins.bmi(weight_kg=weight, height_cm=height))
    # Always stored: it keeps the weight itself even without an earlier one.
    results.append(ins.weight_loss(current_kg=weight, **_weights(v, usual)))
    return results


def _none_if_empty(value: object) -> Any:
    return value if _given(value) else None


def _mna_sf(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    return [ins.mna_sf({code: _none_if_empty(answer) for code, answer in v.items()})]


def _nrs_2002(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    return [
        ins.nrs_2002(
            nutritional_status=_none_if_empty(_in(v, "nutritional_status")),
            disease_severity=_none_if_empty(_in(v, "disease_severity")),
            age=_age(ctx),
        )
    ]


# --- Psychology -----------------------------------------------------------------------------


def _distress(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    problems = _list(_in(v, "problems"), field="problems", label=_("Liste des problèmes"))
    return [ins.distress_thermometer(score=_in(v, "score"), problems=problems)]


def _hads(v: Inputs, ctx: Context) -> list[InstrumentResult]:
    return [ins.hads({code: _none_if_empty(answer) for code, answer in v.items()})]


# --- The catalogue --------------------------------------------------------------------------

MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            "six_minute_walk",
            gettext_lazy("Test de marche de 6 minutes"),
            ("distance_m", "height_cm", "weight_kg"),
            _six_minute_walk,
            ("six_minute_walk",),
        ),
        Measure(
            "chair_stand_30s",
            gettext_lazy("Test de lever de chaise en 30 secondes"),
            ("stands",),
            _chair_stand,
            ("chair_stand_30s",),
        ),
        Measure(
            "handgrip",
            gettext_lazy("Force de préhension (dynamomètre)"),
            ("right_kg", "left_kg"),
            _handgrip,
            ("handgrip",),
        ),
        Measure(
            "ipaq_short",
            gettext_lazy("Activité physique habituelle (IPAQ, forme courte)"),
            IPAQ_FIELDS,
            _ipaq,
            ("ipaq_short",),
        ),
        Measure(
            "stage_of_change",
            gettext_lazy("Stade de changement"),
            ("stage",),
            _stage,
            ("stage_of_change",),
        ),
        Measure(
            "anthropometry",
            gettext_lazy("Poids, taille et critères de dénutrition (HAS)"),
            ("weight_kg", "height_cm", *WEIGHT_FIELDS, *DIAGNOSIS_FIELDS),
            _anthropometry,
            ("bmi", "weight_loss", "has_undernutrition"),
        ),
        Measure(
            "weight",
            gettext_lazy("Poids"),
            ("weight_kg", "height_cm", *WEIGHT_FIELDS),
            _weight_followup,
            ("bmi", "weight_loss"),
        ),
        Measure(
            "mna_sf",
            gettext_lazy("MNA-SF (dépistage de la dénutrition)"),
            tuple(item.code for item in MNA_SF.items),
            _mna_sf,
            ("mna_sf",),
        ),
        Measure(
            "nrs_2002",
            gettext_lazy("NRS-2002 (risque nutritionnel)"),
            tuple(item.code for item in NRS_2002.items),
            _nrs_2002,
            ("nrs_2002",),
        ),
        Measure(
            "distress_thermometer",
            gettext_lazy("Thermomètre de détresse et liste des problèmes"),
            ("score", "problems"),
            _distress,
            ("distress_thermometer",),
        ),
        Measure(
            "hads",
            gettext_lazy("HADS (anxiété et dépression)"),
            tuple(item.code for item in HADS.items),
            _hads,
            ("hads",),
        ),
    )
}

APA_MEASURES = ("six_minute_walk", "chair_stand_30s", "handgrip", "ipaq_short", "stage_of_change")
PSY_MEASURES = ("distress_thermometer", "hads")


@dataclass(frozen=True)
class FormSpec:
    """What one prestation's form holds: its measures in order, its free-text observations."""

    measures: tuple[str, ...]
    observations: tuple[tuple[str, "StrPromise"], ...] = ()


FORMS: dict[str, FormSpec] = {
    APA_ASSESSMENT: FormSpec(
        APA_MEASURES,
        (
            ("barriers", gettext_lazy("Freins à l'activité physique")),
            ("motivation", gettext_lazy("Motivation et attentes")),
        ),
    ),
    DIET_ASSESSMENT: FormSpec(("anthropometry", "mna_sf", "nrs_2002")),
    PSY_ASSESSMENT: FormSpec(PSY_MEASURES),
    # A follow-up re-measures what the professional chooses; an APA professional following
    # the patient may repeat the APA tests.
    DIET_FOLLOWUP: FormSpec(("weight", *PSY_MEASURES, *APA_MEASURES)),
    PSY_FOLLOWUP: FormSpec((*PSY_MEASURES, "weight", *APA_MEASURES)),
}

# Instruments whose inputs name the age or the sex: the form's shared values.
SHARED_FIELDS = ("age", "sex")


def score_measure(code: str, inputs: Inputs, ctx: Context) -> list[InstrumentResult]:
    """Scores one measure; an ``InstrumentError`` names the measure's field (``age`` and
    ``sex`` stay shared)."""
    measure = MEASURES[code]
    try:
        return measure.score(inputs, ctx)
    except InstrumentError as exc:
        raise MeasureError(exc.code, exc.message, field=_field(code, exc.field)) from exc


def _field(code: str, name: str | None) -> str:
    if name is not None and name in SHARED_FIELDS:
        return name
    measure = MEASURES[code]
    if name in measure.fields:
        return f"{code}.{name}"
    # A field the instrument knows under another name (e.g. the current weight of a loss).
    return f"{code}.{measure.fields[0]}" if name is None else f"{code}.{name}"
