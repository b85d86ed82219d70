"""French labels of stored results for the pages and the report: instrument names, the
reference (equation, norms, recommendation) each version stands for, sub-scores and flags.

Stored records keep codes; labels are looked up here when shown, so an unknown code (a later
version) still shows, as its code.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.instruments.psychology import DISTRESS_PROBLEMS_BY_CODE
from oncoparcours.assessments.models import InstrumentRecord

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

INSTRUMENT_LABELS: dict[str, "StrPromise"] = {
    "six_minute_walk": _("Test de marche de 6 minutes"),
    "chair_stand_30s": _("Test de lever de chaise en 30 secondes"),
    "handgrip": _("Force de préhension"),
    "ipaq_short": _("IPAQ, forme courte"),
    "stage_of_change": _("Stade de changement"),
    "bmi": _("Indice de masse corporelle"),
    "weight_loss": _("Perte de poids"),
    "has_undernutrition": _("Diagnostic de dénutrition (HAS)"),
    "mna_sf": _("MNA-SF"),
    "nrs_2002": _("NRS-2002"),
    "distress_thermometer": _("Thermomètre de détresse"),
    "hads": _("HADS"),
}

VERSION_REFERENCES: dict[str, "StrPromise"] = {
    "enright-sherrill-1998": _(
        "Équations de référence d'Enright et Sherrill (Am J Respir Crit Care Med, 1998)"
    ),
    "rikli-jones-1999": _("Normes du Senior Fitness Test, Rikli et Jones (1999)"),
    "ewgsop2-2019": _("Seuils EWGSOP2 (Cruz-Jentoft et al., 2019)"),
    "ipaq-sf-scoring-2005": _("Règles de calcul IPAQ, révision de novembre 2005"),
    "prochaska-diclemente-5-stages": _("Modèle transthéorique de Prochaska et DiClemente"),
    "who-2000": _("Classification de l'OMS (2000)"),
    "has-2019-2021": _("Critères de perte de poids HAS 2019 et 2021"),
    "has-2019": _("HAS 2019, diagnostic de la dénutrition de l'adulte de moins de 70 ans"),
    "has-2021": _("HAS 2021, diagnostic de la dénutrition à partir de 70 ans"),
    "mna-sf-2009": _("MNA-SF révisé (Kaiser et al., 2009)"),
    "kondrup-2003": _("NRS-2002 (Kondrup et al., 2003)"),
    "nccn-dt-0-10-pl5": _("Thermomètre de détresse NCCN, liste des problèmes en 5 catégories"),
    "zigmond-snaith-1983": _("HADS (Zigmond et Snaith, 1983)"),
}

SUBSCORE_LABELS: dict[str, "StrPromise"] = {
    "predicted_m": _("Distance théorique (m)"),
    "percent_predicted": _("Part de la distance théorique (%)"),
    "lower_limit_m": _("Limite basse de la normale (m)"),
    "normal_low": _("Bas des valeurs usuelles"),
    "normal_high": _("Haut des valeurs usuelles"),
    "best_right_kg": _("Meilleur essai, main droite (kg)"),
    "best_left_kg": _("Meilleur essai, main gauche (kg)"),
    "vigorous_met": _("Activité intense (MET-min/semaine)"),
    "moderate_met": _("Activité modérée (MET-min/semaine)"),
    "walking_met": _("Marche (MET-min/semaine)"),
    "bmi": _("IMC (kg/m²)"),
    "loss_1_month_percent": _("Perte en 1 mois (%)"),
    "loss_6_months_percent": _("Perte en 6 mois (%)"),
    "loss_vs_usual_percent": _("Perte par rapport au poids habituel (%)"),
    "nutritional_status": _("Altération de l'état nutritionnel"),
    "disease_severity": _("Sévérité de la maladie"),
    "age_point": _("Point lié à l'âge"),
    "practical": _("Problèmes pratiques"),
    "family": _("Problèmes familiaux"),
    "emotional": _("Problèmes émotionnels"),
    "spiritual": _("Préoccupations spirituelles"),
    "physical": _("Problèmes physiques"),
    "anxiety": _("Anxiété (sur 21)"),
    "depression": _("Dépression (sur 21)"),
}

FLAG_LABELS: dict[str, "StrPromise"] = {
    "extrapolated": _("Âge hors de la population de l'étude de référence : valeur extrapolée"),
    "low_strength": _("Force de préhension basse"),
    "phenotypic.weight_loss": _("Critère phénotypique : perte de poids"),
    "phenotypic.bmi": _("Critère phénotypique : IMC bas"),
    "phenotypic.muscle": _(
        "Critère phénotypique : réduction de la masse ou de la fonction musculaire"
    ),
    "etiologic.intake": _("Critère étiologique : baisse des apports"),
    "etiologic.absorption": _("Critère étiologique : absorption réduite"),
    "etiologic.aggression": _("Critère étiologique : situation d'agression (cancer évolutif…)"),
    "severity.bmi": _("Sévérité : IMC"),
    "severity.weight_loss": _("Sévérité : perte de poids"),
    "severity.albumin": _("Sévérité : albuminémie"),
}


@dataclass(frozen=True)
class ResultView:
    record: InstrumentRecord
    label: str
    reference: str
    subscores: list[tuple[str, str]]
    flags: list[str]
    problems: list[str]


def _shown(value: object) -> str:
    if value is None:
        return "—"
    text = str(value)
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
    return text.replace(".", ",")


def present(record: InstrumentRecord) -> ResultView:
    subscores = [
        (str(SUBSCORE_LABELS.get(name, name)), _shown(value))
        for name, value in record.subscores.items()
    ]
    for name, meaning in record.sub_interpretations.items():
        subscores.append(
            (f"{SUBSCORE_LABELS.get(name, name)} : interprétation", str(meaning["label"]))
        )
    problems = []
    if record.instrument == "distress_thermometer":
        for code in record.answers.get("problems", []):
            problem = DISTRESS_PROBLEMS_BY_CODE.get(code)
            problems.append(str(problem.label) if problem else code)
    return ResultView(
        record=record,
        label=str(INSTRUMENT_LABELS.get(record.instrument, record.instrument)),
        reference=str(VERSION_REFERENCES.get(record.version, record.version)),
        subscores=subscores,
        flags=[str(FLAG_LABELS.get(flag, flag)) for flag in record.flags],
        problems=problems,
    )


def score_shown(record: InstrumentRecord) -> str:
    return "—" if record.score is None else _shown(record.score)
