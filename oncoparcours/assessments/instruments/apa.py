"""Physical-activity bilan, functional part (domain.md §9.1): 6-minute walk, 30-second chair
stand, handgrip. The motivational part (IPAQ-short, stage of change) is in ``activity``."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments.instruments.base import (
    HEIGHT_CM,
    NO_REFERENCE,
    NO_REFERENCE_LABEL,
    VALUE_MISSING,
    VALUE_OUT_OF_RANGE,
    WEIGHT_KG,
    Bounds,
    InstrumentError,
    InstrumentResult,
    Number,
    Sex,
    age_value,
    decimal_value,
    interpretation,
    round1,
    sex_value,
    whole_value,
)

# --- 6-minute walk test ---------------------------------------------------------------------

SIX_MINUTE_WALK = "six_minute_walk"
SIX_MINUTE_WALK_VERSION = "enright-sherrill-1998"
WALK_DISTANCE_M = Bounds(Decimal(0), Decimal(1000), "m")


@dataclass(frozen=True)
class WalkEquation:
    height_cm: Decimal
    weight_kg: Decimal
    age_years: Decimal
    constant: Decimal
    # Predicted minus this is the lower limit of normal (the study's 5th percentile).
    lower_limit_offset: Decimal


# Enright PL, Sherrill DL. Reference equations for the six-minute walk in healthy adults.
# Am J Respir Crit Care Med 1998;158(5 Pt 1):1384-7, doi:10.1164/ajrccm.158.5.9710086.
# Also tabulated by the ERS/ATS technical standard on field walking tests (Singh et al., Eur
# Respir J 2014;44:1428-46, table 5). Men: 7.57 H - 5.02 A - 1.76 W - 309 (LLN: -153 m);
# women: 2.11 H - 2.29 W - 5.78 A + 667 (LLN: -139 m); H cm, W kg, A years.
ENRIGHT_SHERRILL_1998 = {
    Sex.MALE: WalkEquation(
        Decimal("7.57"), Decimal("-1.76"), Decimal("-5.02"), Decimal(-309), Decimal(153)
    ),
    Sex.FEMALE: WalkEquation(
        Decimal("2.11"), Decimal("-2.29"), Decimal("-5.78"), Decimal(667), Decimal(139)
    ),
}
# The study enrolled 117 men and 173 women aged 40 to 80: outside, the prediction is an
# extrapolation, still shown (the professional compares re-measures) but flagged.
ENRIGHT_SHERRILL_AGES = (40, 80)
EXTRAPOLATED = "extrapolated"

WALK_BELOW_LOWER_LIMIT = "below_lower_limit"
WALK_WITHIN_NORMAL = "within_normal"


def six_minute_walk(
    *, distance_m: Number, sex: str, age: int, height_cm: Number, weight_kg: Number
) -> InstrumentResult:
    distance = decimal_value(
        distance_m, field="distance_m", label=_("Distance parcourue"), bounds=WALK_DISTANCE_M
    )
    the_sex = sex_value(sex)
    years = age_value(age)
    height = decimal_value(height_cm, field="height_cm", label=_("Taille"), bounds=HEIGHT_CM)
    weight = decimal_value(weight_kg, field="weight_kg", label=_("Poids"), bounds=WEIGHT_KG)
    eq = ENRIGHT_SHERRILL_1998[the_sex]
    predicted = eq.height_cm * height + eq.weight_kg * weight + eq.age_years * years + eq.constant
    answers = {
        "distance_m": distance,
        "sex": the_sex.value,
        "age": years,
        "height_cm": height,
        "weight_kg": weight,
    }
    low, high = ENRIGHT_SHERRILL_AGES
    flags = frozenset() if low <= years <= high else frozenset({EXTRAPOLATED})
    if predicted <= 0:
        # Only reachable by combining extreme (but each plausible) measures.
        return InstrumentResult(
            SIX_MINUTE_WALK,
            SIX_MINUTE_WALK_VERSION,
            answers,
            distance,
            {"predicted_m": None, "percent_predicted": None, "lower_limit_m": None},
            interpretation(NO_REFERENCE, NO_REFERENCE_LABEL),
            flags=flags,
        )
    lower_limit = predicted - eq.lower_limit_offset
    if distance < lower_limit:
        meaning = interpretation(
            WALK_BELOW_LOWER_LIMIT,
            gettext_lazy("Distance inférieure à la limite basse de la normale"),
        )
    else:
        meaning = interpretation(
            WALK_WITHIN_NORMAL, gettext_lazy("Distance dans les valeurs attendues")
        )
    return InstrumentResult(
        SIX_MINUTE_WALK,
        SIX_MINUTE_WALK_VERSION,
        answers,
        distance,
        {
            "predicted_m": round1(predicted),
            "percent_predicted": round1(distance / predicted * 100),
            "lower_limit_m": round1(lower_limit),
        },
        meaning,
        flags=flags,
    )


# --- 30-second chair stand ------------------------------------------------------------------

CHAIR_STAND = "chair_stand_30s"
CHAIR_STAND_VERSION = "rikli-jones-1999"
CHAIR_STAND_COUNT = Bounds(Decimal(0), Decimal(60), "levers")


@dataclass(frozen=True)
class ChairStandNorm:
    age_from: int
    age_to: int
    # Normal range = 25th to 75th percentile, inclusive.
    female: tuple[int, int]
    male: tuple[int, int]


# Rikli RE, Jones CJ. Functional fitness normative scores for community-residing older adults,
# ages 60-94. J Aging Phys Act 1999;7:162-81 (Senior Fitness Test; n = 7,183). The French SFT
# norms (Fournier et al. 2012, domain.md [S106]) were not retrieved: replace this table when
# they are, and bump CHAIR_STAND_VERSION.
RIKLI_JONES_CHAIR_STAND = (
    ChairStandNorm(60, 64, (12, 17), (14, 19)),
    ChairStandNorm(65, 69, (11, 16), (12, 18)),
    ChairStandNorm(70, 74, (10, 15), (12, 17)),
    ChairStandNorm(75, 79, (10, 15), (11, 17)),
    ChairStandNorm(80, 84, (9, 14), (10, 15)),
    ChairStandNorm(85, 89, (8, 13), (8, 14)),
    ChairStandNorm(90, 94, (4, 11), (7, 12)),
)

CHAIR_BELOW = "below_normal_range"
CHAIR_WITHIN = "within_normal_range"
CHAIR_ABOVE = "above_normal_range"


def chair_stand_30s(*, stands: int, sex: str, age: int) -> InstrumentResult:
    count = whole_value(
        stands, field="stands", label=_("Nombre de levers"), bounds=CHAIR_STAND_COUNT
    )
    the_sex = sex_value(sex)
    years = age_value(age)
    answers = {"stands": count, "sex": the_sex.value, "age": years}
    norm = next((n for n in RIKLI_JONES_CHAIR_STAND if n.age_from <= years <= n.age_to), None)
    if norm is None:
        return InstrumentResult(
            CHAIR_STAND,
            CHAIR_STAND_VERSION,
            answers,
            count,
            {"normal_low": None, "normal_high": None},
            interpretation(NO_REFERENCE, NO_REFERENCE_LABEL),
        )
    low, high = norm.female if the_sex is Sex.FEMALE else norm.male
    if count < low:
        meaning = interpretation(
            CHAIR_BELOW, gettext_lazy("Sous les valeurs usuelles pour l'âge et le sexe")
        )
    elif count > high:
        meaning = interpretation(
            CHAIR_ABOVE, gettext_lazy("Au-dessus des valeurs usuelles pour l'âge et le sexe")
        )
    else:
        meaning = interpretation(
            CHAIR_WITHIN, gettext_lazy("Dans les valeurs usuelles pour l'âge et le sexe")
        )
    return InstrumentResult(
        CHAIR_STAND,
        CHAIR_STAND_VERSION,
        answers,
        count,
        {"normal_low": low, "normal_high": high},
        meaning,
    )


# --- Handgrip -------------------------------------------------------------------------------

HANDGRIP = "handgrip"
HANDGRIP_VERSION = "ewgsop2-2019"
# Hydraulic dynamometers (Jamar type) read up to 90 kg; above 100 kg it is a typing error.
HANDGRIP_KG = Bounds(Decimal(0), Decimal(100), "kg")
HANDGRIP_MAX_TRIALS_PER_HAND = 3

# Cruz-Jentoft AJ et al. Sarcopenia: revised European consensus on definition and diagnosis
# (EWGSOP2). Age Ageing 2019;48:16-31, table 3: low grip strength < 27 kg men, < 16 kg women.
# HAS 2019 (undernutrition < 70 y) uses the same cut-offs for reduced muscle function.
EWGSOP2_LOW_GRIP_KG = {Sex.MALE: Decimal(27), Sex.FEMALE: Decimal(16)}

GRIP_LOW = "low_strength"
GRIP_NORMAL = "normal_strength"


def handgrip(
    *, sex: str, right_kg: Sequence[Number] = (), left_kg: Sequence[Number] = ()
) -> InstrumentResult:
    """Best of the trials of each hand; the low-strength flag is read on the best overall."""
    the_sex = sex_value(sex)
    right = _trials(right_kg, "right_kg", _("Main droite"))
    left = _trials(left_kg, "left_kg", _("Main gauche"))
    if not right and not left:
        raise InstrumentError(
            VALUE_MISSING, _("Force de préhension : aucun essai saisi."), field="right_kg"
        )
    best_right = max(right) if right else None
    best_left = max(left) if left else None
    best = max(right + left)
    if best < EWGSOP2_LOW_GRIP_KG[the_sex]:
        meaning = interpretation(GRIP_LOW, gettext_lazy("Force de préhension basse (EWGSOP2)"))
    else:
        meaning = interpretation(GRIP_NORMAL, gettext_lazy("Force de préhension non abaissée"))
    return InstrumentResult(
        HANDGRIP,
        HANDGRIP_VERSION,
        {"sex": the_sex.value, "right_kg": tuple(right), "left_kg": tuple(left)},
        best,
        {"best_right_kg": best_right, "best_left_kg": best_left},
        meaning,
        flags=frozenset({GRIP_LOW}) if meaning.code == GRIP_LOW else frozenset(),
    )


def _trials(values: Sequence[Number], field: str, label: str) -> list[Decimal]:
    if len(values) > HANDGRIP_MAX_TRIALS_PER_HAND:
        raise InstrumentError(
            VALUE_OUT_OF_RANGE,
            _("%(label)s : au plus %(max)d essais.")
            % {"label": label, "max": HANDGRIP_MAX_TRIALS_PER_HAND},
            field=field,
        )
    return [decimal_value(v, field=field, label=label, bounds=HANDGRIP_KG) for v in values]
