"""Evaluation for the ARS, ONCO AURA and structures: indicators I-1…I-16 (JSON) and, from H6's
modules, exports. One router; each module adds its endpoints to it."""

from oncoparcours.evaluation.api import annual_reports, exports, indicators
from oncoparcours.evaluation.api.base import router

__all__ = ["annual_reports", "exports", "indicators", "router"]
