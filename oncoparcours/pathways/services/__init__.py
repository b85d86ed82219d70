"""Writes of the pathways app: intake, orientation, lifecycle."""

from oncoparcours.pathways.services.intake import (
    eligibility_override,
    prescription_receive,
    prescription_receive_once,
)
from oncoparcours.pathways.services.lifecycle import (
    pathway_activate,
    pathway_close,
    pathway_expire,
    pathway_mark_contacted,
)
from oncoparcours.pathways.services.orientation import pathway_orient, pathway_reassign

__all__ = [
    "eligibility_override",
    "pathway_activate",
    "pathway_close",
    "pathway_expire",
    "pathway_mark_contacted",
    "pathway_orient",
    "pathway_reassign",
    "prescription_receive",
    "prescription_receive_once",
]
