"""The PSGAC parameters in force on one day, as plain values (no Django, no database).

The pure rules (``oncoparcours.pathways.rules``) take a ``PsgacParameters``; the selector
``psgac_parameters_at`` builds one from the versioned ``RegulatoryParameter`` rows. Each field
is named after the part of its catalogue key after the dot ("psgac.cap_per_patient" →
``cap_per_patient``).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class PsgacParameters:
    # Amounts in euros, to the cent.
    assessment_max_rate: Decimal  # PSG-07
    followup_max_rate: Decimal  # PSG-08
    cap_per_patient: Decimal  # PSG-09
    # Counts.
    max_followups: int  # PSG-05
    max_assessments_per_kind: int  # PSG-10
    # Windows, in calendar months.
    prescription_window_months: int  # PSG-03
    delivery_window_months: int  # PSG-06
    # Durations, in minutes.
    assessment_minutes: int
    followup_minutes: int
    # Age groups, in completed years (OQ-7).
    child_max_years: int
    aja_min_years: int
    aja_max_years: int
    # Reminders.
    contact_after_days: int
    deadline_within_days: int
    budget_threshold_percent: int


class ParameterNotInForce(LookupError):
    """Some regulatory parameter has no version in force on the day asked for."""

    def __init__(self, on: date, keys: list[str]) -> None:
        self.on = on
        self.keys = keys
        super().__init__(
            f"No regulatory parameter version in force on {on.isoformat()} for: {', '.join(keys)}"
        )
