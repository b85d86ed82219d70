"""The regulatory parameters OncoParcours knows, declared once.

Each entry says what the number means (French label for the UI), its unit, whether it is a
decimal amount or a whole number, the rule it feeds (domain.md) and where it comes from. The
values themselves are not here: they live in ``RegulatoryParameter`` rows, versioned with
effective dates, so a new arrêté is an administrator's entry, not a deployment.
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class Unit(StrEnum):
    EUR = "EUR"
    COUNT = "count"
    MONTHS = "months"
    DAYS = "days"
    YEARS = "years"
    PERCENT = "percent"


class ValueType(StrEnum):
    DECIMAL = "decimal"
    INTEGER = "integer"


ARRETE_2020 = "Arrêté du 24 décembre 2020 relatif au parcours de soins global après le traitement d'un cancer (NOR SSAS2035908A)"
DECRET_2020 = "Décret n° 2020-1665 du 22 décembre 2020, art. R.1415-1-11 CSP"
ONCOPARCOURS = "Paramètre de fonctionnement d'OncoParcours (pas de texte réglementaire)"
AJA_SOURCE = "Définition AJA 15-25 ans (oncorif, MAYA), question ouverte OQ-7"


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    label: "StrPromise"
    unit: Unit
    value_type: ValueType
    # The rule it feeds (domain.md §2), "" for an operating setting of OncoParcours.
    rule: str
    source: str

    @property
    def field(self) -> str:
        """The ``PsgacParameters`` field: the key after its namespace."""
        return self.key.split(".", 1)[1]

    def typed(self, value: Decimal) -> Decimal | int:
        if self.value_type == ValueType.INTEGER:
            return int(value)
        return value.quantize(Decimal("0.01"))

    def display(self, value: Decimal) -> str:
        """The value with its unit, in the active language's number format."""
        if self.value_type == ValueType.DECIMAL:
            text = number_format(value.quantize(Decimal("0.01")), decimal_pos=2)
        else:
            text = number_format(int(value))
        count = int(value)
        match self.unit:
            case Unit.EUR:
                return f"{text} €"
            case Unit.PERCENT:
                return f"{text} %"
            case Unit.MONTHS:
                return ngettext("%(value)s mois", "%(value)s mois", count) % {"value": text}
            case Unit.DAYS:
                return ngettext("%(value)s jour", "%(value)s jours", count) % {"value": text}
            case Unit.YEARS:
                return ngettext("%(value)s an", "%(value)s ans", count) % {"value": text}
            case Unit.COUNT:
                return text


PARAMETERS: dict[str, ParameterSpec] = {
    spec.key: spec
    for spec in (
        ParameterSpec(
            "psgac.assessment_max_rate",
            _("Tarif maximal d'un bilan (1 heure)"),
            Unit.EUR,
            ValueType.DECIMAL,
            "PSG-07",
            ARRETE_2020,
        ),
        ParameterSpec(
            "psgac.followup_max_rate",
            _("Tarif maximal d'une consultation de suivi (30 minutes)"),
            Unit.EUR,
            ValueType.DECIMAL,
            "PSG-08",
            ARRETE_2020,
        ),
        ParameterSpec(
            "psgac.cap_per_patient",
            _("Plafond par patient"),
            Unit.EUR,
            ValueType.DECIMAL,
            "PSG-09",
            ARRETE_2020,
        ),
        ParameterSpec(
            "psgac.max_followups",
            _("Nombre maximal de consultations de suivi (diététiques et psychologiques)"),
            Unit.COUNT,
            ValueType.INTEGER,
            "PSG-05",
            ARRETE_2020,
        ),
        ParameterSpec(
            "psgac.max_assessments_per_kind",
            _("Nombre maximal de bilans de chaque type"),
            Unit.COUNT,
            ValueType.INTEGER,
            "PSG-10",
            ARRETE_2020,
        ),
        ParameterSpec(
            "psgac.prescription_window_months",
            _("Délai de prescription après la fin du traitement actif"),
            Unit.MONTHS,
            ValueType.INTEGER,
            "PSG-03",
            DECRET_2020,
        ),
        ParameterSpec(
            "psgac.delivery_window_months",
            _("Délai de réalisation des prestations après le premier bilan"),
            Unit.MONTHS,
            ValueType.INTEGER,
            "PSG-06",
            DECRET_2020,
        ),
        ParameterSpec(
            "psgac.assessment_minutes",
            _("Durée d'un bilan (minutes)"),
            Unit.COUNT,
            ValueType.INTEGER,
            "PSG-07",
            ARRETE_2020,
        ),
        ParameterSpec(
            "psgac.followup_minutes",
            _("Durée d'une consultation de suivi (minutes)"),
            Unit.COUNT,
            ValueType.INTEGER,
            "PSG-08",
            ARRETE_2020,
        ),
        ParameterSpec(
            "age.child_max_years",
            _("Âge maximal d'un enfant"),
            Unit.YEARS,
            ValueType.INTEGER,
            "PSG-21",
            AJA_SOURCE,
        ),
        ParameterSpec(
            "age.aja_min_years",
            _("Âge minimal d'un adolescent ou jeune adulte (AJA)"),
            Unit.YEARS,
            ValueType.INTEGER,
            "PSG-19",
            AJA_SOURCE,
        ),
        ParameterSpec(
            "age.aja_max_years",
            _("Âge maximal d'un adolescent ou jeune adulte (AJA)"),
            Unit.YEARS,
            ValueType.INTEGER,
            "PSG-19",
            AJA_SOURCE,
        ),
        ParameterSpec(
            "reminders.contact_after_days",
            _("Relance d'une prescription sans contact du patient après"),
            Unit.DAYS,
            ValueType.INTEGER,
            "",
            ONCOPARCOURS,
        ),
        ParameterSpec(
            "reminders.deadline_within_days",
            _("Alerte d'un parcours proche de son échéance"),
            Unit.DAYS,
            ValueType.INTEGER,
            "PSG-06",
            ONCOPARCOURS,
        ),
        ParameterSpec(
            "reminders.budget_threshold_percent",
            _("Alerte d'un parcours proche du plafond"),
            Unit.PERCENT,
            ValueType.INTEGER,
            "PSG-09",
            ONCOPARCOURS,
        ),
    )
}

PARAMETER_CHOICES = [(spec.key, spec.label) for spec in PARAMETERS.values()]
