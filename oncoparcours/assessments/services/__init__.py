"""Writes of the assessments app."""

from oncoparcours.assessments.services.submit import assessment_submit

__all__ = ["assessment_submit"]
