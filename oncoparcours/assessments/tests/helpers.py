"""Setup shared by the assessments' form, service, page and API tests (synthetic data)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from oncoparcours.pathways.models import Act
from oncoparcours.pathways.tests.test_acts import FIRST_DAY, book

# The fixed "today" of the ``today`` fixture is 15 June 2026.
TODAY = date(2026, 6, 15)
FOLLOWUP_DAY = FIRST_DAY + timedelta(days=3)

# Camille (female, 66 on FIRST_DAY): hand-checked in test_services.
APA_DATA: dict[str, Any] = {
    "measures": {
        "six_minute_walk": {"distance_m": 450, "height_cm": 160, "weight_kg": 60},
        "chair_stand_30s": {"stands": 12},
        "handgrip": {"right_kg": [20, Decimal("22.5")], "left_kg": [18]},
        "ipaq_short": {
            "vigorous_days": 0,
            "vigorous_minutes": 0,
            "moderate_days": 3,
            "moderate_minutes": 30,
            "walking_days": 5,
            "walking_minutes": 40,
            "sitting_minutes": 480,
        },
        "stage_of_change": {"stage": "preparation"},
    },
    "observations": {"barriers": "Fatigue l'après-midi.", "motivation": "Reprendre la marche."},
    "summary": "Capacités conservées, motivation à accompagner.",
}
DIET_DATA: dict[str, Any] = {
    "measures": {
        "anthropometry": {
            "weight_kg": 55,
            "height_cm": 170,
            "usual_weight_kg": 62,
            "weight_1_month_ago_kg": 58,
            "aggression": True,
            "albumin_g_l": 33,
        },
        "mna_sf": {"A": 1, "B": 2, "C": 2, "D": 2, "E": 2, "F1": 3},
        "nrs_2002": {"nutritional_status": 2, "disease_severity": 1},
    },
    "summary": "Dénutrition modérée : enrichissement proposé.",
}
# HADS positions: every answer on the first printed option.
HADS_FIRST_OPTIONS = {f"{prefix}{n}": 0 for n in range(1, 8) for prefix in ("A", "D")}
HADS_LAST_OPTIONS = dict.fromkeys(HADS_FIRST_OPTIONS, 3)
PSY_DATA: dict[str, Any] = {
    "measures": {
        "distress_thermometer": {"score": 4, "problems": ["worry", "fatigue"]},
        "hads": HADS_FIRST_OPTIONS,
    },
    "summary": "Détresse significative, suivi proposé.",
}


def book_act(personas, team, pathway, kind: str, day: date = FIRST_DAY, **extra: Any) -> Act:
    return book(personas, team, pathway, kind, day=day, **extra)
