"""The APA professional's functional and motivational bilan (apa_assessment; domain §9.1)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.forms.base import (
    HANDGRIP_TRIALS,
    AssessmentForm,
    decimal_field,
    whole_field,
)
from oncoparcours.assessments.instruments.activity import STAGE_CHOICES
from oncoparcours.pathways.rules.prestations import APA_ASSESSMENT


def six_minute_walk_fields() -> dict[str, forms.Field]:
    return {
        "distance_m": decimal_field(_("Distance parcourue (m)")),
        "height_cm": decimal_field(_("Taille (cm)")),
        "weight_kg": decimal_field(_("Poids (kg)")),
    }


def chair_stand_fields() -> dict[str, forms.Field]:
    return {"stands": whole_field(_("Nombre de levers complets en 30 secondes"))}


def handgrip_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for side, label in (("right_kg", _("Main droite")), ("left_kg", _("Main gauche"))):
        for trial in range(1, HANDGRIP_TRIALS + 1):
            fields[f"{side}_{trial}"] = decimal_field(
                _("%(hand)s, essai %(trial)s (kg)") % {"hand": label, "trial": trial}
            )
    return fields


def ipaq_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for name, label in (
        ("vigorous", _("Activités intenses")),
        ("moderate", _("Activités modérées")),
        ("walking", _("Marche")),
    ):
        fields[f"{name}_days"] = whole_field(
            _("%(activity)s : jours par semaine") % {"activity": label}
        )
        fields[f"{name}_minutes"] = whole_field(
            _("%(activity)s : minutes par jour") % {"activity": label},
            _("Sur les jours pratiqués."),
        )
    fields["sitting_minutes"] = whole_field(_("Temps assis : minutes par jour"))
    return fields


def stage_fields() -> dict[str, forms.Field]:
    return {
        "stage": forms.ChoiceField(
            label=_("Stade de changement"), required=False, choices=[("", "—"), *STAGE_CHOICES]
        )
    }


APA_MEASURE_FIELDS = {
    "six_minute_walk": six_minute_walk_fields,
    "chair_stand_30s": chair_stand_fields,
    "handgrip": handgrip_fields,
    "ipaq_short": ipaq_fields,
    "stage_of_change": stage_fields,
}


class ApaAssessmentForm(AssessmentForm):
    kind = APA_ASSESSMENT
    measure_fields = APA_MEASURE_FIELDS
    summary_label = _("Synthèse du bilan")
