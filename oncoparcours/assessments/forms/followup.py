"""Follow-up consultations (diet_followup, psy_followup): notes and the re-measures the
professional chooses. The weight's BMI and loss are computed against the height and usual
weight of the dietetic bilan when they are not given again."""

from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.forms.apa import APA_MEASURE_FIELDS
from oncoparcours.assessments.forms.base import AssessmentForm
from oncoparcours.assessments.forms.diet import weight_fields
from oncoparcours.assessments.forms.psy import PSY_MEASURE_FIELDS
from oncoparcours.pathways.rules.prestations import DIET_FOLLOWUP, PSY_FOLLOWUP

FOLLOWUP_MEASURE_FIELDS = {"weight": weight_fields, **PSY_MEASURE_FIELDS, **APA_MEASURE_FIELDS}


class DietFollowupForm(AssessmentForm):
    kind = DIET_FOLLOWUP
    measure_fields = FOLLOWUP_MEASURE_FIELDS
    summary_label = _("Notes de la consultation")


class PsyFollowupForm(AssessmentForm):
    kind = PSY_FOLLOWUP
    measure_fields = FOLLOWUP_MEASURE_FIELDS
    summary_label = _("Notes de la consultation")
