"""The dietitian's bilan (diet_assessment; domain §9.2): anthropometry and the HAS
undernutrition criteria, MNA-SF, NRS-2002. BMI, weight loss, diagnosis and severity are
computed, never typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.forms.base import (
    AssessmentForm,
    decimal_field,
    points_field,
    whole_field,
)
from oncoparcours.assessments.instruments.nutrition_screening import MNA_SF, NRS_2002
from oncoparcours.pathways.rules.prestations import DIET_ASSESSMENT


def weight_fields() -> dict[str, forms.Field]:
    return {
        "weight_kg": decimal_field(_("Poids actuel (kg)")),
        "height_cm": decimal_field(_("Taille (cm)")),
        "usual_weight_kg": decimal_field(_("Poids habituel avant la maladie (kg)")),
        "weight_1_month_ago_kg": decimal_field(_("Poids il y a 1 mois (kg)")),
        "weight_6_months_ago_kg": decimal_field(_("Poids il y a 6 mois (kg)")),
    }


def anthropometry_fields() -> dict[str, forms.Field]:
    return {
        **weight_fields(),
        "intake_reduction_percent": decimal_field(
            _("Baisse des apports par rapport aux apports habituels (%)"),
            _("0 si les apports sont conservés ; par exemple 50 pour des apports de moitié."),
        ),
        "intake_reduction_days": whole_field(_("Baisse des apports depuis (jours)")),
        "reduced_absorption": forms.BooleanField(
            label=_("Absorption réduite (malabsorption, maldigestion)"), required=False
        ),
        "aggression": forms.BooleanField(
            label=_("Situation d'agression (pathologie aiguë, chronique ou cancer évolutif)"),
            required=False,
        ),
        "muscle_criterion": forms.BooleanField(
            label=_(
                "Réduction quantifiée de la masse ou de la fonction musculaire "
                "(à partir de 70 ans : sarcopénie confirmée)"
            ),
            required=False,
        ),
        "albumin_g_l": decimal_field(
            _("Albuminémie (g/L), facultative"), _("Sert seulement à grader la sévérité.")
        ),
    }


def mna_sf_fields() -> dict[str, forms.Field]:
    return {
        item.code: points_field(
            _("%(code)s. %(label)s (points)") % {"code": item.code, "label": item.label},
            item.choices,
        )
        for item in MNA_SF.items
    }


def nrs_2002_fields() -> dict[str, forms.Field]:
    return {
        item.code: points_field(_("%(label)s (grade 0 à 3)") % {"label": item.label}, item.choices)
        for item in NRS_2002.items
    }


DIET_MEASURE_FIELDS = {
    "anthropometry": anthropometry_fields,
    "mna_sf": mna_sf_fields,
    "nrs_2002": nrs_2002_fields,
}


class DietAssessmentForm(AssessmentForm):
    kind = DIET_ASSESSMENT
    measure_fields = DIET_MEASURE_FIELDS
    summary_label = _("Synthèse du bilan")
