"""Scoring of the bilans' instruments as pure functions (no database, no request).

Each function takes plain values and returns a frozen ``InstrumentResult`` (instrument code,
version, the answers used, score, sub-scores, interpretation code and French label), or raises
``InstrumentError`` (a ``ValueError`` with a stable code and a French message) on an impossible
or incomplete input. Sources, formulas, bands and licensing: docs/instruments.md.
"""

from oncoparcours.assessments.instruments.activity import ipaq_short, stage_of_change
from oncoparcours.assessments.instruments.apa import chair_stand_30s, handgrip, six_minute_walk
from oncoparcours.assessments.instruments.base import (
    InstrumentError,
    InstrumentResult,
    Interpretation,
    Sex,
)
from oncoparcours.assessments.instruments.nutrition import bmi, undernutrition_has, weight_loss
from oncoparcours.assessments.instruments.nutrition_screening import mna_sf, nrs_2002
from oncoparcours.assessments.instruments.psychology import distress_thermometer, hads

__all__ = [
    "InstrumentError",
    "InstrumentResult",
    "Interpretation",
    "Sex",
    "bmi",
    "chair_stand_30s",
    "distress_thermometer",
    "hads",
    "handgrip",
    "ipaq_short",
    "mna_sf",
    "nrs_2002",
    "six_minute_walk",
    "stage_of_change",
    "undernutrition_has",
    "weight_loss",
]
