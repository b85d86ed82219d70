"""Points where other apps will plug in (notifications, tasks). For now they only log, with
codes and ids, never identities."""

import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from oncoparcours.pathways.models import Pathway

logger = logging.getLogger("oncoparcours.pathways")


def notify_uncovered(pathway: "Pathway") -> None:
    """No structure covers the patient's commune: the DSRC must be alerted (issue 3 §4)."""
    logger.warning(
        "pathway uncovered pathway=%s commune=%s",
        pathway.public_id,
        pathway.patient.commune.insee_code,
    )
