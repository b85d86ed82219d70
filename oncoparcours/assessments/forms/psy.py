"""The psychologist's bilan (psy_assessment; domain §9.3): distress thermometer with its
problem list, HADS. HADS is licensed: items are shown by their neutral labels ("Anxiété,
question 3") and answered by the position of the option ticked on the licensed paper form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.forms.base import AssessmentForm, whole_field
from oncoparcours.assessments.instruments.psychology import (
    DISTRESS_PROBLEMS,
    HADS,
    HADS_ANSWER_POSITIONS,
)
from oncoparcours.pathways.rules.prestations import PSY_ASSESSMENT

POSITION_LABELS = {
    0: _("1re réponse"),
    1: _("2e réponse"),
    2: _("3e réponse"),
    3: _("4e réponse"),
}


def distress_fields() -> dict[str, forms.Field]:
    return {
        "score": whole_field(_("Niveau de détresse (0 à 10)")),
        "problems": forms.MultipleChoiceField(
            label=_("Problèmes signalés"),
            required=False,
            choices=[(p.code, p.label) for p in DISTRESS_PROBLEMS],
            widget=forms.CheckboxSelectMultiple,
        ),
    }


def hads_fields() -> dict[str, forms.Field]:
    return {
        item.code: forms.TypedChoiceField(
            label=item.label,
            required=False,
            coerce=int,
            empty_value=None,
            choices=[("", "—"), *((str(p), POSITION_LABELS[p]) for p in HADS_ANSWER_POSITIONS)],
            help_text=_("Position de la réponse cochée sur le questionnaire papier."),
        )
        for item in HADS.items
    }


PSY_MEASURE_FIELDS = {"distress_thermometer": distress_fields, "hads": hads_fields}


class PsyAssessmentForm(AssessmentForm):
    kind = PSY_ASSESSMENT
    measure_fields = PSY_MEASURE_FIELDS
    summary_label = _("Synthèse clinique")
