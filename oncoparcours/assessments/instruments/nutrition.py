"""Dietetic bilan (domain.md §9.2): BMI, weight loss, HAS undernutrition diagnosis and severity.
The screening scores (MNA-SF, NRS-2002) are in ``nutrition_screening``.

BMI and percentages are rounded to one decimal before any threshold is applied: the professional
reads "18,5" and must not see it classed as "< 18,5".
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments.instruments.base import (
    BMI_OUT_OF_RANGE,
    HEIGHT_CM,
    ITEM_MISSING,
    WEIGHT_KG,
    Band,
    Bounds,
    InstrumentError,
    InstrumentResult,
    Number,
    age_value,
    band_for,
    decimal_value,
    fr,
    interpretation,
    optional_decimal,
    round1,
    whole_value,
)

# --- BMI ------------------------------------------------------------------------------------

BMI = "bmi"
BMI_VERSION = "who-2000"
# Outside this the weight or the height was mistyped (survival below 10 or above 80 kg/m² is
# exceptional enough to be re-checked before anything is scored).
BMI_PLAUSIBLE = Bounds(Decimal(10), Decimal(80), "kg/m²")

# WHO. Obesity: preventing and managing the global epidemic. Technical Report Series 894, 2000,
# table 2.1 (adult BMI classification).
WHO_BMI_BANDS = (
    Band("underweight", gettext_lazy("Insuffisance pondérale"), Decimal(0)),
    Band("normal", gettext_lazy("Corpulence normale"), Decimal("18.5")),
    Band("overweight", gettext_lazy("Surpoids"), Decimal(25)),
    Band("obesity", gettext_lazy("Obésité"), Decimal(30)),
)


def body_mass_index(*, weight_kg: Number, height_cm: Number) -> Decimal:
    weight = decimal_value(weight_kg, field="weight_kg", label=_("Poids"), bounds=WEIGHT_KG)
    height = decimal_value(height_cm, field="height_cm", label=_("Taille"), bounds=HEIGHT_CM)
    value = round1(weight / (height / 100) ** 2)
    if not BMI_PLAUSIBLE.minimum <= value <= BMI_PLAUSIBLE.maximum:
        raise InstrumentError(
            BMI_OUT_OF_RANGE,
            _(
                "IMC de %(bmi)s kg/m² hors des valeurs humaines (%(min)s à %(max)s) : "
                "vérifiez le poids et la taille."
            )
            % {
                "bmi": fr(value),
                "min": fr(BMI_PLAUSIBLE.minimum),
                "max": fr(BMI_PLAUSIBLE.maximum),
            },
            field="weight_kg",
        )
    return value


def bmi(*, weight_kg: Number, height_cm: Number) -> InstrumentResult:
    value = body_mass_index(weight_kg=weight_kg, height_cm=height_cm)
    return InstrumentResult(
        BMI,
        BMI_VERSION,
        {"weight_kg": _as_decimal(weight_kg), "height_cm": _as_decimal(height_cm)},
        value,
        {},
        band_for(value, WHO_BMI_BANDS),
    )


def _as_decimal(value: Number) -> Decimal:
    """For answers already validated by ``decimal_value``."""
    return Decimal(str(value)) if isinstance(value, float) else Decimal(value)


# --- Weight loss ----------------------------------------------------------------------------

WEIGHT_LOSS = "weight_loss"
WEIGHT_LOSS_VERSION = "has-2019-2021"

# HAS. Diagnostic de la dénutrition de l'enfant et de l'adulte, novembre 2019, and Diagnostic de
# la dénutrition chez la personne de 70 ans et plus, novembre 2021: the phenotypic weight-loss
# criterion is the same at every adult age (>= 5 % in 1 month, >= 10 % in 6 months, >= 10 %
# versus the usual weight before the disease), and so is the severe one (>= 10 %, >= 15 %,
# >= 15 %).
LOSS_1_MONTH_PERCENT = Decimal(5)
LOSS_6_MONTHS_PERCENT = Decimal(10)
LOSS_VS_USUAL_PERCENT = Decimal(10)
SEVERE_LOSS_1_MONTH_PERCENT = Decimal(10)
SEVERE_LOSS_6_MONTHS_PERCENT = Decimal(15)
SEVERE_LOSS_VS_USUAL_PERCENT = Decimal(15)

LOSS_CRITERION_MET = "loss_criterion_met"
LOSS_CRITERION_NOT_MET = "loss_criterion_not_met"
LOSS_UNKNOWN = "no_reference_weight"


def percent_loss(*, reference_kg: Decimal, current_kg: Decimal) -> Decimal:
    """Weight lost as a % of the earlier weight (negative for a gain), one decimal."""
    return round1((reference_kg - current_kg) / reference_kg * 100)


@dataclass(frozen=True)
class _Losses:
    one_month: Decimal | None
    six_months: Decimal | None
    vs_usual: Decimal | None

    def reaches(self, one_month: Decimal, six_months: Decimal, vs_usual: Decimal) -> bool:
        return any(
            loss is not None and loss >= threshold
            for loss, threshold in (
                (self.one_month, one_month),
                (self.six_months, six_months),
                (self.vs_usual, vs_usual),
            )
        )

    def as_subscores(self) -> dict[str, Decimal | None]:
        return {
            "loss_1_month_percent": self.one_month,
            "loss_6_months_percent": self.six_months,
            "loss_vs_usual_percent": self.vs_usual,
        }


def _losses(
    current: Decimal,
    usual_kg: Number | None,
    one_month_ago_kg: Number | None,
    six_months_ago_kg: Number | None,
) -> tuple[_Losses, dict[str, Decimal | None]]:
    references = {
        "usual_weight_kg": optional_decimal(
            usual_kg, field="usual_weight_kg", label=_("Poids habituel"), bounds=WEIGHT_KG
        ),
        "weight_1_month_ago_kg": optional_decimal(
            one_month_ago_kg,
            field="weight_1_month_ago_kg",
            label=_("Poids il y a 1 mois"),
            bounds=WEIGHT_KG,
        ),
        "weight_6_months_ago_kg": optional_decimal(
            six_months_ago_kg,
            field="weight_6_months_ago_kg",
            label=_("Poids il y a 6 mois"),
            bounds=WEIGHT_KG,
        ),
    }

    def loss(key: str) -> Decimal | None:
        ref = references[key]
        return None if ref is None else percent_loss(reference_kg=ref, current_kg=current)

    losses = _Losses(
        loss("weight_1_month_ago_kg"), loss("weight_6_months_ago_kg"), loss("usual_weight_kg")
    )
    return losses, references


def weight_loss(
    *,
    current_kg: Number,
    usual_kg: Number | None = None,
    one_month_ago_kg: Number | None = None,
    six_months_ago_kg: Number | None = None,
) -> InstrumentResult:
    current = decimal_value(current_kg, field="weight_kg", label=_("Poids"), bounds=WEIGHT_KG)
    losses, references = _losses(current, usual_kg, one_month_ago_kg, six_months_ago_kg)
    if all(v is None for v in references.values()):
        meaning = interpretation(LOSS_UNKNOWN, gettext_lazy("Aucun poids antérieur saisi"))
    elif losses.reaches(LOSS_1_MONTH_PERCENT, LOSS_6_MONTHS_PERCENT, LOSS_VS_USUAL_PERCENT):
        meaning = interpretation(
            LOSS_CRITERION_MET, gettext_lazy("Perte de poids significative (critère HAS)")
        )
    else:
        meaning = interpretation(
            LOSS_CRITERION_NOT_MET, gettext_lazy("Pas de perte de poids significative")
        )
    return InstrumentResult(
        WEIGHT_LOSS,
        WEIGHT_LOSS_VERSION,
        {"weight_kg": current, **references},
        None,
        losses.as_subscores(),
        meaning,
    )


# --- HAS undernutrition diagnosis -----------------------------------------------------------

UNDERNUTRITION = "has_undernutrition"
# HAS 2019 applies below this age, HAS 2021 from it.
HAS_OLDER_ADULT_AGE = 70
ALBUMIN_G_L = Bounds(Decimal(5), Decimal(70), "g/L")
INTAKE_REDUCTION_PERCENT = Bounds(Decimal(0), Decimal(100), "%")
INTAKE_REDUCTION_DAYS = Bounds(Decimal(0), Decimal(365), "jours")

# Etiologic intake criterion, both recommendations: a reduction >= 50 % for more than 1 week,
# or any reduction for more than 2 weeks, versus usual intake or estimated needs.
INTAKE_HALF_PERCENT = Decimal(50)
INTAKE_HALF_MORE_THAN_DAYS = 7
INTAKE_ANY_MORE_THAN_DAYS = 14


@dataclass(frozen=True)
class UndernutritionCriteria:
    version: str
    # Phenotypic: BMI strictly below.
    bmi_below: Decimal
    # Severe: BMI below (or at, when ``severe_inclusive``) and albumin below (or at).
    severe_bmi: Decimal
    severe_albumin_g_l: Decimal
    severe_inclusive: bool

    def severe_by_bmi(self, value: Decimal) -> bool:
        return value <= self.severe_bmi if self.severe_inclusive else value < self.severe_bmi

    def severe_by_albumin(self, value: Decimal) -> bool:
        limit = self.severe_albumin_g_l
        return value <= limit if self.severe_inclusive else value < limit


# HAS/FFN, Diagnostic de la dénutrition de l'enfant et de l'adulte, novembre 2019 (adults < 70):
# phenotypic BMI < 18.5; severe if BMI <= 17 or albumin <= 30 g/L (immunoturbidimetry).
HAS_2019_ADULT = UndernutritionCriteria("has-2019", Decimal("18.5"), Decimal(17), Decimal(30), True)
# HAS/FFN, Diagnostic de la dénutrition chez la personne de 70 ans et plus, novembre 2021:
# phenotypic BMI < 22; severe if BMI < 20 or albumin < 30 g/L.
HAS_2021_OLDER = UndernutritionCriteria("has-2021", Decimal(22), Decimal(20), Decimal(30), False)

NOT_UNDERNOURISHED = "no_undernutrition"
MODERATE_UNDERNUTRITION = "moderate"
SEVERE_UNDERNUTRITION = "severe"


def undernutrition_has(
    *,
    age: int,
    weight_kg: Number,
    height_cm: Number,
    usual_weight_kg: Number | None = None,
    weight_1_month_ago_kg: Number | None = None,
    weight_6_months_ago_kg: Number | None = None,
    muscle_criterion: bool = False,
    intake_reduction_percent: Number | None = None,
    intake_reduction_days: int | None = None,
    reduced_absorption: bool = False,
    aggression: bool = False,
    albumin_g_l: Number | None = None,
) -> InstrumentResult:
    """Diagnosis = at least one phenotypic AND one etiologic criterion; then severity.

    ``muscle_criterion``: below 70, a quantified reduction of muscle mass and/or function; from
    70, a confirmed sarcopenia (low strength AND low mass, EWGSOP2). ``aggression``: acute
    disease, progressive chronic disease or progressive malignancy. Albumin grades severity
    only, it is never a diagnostic criterion.
    """
    years = age_value(age)
    criteria = HAS_2021_OLDER if years >= HAS_OLDER_ADULT_AGE else HAS_2019_ADULT
    current = decimal_value(weight_kg, field="weight_kg", label=_("Poids"), bounds=WEIGHT_KG)
    body_mass = body_mass_index(weight_kg=current, height_cm=height_cm)
    losses, references = _losses(
        current, usual_weight_kg, weight_1_month_ago_kg, weight_6_months_ago_kg
    )
    intake_percent, intake_days = _intake(intake_reduction_percent, intake_reduction_days)
    albumin = optional_decimal(
        albumin_g_l, field="albumin_g_l", label=_("Albuminémie"), bounds=ALBUMIN_G_L
    )

    flags: set[str] = set()
    if losses.reaches(LOSS_1_MONTH_PERCENT, LOSS_6_MONTHS_PERCENT, LOSS_VS_USUAL_PERCENT):
        flags.add("phenotypic.weight_loss")
    if body_mass < criteria.bmi_below:
        flags.add("phenotypic.bmi")
    if muscle_criterion:
        flags.add("phenotypic.muscle")
    if (
        intake_percent is not None
        and intake_days is not None
        and (
            (intake_percent >= INTAKE_HALF_PERCENT and intake_days > INTAKE_HALF_MORE_THAN_DAYS)
            or (intake_percent > 0 and intake_days > INTAKE_ANY_MORE_THAN_DAYS)
        )
    ):
        flags.add("etiologic.intake")
    if reduced_absorption:
        flags.add("etiologic.absorption")
    if aggression:
        flags.add("etiologic.aggression")

    undernourished = any(f.startswith("phenotypic.") for f in flags) and any(
        f.startswith("etiologic.") for f in flags
    )
    if undernourished:
        if criteria.severe_by_bmi(body_mass):
            flags.add("severity.bmi")
        if losses.reaches(
            SEVERE_LOSS_1_MONTH_PERCENT, SEVERE_LOSS_6_MONTHS_PERCENT, SEVERE_LOSS_VS_USUAL_PERCENT
        ):
            flags.add("severity.weight_loss")
        if albumin is not None and criteria.severe_by_albumin(albumin):
            flags.add("severity.albumin")
    if not undernourished:
        meaning = interpretation(NOT_UNDERNOURISHED, gettext_lazy("Pas de dénutrition"))
    elif any(f.startswith("severity.") for f in flags):
        meaning = interpretation(SEVERE_UNDERNUTRITION, gettext_lazy("Dénutrition sévère"))
    else:
        meaning = interpretation(MODERATE_UNDERNUTRITION, gettext_lazy("Dénutrition modérée"))
    return InstrumentResult(
        UNDERNUTRITION,
        criteria.version,
        {
            "age": years,
            "weight_kg": current,
            "height_cm": _as_decimal(height_cm),
            **references,
            "muscle_criterion": muscle_criterion,
            "intake_reduction_percent": intake_percent,
            "intake_reduction_days": intake_days,
            "reduced_absorption": reduced_absorption,
            "aggression": aggression,
            "albumin_g_l": albumin,
        },
        None,
        {"bmi": body_mass, **losses.as_subscores()},
        meaning,
        flags=frozenset(flags),
    )


def _intake(percent: Number | None, days: int | None) -> tuple[Decimal | None, int | None]:
    reduction = optional_decimal(
        percent,
        field="intake_reduction_percent",
        label=_("Baisse des apports"),
        bounds=INTAKE_REDUCTION_PERCENT,
    )
    duration = (
        None
        if days is None
        else whole_value(
            days,
            field="intake_reduction_days",
            label=_("Durée de la baisse des apports"),
            bounds=INTAKE_REDUCTION_DAYS,
        )
    )
    if reduction is not None and reduction > 0 and duration is None:
        raise InstrumentError(
            ITEM_MISSING,
            _("Baisse des apports : indiquez depuis combien de jours."),
            field="intake_reduction_days",
        )
    return reduction, duration
