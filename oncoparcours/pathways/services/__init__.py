"""Writes of the pathways app: intake, orientation, lifecycle, acts."""

from oncoparcours.pathways.services.acts import (
    act_book,
    act_cancel,
    act_complete,
    act_no_show,
    act_reschedule,
    act_void,
)
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
from oncoparcours.pathways.services.prescriber import prescription_prescribe
from oncoparcours.pathways.services.referrals import pathway_refer

__all__ = [
    "act_book",
    "act_cancel",
    "act_complete",
    "act_no_show",
    "act_reschedule",
    "act_void",
    "eligibility_override",
    "pathway_activate",
    "pathway_close",
    "pathway_expire",
    "pathway_mark_contacted",
    "pathway_orient",
    "pathway_reassign",
    "pathway_refer",
    "prescription_prescribe",
    "prescription_receive",
    "prescription_receive_once",
]
