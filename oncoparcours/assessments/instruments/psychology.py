"""Psychological bilan (domain.md §9.3): distress thermometer with its problem list, and the
HADS anxiety and depression sub-scores.

HADS is licensed (GL Assessment): its item wording is never stored here, only item codes,
neutral positional labels and the scoring key (see docs/instruments.md).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments.instruments.base import (
    ITEM_UNKNOWN,
    Band,
    Bounds,
    InstrumentError,
    InstrumentResult,
    Interpretation,
    Item,
    Questionnaire,
    band_for,
    collect_answers,
    whole_value,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# --- Distress thermometer -------------------------------------------------------------------

DISTRESS_THERMOMETER = "distress_thermometer"
# Roth AJ et al. Rapid screening for psychologic distress in men with prostate carcinoma: a
# pilot study. Cancer 1998;82:1904-8; NCCN Clinical Practice Guidelines in Oncology, Distress
# Management. The problem list is the long-standing five-category NCCN list (practical, family,
# emotional, spiritual/religious, physical); NCCN revised it in 2020 (Donovan KA et al., JNCCN
# 2022;20:96-8) and expects institutions to adapt it: a change here bumps the version.
DISTRESS_THERMOMETER_VERSION = "nccn-dt-0-10-pl5"
DISTRESS_SCALE = Bounds(Decimal(0), Decimal(10), "")
# NCCN Distress Management: a score >= 4 is moderate to severe distress, calling for further
# evaluation and referral (cut-off confirmed in cancer settings, domain.md [S102][S102b]).
DISTRESS_SIGNIFICANT_FROM = 4


class ProblemCategory(StrEnum):
    PRACTICAL = "practical"
    FAMILY = "family"
    EMOTIONAL = "emotional"
    SPIRITUAL = "spiritual"
    PHYSICAL = "physical"


@dataclass(frozen=True)
class Problem:
    code: str
    category: ProblemCategory
    label: "StrPromise"


def _problems(category: ProblemCategory, *entries: tuple[str, "StrPromise"]) -> list[Problem]:
    return [Problem(code, category, label) for code, label in entries]


DISTRESS_PROBLEMS: tuple[Problem, ...] = (
    *_problems(
        ProblemCategory.PRACTICAL,
        ("child_care", gettext_lazy("Garde des enfants")),
        ("housing", gettext_lazy("Logement")),
        ("money", gettext_lazy("Argent, assurances")),
        ("transport", gettext_lazy("Transports")),
        ("work_school", gettext_lazy("Travail, études")),
        ("treatment_decisions", gettext_lazy("Décisions de traitement")),
    ),
    *_problems(
        ProblemCategory.FAMILY,
        ("children", gettext_lazy("Relations avec les enfants")),
        ("partner", gettext_lazy("Relations avec le ou la partenaire")),
        ("fertility", gettext_lazy("Possibilité d'avoir des enfants")),
        ("family_health", gettext_lazy("Santé des proches")),
    ),
    *_problems(
        ProblemCategory.EMOTIONAL,
        ("depression", gettext_lazy("Humeur dépressive")),
        ("fears", gettext_lazy("Peurs")),
        ("nervousness", gettext_lazy("Nervosité")),
        ("sadness", gettext_lazy("Tristesse")),
        ("worry", gettext_lazy("Inquiétudes")),
        ("loss_of_interest", gettext_lazy("Perte d'intérêt pour les activités habituelles")),
    ),
    *_problems(
        ProblemCategory.SPIRITUAL,
        ("spiritual", gettext_lazy("Préoccupations spirituelles ou religieuses")),
    ),
    *_problems(
        ProblemCategory.PHYSICAL,
        ("appearance", gettext_lazy("Apparence")),
        ("bathing_dressing", gettext_lazy("Toilette, habillage")),
        ("breathing", gettext_lazy("Respiration")),
        ("urination", gettext_lazy("Troubles urinaires")),
        ("constipation", gettext_lazy("Constipation")),
        ("diarrhoea", gettext_lazy("Diarrhée")),
        ("eating", gettext_lazy("Alimentation")),
        ("fatigue", gettext_lazy("Fatigue")),
        ("swelling", gettext_lazy("Œdèmes")),
        ("fevers", gettext_lazy("Fièvre")),
        ("getting_around", gettext_lazy("Déplacements")),
        ("indigestion", gettext_lazy("Digestion")),
        ("memory_concentration", gettext_lazy("Mémoire, concentration")),
        ("mouth_sores", gettext_lazy("Aphtes, bouche")),
        ("nausea", gettext_lazy("Nausées")),
        ("nose", gettext_lazy("Nez sec ou bouché")),
        ("pain", gettext_lazy("Douleur")),
        ("sexuality", gettext_lazy("Sexualité")),
        ("skin", gettext_lazy("Peau sèche ou démangeaisons")),
        ("sleep", gettext_lazy("Sommeil")),
        ("substance_use", gettext_lazy("Consommation de substances")),
        ("tingling", gettext_lazy("Fourmillements des mains ou des pieds")),
    ),
)
DISTRESS_PROBLEMS_BY_CODE = {p.code: p for p in DISTRESS_PROBLEMS}

DISTRESS_BANDS = (
    Band("below_threshold", gettext_lazy("Détresse sous le seuil d'alerte"), 0),
    Band(
        "significant",
        gettext_lazy("Détresse significative : évaluation et orientation"),
        DISTRESS_SIGNIFICANT_FROM,
    ),
)


def distress_thermometer(*, score: int, problems: Iterable[str] = ()) -> InstrumentResult:
    value = whole_value(
        score, field="score", label=_("Thermomètre de détresse"), bounds=DISTRESS_SCALE
    )
    chosen = tuple(sorted(set(problems)))
    unknown = [code for code in chosen if code not in DISTRESS_PROBLEMS_BY_CODE]
    if unknown:
        raise InstrumentError(
            ITEM_UNKNOWN,
            _("Problème inconnu dans la liste : %(codes)s.") % {"codes": ", ".join(unknown)},
            field="problems",
        )
    per_category = {
        category.value: sum(
            1 for code in chosen if DISTRESS_PROBLEMS_BY_CODE[code].category is category
        )
        for category in ProblemCategory
    }
    return InstrumentResult(
        DISTRESS_THERMOMETER,
        DISTRESS_THERMOMETER_VERSION,
        {"score": value, "problems": chosen},
        value,
        per_category,
        band_for(value, DISTRESS_BANDS),
    )


# --- HADS -----------------------------------------------------------------------------------

ANXIETY = "anxiety"
DEPRESSION = "depression"
# Zigmond AS, Snaith RP. The Hospital Anxiety and Depression Scale. Acta Psychiatr Scand
# 1983;67:361-70 (French version: Lépine JP et al. 1985). 14 items in printed order A1, D1, A2,
# D2 ... A7, D7, each 0-3. An answer is captured as the POSITION of the ticked option on the
# printed form (0 = first option); the items whose first option scores 3 are reversed: printed
# items 1, 3, 5, 6, 8, 10, 11, 13, i.e. A1, A2, A3, D3, D4, D5, A6, A7.
HADS_REVERSED = frozenset({"A1", "A2", "A3", "A6", "A7", "D3", "D4", "D5"})
HADS_ANSWER_POSITIONS = (0, 1, 2, 3)


def _hads_items() -> tuple[Item, ...]:
    items: list[Item] = []
    for n in range(1, 8):
        for prefix, subscale, label in (
            ("A", ANXIETY, gettext_lazy("Anxiété, question {n}")),
            ("D", DEPRESSION, gettext_lazy("Dépression, question {n}")),
        ):
            code = f"{prefix}{n}"
            items.append(
                Item(
                    code,
                    format_lazy(label, n=n),
                    HADS_ANSWER_POSITIONS,
                    reverse=code in HADS_REVERSED,
                    subscale=subscale,
                )
            )
    return tuple(items)


HADS = Questionnaire("hads", "zigmond-snaith-1983", _hads_items())

# Classic bands per sub-score (Zigmond & Snaith 1983; Snaith RP, Health Qual Life Outcomes
# 2003;1:29): 0-7 non-case, 8-10 doubtful case, 11-21 probable case.
HADS_DOUBTFUL_FROM = 8
HADS_CASE_FROM = 11
HADS_BANDS = (
    Band("normal", gettext_lazy("Pas de symptomatologie"), 0),
    Band("doubtful", gettext_lazy("Symptomatologie douteuse"), HADS_DOUBTFUL_FROM),
    Band("case", gettext_lazy("Symptomatologie certaine"), HADS_CASE_FROM),
)


def hads(answers: Mapping[str, int | None]) -> InstrumentResult:
    """``answers``: item code -> position of the ticked option (0-3) on the printed form.

    The overall interpretation is the more severe of the two sub-score bands.
    """
    used = collect_answers(HADS, answers)
    subscores = {ANXIETY: 0, DEPRESSION: 0}
    for code, position in used.items():
        item = HADS.item(code)
        assert item.subscale is not None
        subscores[item.subscale] += item.points(position)
    bands = {name: band_for(value, HADS_BANDS) for name, value in subscores.items()}
    return InstrumentResult(
        HADS.code,
        HADS.version,
        used,
        subscores[ANXIETY] + subscores[DEPRESSION],
        subscores,
        _worst(bands.values()),
        bands,
    )


def _worst(found: Iterable[Interpretation]) -> Interpretation:
    order = [b.code for b in HADS_BANDS]
    return max(found, key=lambda i: order.index(i.code))
