"""The assessment forms, one module per prestation family; ``form_class(kind)`` picks one."""

from oncoparcours.assessments.forms.apa import ApaAssessmentForm
from oncoparcours.assessments.forms.base import AssessmentForm
from oncoparcours.assessments.forms.diet import DietAssessmentForm
from oncoparcours.assessments.forms.followup import DietFollowupForm, PsyFollowupForm
from oncoparcours.assessments.forms.psy import PsyAssessmentForm
from oncoparcours.pathways.rules.prestations import (
    APA_ASSESSMENT,
    DIET_ASSESSMENT,
    DIET_FOLLOWUP,
    PSY_ASSESSMENT,
    PSY_FOLLOWUP,
)

FORM_CLASSES: dict[str, type[AssessmentForm]] = {
    APA_ASSESSMENT: ApaAssessmentForm,
    DIET_ASSESSMENT: DietAssessmentForm,
    PSY_ASSESSMENT: PsyAssessmentForm,
    DIET_FOLLOWUP: DietFollowupForm,
    PSY_FOLLOWUP: PsyFollowupForm,
}


def form_class(kind: str) -> type[AssessmentForm]:
    return FORM_CLASSES[kind]


__all__ = [
    "ApaAssessmentForm",
    "AssessmentForm",
    "DietAssessmentForm",
    "DietFollowupForm",
    "PsyAssessmentForm",
    "PsyFollowupForm",
    "form_class",
]
