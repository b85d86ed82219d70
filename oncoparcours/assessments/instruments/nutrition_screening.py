"""Nutritional screening scores of the dietetic bilan (domain.md §9.2): MNA-SF and NRS-2002."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments.instruments.base import (
    ITEM_CONFLICT,
    Band,
    InstrumentError,
    InstrumentResult,
    Item,
    Questionnaire,
    age_value,
    band_for,
    collect_answers,
)

# --- MNA-SF ---------------------------------------------------------------------------------

# Kaiser MJ et al. Validation of the Mini Nutritional Assessment Short-Form (MNA-SF). J Nutr
# Health Aging 2009;13:782-8; Rubenstein LZ et al. J Gerontol 2001;56A:M366-72. MNA® is a
# trademark of Société des Produits Nestlé S.A.; items are stored with neutral labels.
MNA_SF = Questionnaire(
    "mna_sf",
    "mna-sf-2009",
    (
        Item("A", gettext_lazy("Baisse des apports alimentaires (3 derniers mois)"), (0, 1, 2)),
        Item("B", gettext_lazy("Perte de poids (3 derniers mois)"), (0, 1, 2, 3)),
        Item("C", gettext_lazy("Motricité"), (0, 1, 2)),
        Item("D", gettext_lazy("Stress psychologique ou maladie aiguë (3 derniers mois)"), (0, 2)),
        Item("E", gettext_lazy("Problèmes neuropsychologiques"), (0, 1, 2)),
        Item("F1", gettext_lazy("Indice de masse corporelle"), (0, 1, 2, 3)),
        Item("F2", gettext_lazy("Circonférence du mollet (si IMC indisponible)"), (0, 3)),
    ),
)
# Kaiser et al. 2009 (above), screening score bands: 12-14 normal nutritional status, 8-11 at
# risk of malnutrition, 0-7 malnourished.
MNA_SF_AT_RISK_FROM = 8
MNA_SF_NORMAL_FROM = 12
MNA_SF_BANDS = (
    Band("malnourished", gettext_lazy("Dénutrition avérée"), 0),
    Band("at_risk", gettext_lazy("Risque de dénutrition"), MNA_SF_AT_RISK_FROM),
    Band("normal", gettext_lazy("État nutritionnel normal"), MNA_SF_NORMAL_FROM),
)


def mna_sf(answers: Mapping[str, int | None]) -> InstrumentResult:
    """Items A to E, then F1 (BMI) or, only when the BMI is unavailable, F2 (calf)."""
    given = {code for code, answer in answers.items() if answer is not None}
    if {"F1", "F2"} <= given:
        raise InstrumentError(
            ITEM_CONFLICT,
            _("MNA-SF : répondez à F1 (IMC) ou, à défaut, à F2 (mollet), pas aux deux."),
            field="F2",
        )
    optional = ("F1",) if "F2" in given else ("F2",)
    used = collect_answers(MNA_SF, answers, optional=optional)
    total = sum(MNA_SF.item(code).points(answer) for code, answer in used.items())
    return InstrumentResult(
        MNA_SF.code, MNA_SF.version, used, total, {}, band_for(total, MNA_SF_BANDS)
    )


# --- NRS-2002 -------------------------------------------------------------------------------

# Kondrup J et al. Nutritional risk screening (NRS 2002): a new method based on an analysis of
# controlled clinical trials. Clin Nutr 2003;22:321-36 (final screening, table 1).
NRS_2002 = Questionnaire(
    "nrs_2002",
    "kondrup-2003",
    (
        Item("nutritional_status", gettext_lazy("Altération de l'état nutritionnel"), (0, 1, 2, 3)),
        Item("disease_severity", gettext_lazy("Sévérité de la maladie"), (0, 1, 2, 3)),
    ),
)
NRS_2002_AGE_POINT_FROM = 70
NRS_2002_AT_RISK = 3
NRS_2002_BANDS = (
    Band("not_at_risk", gettext_lazy("Pas de risque nutritionnel (réévaluer)"), 0),
    Band(
        "at_risk",
        gettext_lazy("Risque nutritionnel : plan de soins nutritionnels"),
        NRS_2002_AT_RISK,
    ),
)


def nrs_2002(*, nutritional_status: int, disease_severity: int, age: int) -> InstrumentResult:
    years = age_value(age)
    used = collect_answers(
        NRS_2002,
        {"nutritional_status": nutritional_status, "disease_severity": disease_severity},
    )
    age_point = 1 if years >= NRS_2002_AGE_POINT_FROM else 0
    total = used["nutritional_status"] + used["disease_severity"] + age_point
    return InstrumentResult(
        NRS_2002.code,
        NRS_2002.version,
        {**used, "age": years},
        total,
        {**used, "age_point": age_point},
        band_for(total, NRS_2002_BANDS),
    )
