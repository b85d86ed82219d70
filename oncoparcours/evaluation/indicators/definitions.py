"""Indicators I-1…I-16, each defined once, as data (domain §2.6; PSG-17: the official list is
still unconfirmed, OQ-1, so this is the proposed set).

Each ``Indicator`` carries its French title, its definition (numerator, denominator, filters,
unit), the date that places a record in a period, and a pure ``compute`` turning the aggregated
query results (``evaluation.selectors.indicator_aggregates``) into a ``Result``. An empty
denominator gives a result without value and with a French reason ("non calculable"), never
a division by zero. ``docs/indicators.md`` repeats these texts; a test keeps them equal.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from oncoparcours.evaluation.indicators import arith
from oncoparcours.evaluation.indicators.filters import CANCER_GROUP_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

# Below this denominator a figure is shown with a "small sample" warning, never hidden: the
# readers are the ARS and ONCO AURA (R.1415-1-12 duty) and each structure for itself.
SMALL_SAMPLE = 10


@dataclass(frozen=True)
class Result:
    code: str
    label: "StrPromise | str"
    value: Decimal | None
    unit: "StrPromise | str"
    numerator: Decimal | None = None
    denominator: int | None = None
    reason: "StrPromise | str" = ""
    parts: tuple["Result", ...] = ()

    @property
    def computable(self) -> bool:
        return self.value is not None

    @property
    def small_sample(self) -> bool:
        return self.denominator is not None and 0 < self.denominator < SMALL_SAMPLE


Aggregates = Mapping[str, Any]


@dataclass(frozen=True)
class Indicator:
    id: str
    title: "StrPromise"
    definition: "StrPromise"
    period_date: "StrPromise"
    compute: Callable[[Aggregates], Result]


# --- reasons ("non calculable") ----------------------------------------------------------------

NO_PRESCRIPTION = _("Aucune prescription reçue sur la période.")
NO_REFUSAL = _("Aucune prescription refusée sur la période.")
NO_INCLUSION = _("Aucun patient inclus sur la période.")
NO_DELAY = _("Aucun délai mesurable sur la période.")
NO_ACT = _("Aucune prestation réalisée sur la période.")
NO_CLOSED = _("Aucun parcours clos sur la période.")
NO_BILAN = _("Aucun bilan réalisé sur la période.")
NO_PROFESSIONAL = _("Aucun professionnel sous contrat sur la période.")
NO_POPULATION = _("Population du périmètre inconnue ou nulle.")
COVERAGE_NOT_APPLICABLE = _(
    "Sans objet pour une structure ou un territoire : ses communes sont couvertes par définition."
)
NO_LOCATED = _("Aucune commune localisée ou aucune offre localisée de ce type.")
DEPRIVATION_NOT_COLLECTED = _(
    "Indice de défavorisation non recueilli : le comité de pilotage n'a pas encore choisi l'indice."
)
NO_PAIR = _("Aucun parcours avec deux mesures dont la dernière tombe sur la période.")
NO_PROJECT = _("Aucun projet d'APA rédigé sur la période.")
SATISFACTION_NOT_COLLECTED = _(
    "Non calculable : le questionnaire de satisfaction n'est pas encore recueilli par la "
    "plateforme (aucune donnée)."
)

# --- units --------------------------------------------------------------------------------------

PATHWAYS = _("parcours")
PRESCRIPTIONS = _("prescriptions")
PERCENT = "%"
DAYS = _("jours")
PRESTATIONS = _("prestations")
EUROS = "€"
PROFESSIONALS = _("professionnels")
PER_100K = _("pour 100 000 habitants")
KM = "km"

# --- vocabularies (codes from the other apps; labels for the table) ----------------------------

REFUSAL_REASONS: tuple[tuple[str, "StrPromise"], ...] = (
    ("PSG-01", _("Pas d'ALD cancer ou pas de traitement (PSG-01)")),
    ("PSG-02", _("Prescripteur non habilité (PSG-02)")),
    ("PSG-03", _("Hors délai après la fin du traitement (PSG-03)")),
    ("PSG-04", _("Prestations prescrites invalides (PSG-04)")),
    ("other", _("Autre motif")),
)
PRESCRIBER_SPECIALTIES: tuple[tuple[str, "StrPromise"], ...] = (
    ("oncology", _("Cancérologue")),
    ("general_practice", _("Médecin traitant (médecine générale)")),
    ("paediatrics", _("Pédiatre")),
    ("other", _("Autre ou non renseignée")),
)
AGE_GROUPS: tuple[tuple[str, "StrPromise"], ...] = (
    ("child", _("Enfants")),
    ("aja", _("Adolescents et jeunes adultes (AJA)")),
    ("adult", _("Adultes")),
)
PRESTATION_KINDS: tuple[tuple[str, "StrPromise"], ...] = (
    ("apa_assessment", _("Bilan d'activité physique")),
    ("diet_assessment", _("Bilan diététique")),
    ("psy_assessment", _("Bilan psychologique")),
    ("diet_followup", _("Consultation de suivi diététique")),
    ("psy_followup", _("Consultation de suivi psychologique")),
)
ASSESSMENT_KINDS = ("apa_assessment", "diet_assessment", "psy_assessment")
FINAL_STATUSES: tuple[tuple[str, "StrPromise"], ...] = (
    ("completed", _("Terminés")),
    ("expired", _("Échus (délai dépassé)")),
    ("withdrawn", _("Abandons")),
    ("lost", _("Perdus de vue")),
    ("deceased", _("Décès")),
)
CONTRACT_KINDS: tuple[tuple[str, "StrPromise"], ...] = (
    ("salaried", _("Salariés de la structure")),
    ("contracted", _("Libéraux sous contrat type")),
)
# The distances of I-13: the three supportive-care types of the pathway's prestations.
DISTANCE_CARE_TYPES: tuple[tuple[str, "StrPromise"], ...] = (
    ("apa", _("Distance moyenne à l'offre d'APA la plus proche")),
    ("nutrition", _("Distance moyenne à l'offre de diététique la plus proche")),
    ("psychological", _("Distance moyenne à l'offre de soutien psychologique la plus proche")),
)


@dataclass(frozen=True)
class Outcome:
    instrument: str
    label: "StrPromise"
    unit: "StrPromise | str"


# I-14: the instruments measured at the first and the last assessment (domain §9; codes of
# assessments.instruments). The score column holds each one's headline figure.
OUTCOMES: tuple[Outcome, ...] = (
    Outcome("six_minute_walk", _("Test de marche de 6 minutes (distance)"), "m"),
    Outcome("ipaq_short", _("Activité physique IPAQ (MET-min par semaine)"), "MET-min"),
    Outcome("hads", _("HADS, score total (anxiété + dépression)"), _("points")),
    Outcome("bmi", _("Indice de masse corporelle"), "kg/m²"),
)


# --- small builders -----------------------------------------------------------------------------


def _n(value: int | Decimal | None) -> Decimal:
    return Decimal(value or 0)


def count_result(code: str, label: "StrPromise | str", count: int, unit: "StrPromise") -> Result:
    """A count is always computable (zero is a figure)."""
    return Result(code, label, _n(count), unit, numerator=_n(count))


def share_result(
    code: str, label: "StrPromise | str", numerator: int, denominator: int, reason: "StrPromise"
) -> Result:
    value = arith.share(numerator, denominator)
    return Result(
        code,
        label,
        value,
        PERCENT,
        numerator=_n(numerator),
        denominator=denominator,
        reason="" if value is not None else reason,
    )


def median_result(
    code: str, label: "StrPromise | str", middle: Sequence[int], count: int, reason: "StrPromise"
) -> Result:
    value = arith.median(middle) if count else None
    return Result(
        code, label, value, DAYS, denominator=count, reason="" if value is not None else reason
    )


def mean_result(
    code: str,
    label: "StrPromise | str",
    total: Decimal | int,
    count: int,
    unit: "StrPromise | str",
    reason: "StrPromise",
) -> Result:
    value = arith.mean(total, count)
    return Result(
        code,
        label,
        value,
        unit,
        numerator=_n(total),
        denominator=count,
        reason="" if value is not None else reason,
    )


def not_computable(code: str, label: "StrPromise | str", unit: str, reason: "StrPromise") -> Result:
    return Result(code, label, None, unit, reason=reason)


# --- the computations (pure: aggregates in, result out) ----------------------------------------


def compute_i1(a: Aggregates) -> Result:
    return count_result("I-1", TITLES["I-1"], a["included"], PATHWAYS)


def compute_i2(a: Aggregates) -> Result:
    received, refused = a["received"], a["refused"]
    parts = [
        count_result("received", _("Prescriptions reçues"), received, PRESCRIPTIONS),
        count_result("refused", _("Prescriptions refusées"), refused, PRESCRIPTIONS),
    ]
    parts += [
        share_result(code, label, a["refusal_reasons"][code], refused, NO_REFUSAL)
        for code, label in REFUSAL_REASONS
    ]
    headline = share_result("I-2", TITLES["I-2"], refused, received, NO_PRESCRIPTION)
    return replace(headline, parts=tuple(parts))


def _mix(
    code: str,
    total: int,
    unit: "StrPromise",
    counts: Mapping[str, int],
    labels: Sequence[tuple[str, "StrPromise"]],
    reason: "StrPromise",
) -> Result:
    parts = tuple(share_result(c, label, counts[c], total, reason) for c, label in labels)
    return Result(code, TITLES[code], _n(total), unit, numerator=_n(total), parts=parts)


def compute_i3(a: Aggregates) -> Result:
    return _mix(
        "I-3",
        a["received"],
        PRESCRIPTIONS,
        a["prescriber_specialties"],
        PRESCRIBER_SPECIALTIES,
        NO_PRESCRIPTION,
    )


def compute_i4(a: Aggregates) -> Result:
    counts, total = a["age_groups"], a["included"]
    parts = tuple(
        share_result(code, label, counts[code], total, NO_INCLUSION) for code, label in AGE_GROUPS
    )
    headline = share_result(
        "I-4", TITLES["I-4"], counts["child"] + counts["aja"], total, NO_INCLUSION
    )
    return replace(headline, parts=parts)


def compute_i5(a: Aggregates) -> Result:
    return _mix(
        "I-5",
        a["included"],
        PATHWAYS,
        a["cancer_groups"],
        list(CANCER_GROUP_LABELS.items()),
        NO_INCLUSION,
    )


def compute_i6(a: Aggregates) -> Result:
    return median_result(
        "I-6",
        TITLES["I-6"],
        a["treatment_to_prescription"],
        a["treatment_to_prescription_n"],
        NO_DELAY,
    )


def compute_i7(a: Aggregates) -> Result:
    parts = (
        median_result(
            "prescription_to_contact",
            _("Prescription → premier contact (médiane)"),
            a["prescription_to_contact"],
            a["prescription_to_contact_n"],
            NO_DELAY,
        ),
        median_result(
            "contact_to_assessment",
            _("Premier contact → premier bilan (médiane)"),
            a["contact_to_assessment"],
            a["contact_to_assessment_n"],
            NO_DELAY,
        ),
    )
    headline = median_result(
        "I-7",
        TITLES["I-7"],
        a["prescription_to_assessment"],
        a["prescription_to_assessment_n"],
        NO_DELAY,
    )
    return replace(headline, parts=parts)


def compute_i8(a: Aggregates) -> Result:
    counts = a["acts_by_kind"]
    total = sum(counts[code] for code, _label in PRESTATION_KINDS)
    parts = tuple(
        count_result(code, label, counts[code], PRESTATIONS) for code, label in PRESTATION_KINDS
    )
    return Result("I-8", TITLES["I-8"], _n(total), PRESTATIONS, numerator=_n(total), parts=parts)


def compute_i9(a: Aggregates) -> Result:
    count = a["spend_pathways"]
    headline = mean_result("I-9", TITLES["I-9"], a["spend_total"], count, EUROS, NO_CLOSED)
    at_cap = share_result(
        "at_cap", _("Parcours ayant atteint le plafond"), a["spend_at_cap"], count, NO_CLOSED
    )
    return replace(headline, parts=(at_cap,))


def compute_i10(a: Aggregates) -> Result:
    counts, closed = a["closed_by_status"], a["closed"]
    parts = [
        share_result(code, label, counts[code], closed, NO_CLOSED) for code, label in FINAL_STATUSES
    ]
    parts.append(
        share_result(
            "dropout",
            _("Sorties prématurées (abandons et perdus de vue)"),
            counts["withdrawn"] + counts["lost"],
            closed,
            NO_CLOSED,
        )
    )
    headline = share_result("I-10", TITLES["I-10"], counts["completed"], closed, NO_CLOSED)
    return replace(headline, parts=tuple(parts))


def compute_i11(a: Aggregates) -> Result:
    bilans = a["bilans"]
    parts = (
        share_result(
            "prescriber",
            _("Compte rendu envoyé au prescripteur"),
            a["reports_prescriber"],
            bilans,
            NO_BILAN,
        ),
        share_result(
            "gp", _("Compte rendu envoyé au médecin traitant"), a["reports_gp"], bilans, NO_BILAN
        ),
        share_result(
            "withheld_no_consent",
            _("Envoi retenu faute de consentement (au moins un destinataire)"),
            a["reports_withheld_no_consent"],
            bilans,
            NO_BILAN,
        ),
    )
    headline = share_result("I-11", TITLES["I-11"], a["reports_both"], bilans, NO_BILAN)
    return replace(headline, parts=parts)


def compute_i12(a: Aggregates) -> Result:
    """``contracts``: distinct (professional id, contract kind, profession) of the period."""
    rows: Sequence[tuple[int, str, str]] = a["contracts"]
    professionals = {pid for pid, _kind, _profession in rows}
    parts = [
        count_result(
            kind,
            label,
            len({pid for pid, k, _p in rows if k == kind}),
            PROFESSIONALS,
        )
        for kind, label in CONTRACT_KINDS
    ]
    for profession, label in a["profession_labels"]:
        count = len({pid for pid, _k, p in rows if p == profession})
        if count:
            parts.append(count_result(f"profession_{profession}", label, count, PROFESSIONALS))
    return Result(
        "I-12",
        TITLES["I-12"],
        _n(len(professionals)),
        PROFESSIONALS,
        numerator=_n(len(professionals)),
        parts=tuple(parts),
    )


def compute_i13(a: Aggregates) -> Result:
    residents, population = a["residents_included"], a["population"]
    rate = arith.rate_per(residents, population)
    parts: list[Result] = []
    uncovered = a["uncovered_population"]
    if uncovered is None:
        parts.append(
            not_computable(
                "uncovered_population",
                _("Population des communes sans structure porteuse"),
                PERCENT,
                COVERAGE_NOT_APPLICABLE,
            )
        )
    else:
        parts.append(
            share_result(
                "uncovered_population",
                _("Population des communes sans structure porteuse"),
                uncovered,
                population,
                NO_POPULATION,
            )
        )
    for care_type, label in DISTANCE_CARE_TYPES:
        weighted_km, weight = a["distances"].get(care_type, (Decimal(0), 0))
        # Weighted by the communes' population: the distance an inhabitant has to travel.
        value = arith.round1(Decimal(weighted_km) / weight) if weight else None
        parts.append(
            Result(
                f"distance_{care_type}",
                label,
                value,
                KM,
                denominator=weight,
                reason="" if value is not None else NO_LOCATED,
            )
        )
    parts.append(
        not_computable(
            "deprivation",
            _("Répartition selon un indice de défavorisation"),
            PERCENT,
            DEPRIVATION_NOT_COLLECTED,
        )
    )
    for code, name, count, people in a["department_rates"]:
        department_rate = arith.rate_per(count, people)
        parts.append(
            Result(
                f"department_{code}",
                _("Taux d'inclusion : %(name)s (%(code)s)") % {"name": name, "code": code},
                department_rate,
                PER_100K,
                numerator=_n(count),
                denominator=people,
                reason="" if department_rate is not None else NO_POPULATION,
            )
        )
    return Result(
        "I-13",
        TITLES["I-13"],
        rate,
        PER_100K,
        numerator=_n(residents),
        denominator=population,
        reason="" if rate is not None else NO_POPULATION,
        parts=tuple(parts),
    )


def compute_i14(a: Aggregates) -> Result:
    """``outcome_pairs``: (instrument, first score, last score), one per pathway measured."""
    pairs: Sequence[tuple[str, Decimal, Decimal]] = a["outcome_pairs"]
    parts = []
    for outcome in OUTCOMES:
        changes = [last - first for code, first, last in pairs if code == outcome.instrument]
        parts.append(
            mean_result(
                outcome.instrument,
                outcome.label,
                sum(changes, Decimal(0)),
                len(changes),
                outcome.unit,
                NO_PAIR,
            )
        )
    measured = sum(1 for code, _f, _l in pairs if code in {o.instrument for o in OUTCOMES})
    return Result(
        "I-14",
        TITLES["I-14"],
        _n(measured),
        _("mesures appariées"),
        numerator=_n(measured),
        parts=tuple(parts),
    )


def compute_i15(a: Aggregates) -> Result:
    return share_result("I-15", TITLES["I-15"], a["apa_started"], a["apa_projects"], NO_PROJECT)


def compute_i16(a: Aggregates) -> Result:
    return not_computable("I-16", TITLES["I-16"], PERCENT, SATISFACTION_NOT_COLLECTED)


# --- the table ----------------------------------------------------------------------------------

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "I-1",
        _("Patients inclus"),
        _(
            "Nombre de parcours ayant atteint le statut « en cours », c'est-à-dire dont le premier "
            "bilan a eu lieu sur la période. Unité : parcours. Filtres âge et localisation "
            "applicables."
        ),
        _("date du premier bilan"),
        compute_i1,
    ),
    Indicator(
        "I-2",
        _("Prescriptions refusées"),
        _(
            "Numérateur : prescriptions non éligibles (refusées et non accordées par dérogation). "
            "Dénominateur : prescriptions reçues. Détail par motif (règle PSG non respectée), en "
            "part des refus ; une prescription peut avoir plusieurs motifs. Unité : %."
        ),
        _("date de la prescription"),
        compute_i2,
    ),
    Indicator(
        "I-3",
        _("Répartition des prescripteurs"),
        _(
            "Prescriptions reçues, et part de chaque spécialité du prescripteur (cancérologue, "
            "médecin traitant, pédiatre, autre ou non renseignée). Unité : prescriptions et %."
        ),
        _("date de la prescription"),
        compute_i3,
    ),
    Indicator(
        "I-4",
        _("Part des enfants et des AJA"),
        _(
            "Numérateur : patients inclus enfants ou adolescents et jeunes adultes (tranche d'âge "
            "du parcours). Dénominateur : patients inclus (I-1). Détail par tranche d'âge. "
            "Unité : %."
        ),
        _("date du premier bilan"),
        compute_i4,
    ),
    Indicator(
        "I-5",
        _("Répartition par localisation du cancer"),
        _(
            "Patients inclus (I-1), et part de chaque groupe de localisation CIM-10 : sein (C50), "
            "côlon-rectum (C18-C21), prostate (C61), poumon (C33-C34), autres, non renseignée. "
            "Unité : parcours et %."
        ),
        _("date du premier bilan"),
        compute_i5,
    ),
    Indicator(
        "I-6",
        _("Délai fin de traitement → prescription"),
        _(
            "Médiane, en jours, de la date de prescription moins la date de fin du traitement "
            "actif déclarée, sur les prescriptions reçues qui la renseignent (négative si la "
            "prescription précède la fin). Unité : jours."
        ),
        _("date de la prescription"),
        compute_i6,
    ),
    Indicator(
        "I-7",
        _("Délai prescription → premier bilan"),
        _(
            "Médiane, en jours, de la date du premier bilan moins la date de prescription, sur "
            "les patients inclus. Détail : prescription → premier contact (date de l'événement "
            "« patient contacté ») et premier contact → premier bilan. Unité : jours."
        ),
        _(
            "date de fin du délai : premier bilan, ou premier contact pour le délai "
            "prescription → contact"
        ),
        compute_i7,
    ),
    Indicator(
        "I-8",
        _("Prestations réalisées"),
        _(
            "Nombre de prestations au statut « réalisé », par type (trois bilans, deux suivis). "
            "Unité : prestations."
        ),
        _("date de réalisation de la prestation"),
        compute_i8,
    ),
    Indicator(
        "I-9",
        _("Dépense moyenne par patient"),
        _(
            "Numérateur : somme des montants des prestations réalisées des parcours clos. "
            "Dénominateur : parcours clos ayant eu un premier bilan. Détail : part de ces "
            "parcours dont la dépense a atteint leur plafond. Unité : €."
        ),
        _("date de clôture du parcours"),
        compute_i9,
    ),
    Indicator(
        "I-10",
        _("Parcours terminés"),
        _(
            "Numérateur : parcours clos au statut « terminé ». Dénominateur : parcours clos "
            "(terminés, échus, abandons, perdus de vue, décès). Détail par statut et sorties "
            "prématurées (abandons et perdus de vue). Unité : %."
        ),
        _("date de clôture du parcours"),
        compute_i10,
    ),
    Indicator(
        "I-11",
        _("Comptes rendus envoyés"),
        _(
            "Numérateur : bilans réalisés dont un compte rendu a été envoyé au prescripteur et au "
            "médecin traitant. Dénominateur : bilans réalisés. Détail par destinataire et envois "
            "retenus faute de consentement. Unité : %."
        ),
        _("date de réalisation du bilan"),
        compute_i11,
    ),
    Indicator(
        "I-12",
        _("Professionnels sous contrat"),
        _(
            "Nombre de professionnels ayant un contrat en cours sur la période avec une structure "
            "porteuse du périmètre, par type de contrat (salarié, libéral) et par profession. "
            "Filtres âge et localisation sans objet. Unité : professionnels."
        ),
        _("période du contrat (chevauchant la période)"),
        compute_i12,
    ),
    Indicator(
        "I-13",
        _("Équité territoriale"),
        _(
            "Numérateur : patients inclus résidant dans le périmètre (commune du patient). "
            "Dénominateur : population des communes du périmètre. Unité : pour 100 000 habitants. "
            "Détail : part de la population vivant dans une commune sans structure porteuse, "
            "distance moyenne (pondérée par la population, à vol d'oiseau) à l'offre la plus "
            "proche d'APA, de diététique et de soutien psychologique, taux par département."
        ),
        _("date du premier bilan (couverture et distances : état actuel)"),
        compute_i13,
    ),
    Indicator(
        "I-14",
        _("Évolution entre première et dernière mesure"),
        _(
            "Pour chaque instrument (marche de 6 minutes, IPAQ, HADS, IMC) : moyenne de la "
            "dernière mesure moins la première, sur les parcours ayant au moins deux mesures. "
            "Unité : celle de l'instrument."
        ),
        _("date de la dernière mesure"),
        compute_i14,
    ),
    Indicator(
        "I-15",
        _("Recours à l'APA après le projet"),
        _(
            "Numérateur : parcours ayant un projet d'APA et au moins une orientation vers une "
            "offre d'activité physique adaptée (approximation : la reprise effective des séances "
            "n'est pas encore déclarée). Dénominateur : parcours dont un projet d'APA a été "
            "rédigé. Unité : %."
        ),
        _("date de rédaction du premier projet d'APA"),
        compute_i15,
    ),
    Indicator(
        "I-16",
        _("Satisfaction des patients"),
        _(
            "Part des patients satisfaits au questionnaire court de clôture. Le questionnaire "
            "n'est pas encore recueilli : indicateur non calculable."
        ),
        _("date de clôture du parcours"),
        compute_i16,
    ),
)
TITLES: dict[str, "StrPromise"] = {indicator.id: indicator.title for indicator in INDICATORS}
BY_ID: dict[str, Indicator] = {indicator.id: indicator for indicator in INDICATORS}


def compute_all(aggregates: Aggregates, ids: Sequence[str] | None = None) -> list[Result]:
    return [i.compute(aggregates) for i in INDICATORS if ids is None or i.id in ids]
