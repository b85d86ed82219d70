"""What every instrument shares: the refusal, the result, bounds, items and bands.

Numbers are ``Decimal`` (a float is converted through its ``str``, so 72.3 stays 72.3): the
professional sees rounded values and the thresholds are applied to exactly what is shown.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Number = Decimal | int | float
Score = Decimal | int
Answer = Score | str | bool | tuple[str, ...] | tuple[Decimal, ...] | None

# Stable refusal codes (the API returns them; the French message is for people).
VALUE_MISSING = "instrument.value_missing"
NOT_A_NUMBER = "instrument.not_a_number"
VALUE_OUT_OF_RANGE = "instrument.value_out_of_range"
BMI_OUT_OF_RANGE = "instrument.bmi_out_of_range"
ITEM_MISSING = "instrument.item_missing"
ITEM_UNKNOWN = "instrument.item_unknown"
ITEM_CONFLICT = "instrument.item_conflict"
ANSWER_OUT_OF_SCALE = "instrument.answer_out_of_scale"
UNKNOWN_CHOICE = "instrument.unknown_choice"
IMPLAUSIBLE_ANSWERS = "instrument.implausible_answers"

ONE_DECIMAL = Decimal("0.1")


class InstrumentError(ValueError):
    """An impossible or incomplete input: nothing may be scored, hence nothing saved.

    ``code`` is stable (one of the constants above), ``message`` French, ``field`` the input at
    fault so a form or the API can attach the message to it.
    """

    def __init__(self, code: str, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


class Sex(StrEnum):
    """Sex as used by the reference equations and cut-offs (biological, as in their sources)."""

    FEMALE = "female"
    MALE = "male"


@dataclass(frozen=True)
class Interpretation:
    code: str
    label: str


@dataclass(frozen=True)
class InstrumentResult:
    """One scored instrument, as stored: what was answered, what it gives, what it means."""

    instrument: str
    version: str
    answers: Mapping[str, Answer]
    score: Score | None
    subscores: Mapping[str, Score | None] = field(default_factory=dict)
    interpretation: Interpretation | None = None
    sub_interpretations: Mapping[str, Interpretation] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        # Read-only views: a frozen result must not be edited through its mappings either.
        for name in ("answers", "subscores", "sub_interpretations"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))

    def as_record(self) -> dict[str, object]:
        """JSON-ready (Decimals as strings, so no precision is lost on the way to storage)."""
        return {
            "instrument": self.instrument,
            "version": self.version,
            "answers": {k: _json(v) for k, v in self.answers.items()},
            "score": _json(self.score),
            "subscores": {k: _json(v) for k, v in self.subscores.items()},
            "interpretation": _interpretation_json(self.interpretation),
            "sub_interpretations": {
                k: _interpretation_json(v) for k, v in self.sub_interpretations.items()
            },
            "flags": sorted(self.flags),
        }


def _json(value: Answer) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple):
        return [str(v) if isinstance(v, Decimal) else v for v in value]
    return value


def _interpretation_json(value: Interpretation | None) -> dict[str, str] | None:
    return None if value is None else {"code": value.code, "label": value.label}


def fr(value: Score) -> str:
    """French decimal comma for messages: 18,5."""
    return str(value).replace(".", ",")


def round1(value: Decimal) -> Decimal:
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# --- Plain values -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bounds:
    """Inclusive plausibility bounds of a measurement: outside them it is a typing error or an
    impossible value, refused before any scoring."""

    minimum: Decimal
    maximum: Decimal
    unit: str


# Adult anthropometry bounds shared by the instruments (data-entry guards, not clinical cut-offs:
# wide enough for every real adult, narrow enough to catch grams typed as kilograms).
ADULT_AGE_YEARS = Bounds(Decimal(18), Decimal(120), "ans")
HEIGHT_CM = Bounds(Decimal(100), Decimal(250), "cm")
WEIGHT_KG = Bounds(Decimal(20), Decimal(350), "kg")


def decimal_value(value: object, *, field: str, label: str, bounds: Bounds) -> Decimal:
    if value is None or value == "":
        raise InstrumentError(
            VALUE_MISSING, _("%(label)s : valeur manquante.") % {"label": label}, field=field
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise InstrumentError(
            NOT_A_NUMBER, _("%(label)s : un nombre est attendu.") % {"label": label}, field=field
        )
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise InstrumentError(
            NOT_A_NUMBER, _("%(label)s : un nombre est attendu.") % {"label": label}, field=field
        )
    if not bounds.minimum <= number <= bounds.maximum:
        raise InstrumentError(
            VALUE_OUT_OF_RANGE,
            _("%(label)s : %(value)s%(unit)s est hors des valeurs possibles (%(min)s à %(max)s).")
            % {
                "label": label,
                "value": fr(number),
                "unit": f" {bounds.unit}" if bounds.unit else "",
                "min": fr(bounds.minimum),
                "max": fr(bounds.maximum),
            },
            field=field,
        )
    return number


def optional_decimal(value: object, *, field: str, label: str, bounds: Bounds) -> Decimal | None:
    if value is None or value == "":
        return None
    return decimal_value(value, field=field, label=label, bounds=bounds)


def whole_value(value: object, *, field: str, label: str, bounds: Bounds) -> int:
    number = decimal_value(value, field=field, label=label, bounds=bounds)
    if number != number.to_integral_value():
        raise InstrumentError(
            NOT_A_NUMBER,
            _("%(label)s : un nombre entier est attendu.") % {"label": label},
            field=field,
        )
    return int(number)


def age_value(value: object, *, field: str = "age") -> int:
    return whole_value(value, field=field, label=_("Âge"), bounds=ADULT_AGE_YEARS)


def choice_value[E: StrEnum](value: object, enum: type[E], *, field: str, label: str) -> E:
    try:
        return enum(str(value))
    except ValueError:
        raise InstrumentError(
            UNKNOWN_CHOICE,
            _("%(label)s : choix inconnu (%(choices)s).")
            % {"label": label, "choices": ", ".join(e.value for e in enum)},
            field=field,
        ) from None


def sex_value(value: object, *, field: str = "sex") -> Sex:
    return choice_value(value, Sex, field=field, label=_("Sexe"))


# --- Questionnaires -----------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One question as data: its code, a neutral label (never a licensed wording), the answers
    that may be captured and how a captured answer turns into points."""

    code: str
    label: "StrPromise"
    choices: tuple[int, ...]
    # The printed options run from the highest score down: a captured position p scores
    # (max + min - p). Used by HADS, whose answer order alternates between items.
    reverse: bool = False
    subscale: str | None = None

    def points(self, answer: int) -> int:
        if self.reverse:
            return max(self.choices) + min(self.choices) - answer
        return answer


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: str
    items: tuple[Item, ...]

    def item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)


def collect_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, object],
    *,
    optional: Iterable[str] = (),
) -> dict[str, int]:
    """Every item answered within its scale, no unknown item: all or nothing."""
    known = {i.code for i in questionnaire.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise InstrumentError(
            ITEM_UNKNOWN,
            _("Question inconnue pour cet instrument : %(items)s.") % {"items": ", ".join(unknown)},
            field=unknown[0],
        )
    skippable = set(optional)
    collected: dict[str, int] = {}
    for item in questionnaire.items:
        answer = answers.get(item.code)
        if answer is None:
            if item.code in skippable:
                continue
            raise InstrumentError(
                ITEM_MISSING,
                _("Question %(item)s : réponse manquante.") % {"item": item.code},
                field=item.code,
            )
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in item.choices:
            raise InstrumentError(
                ANSWER_OUT_OF_SCALE,
                _("Question %(item)s : réponse hors échelle (valeurs possibles : %(choices)s).")
                % {"item": item.code, "choices": ", ".join(str(c) for c in item.choices)},
                field=item.code,
            )
        collected[item.code] = answer
    return collected


@dataclass(frozen=True)
class Band:
    """A score band starting at ``lower`` (inclusive) up to the next band's lower bound."""

    code: str
    label: "StrPromise"
    lower: Decimal | int


def band_for(score: Score, bands: tuple[Band, ...]) -> Interpretation:
    """``bands`` in ascending order of ``lower``; the first band must start at the scale's min."""
    chosen = bands[0]
    for band in bands:
        if score >= band.lower:
            chosen = band
    return Interpretation(chosen.code, str(chosen.label))


def interpretation(code: str, label: "StrPromise") -> Interpretation:
    return Interpretation(code, str(label))


NO_REFERENCE = "no_reference"
NO_REFERENCE_LABEL = gettext_lazy("Pas de valeur de référence pour ce profil")
