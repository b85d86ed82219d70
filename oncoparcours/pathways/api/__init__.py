"""Pathways for hospital systems and partners: post a prescription (idempotent), read and list
pathways, override a refusal, mark the patient contacted, close, reassign; book, reschedule,
complete, cancel an act or mark it a no-show. Every rule is the services'; this package maps
JSON to them."""

from oncoparcours.pathways.api import acts, intake, pathways
from oncoparcours.pathways.api.base import router

__all__ = ["acts", "intake", "pathways", "router"]
