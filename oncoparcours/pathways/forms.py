from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import MedicalSpecialty
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.pathways.rules.prestations import PRESTATION_CHOICES
from oncoparcours.pathways.states import CLOSING_OUTCOMES, STATUS_LABELS, PathwayStatus
from oncoparcours.patients.models import Patient


class DateInput(forms.DateInput):
    input_type = "date"


class PaperPrescriptionForm(DsfrFormMixin, forms.Form):
    """A coordinator keys in a paper prescription and attaches its scan (channel "paper")."""

    patient = forms.ModelChoiceField(
        label=_("Patient"), queryset=Patient.objects.none(), to_field_name="public_id"
    )
    prescriber_name = forms.CharField(label=_("Médecin prescripteur"), max_length=200)
    prescriber_rpps = forms.CharField(
        label=_("RPPS du prescripteur"),
        max_length=20,
        required=False,
        help_text=_("11 chiffres, s'il figure sur l'ordonnance."),
    )
    prescriber_specialty = forms.ChoiceField(
        label=_("Spécialité du prescripteur"),
        choices=[("", "—"), *MedicalSpecialty.choices],
        required=False,
    )
    prescription_date = forms.DateField(label=_("Date de la prescription"), widget=DateInput)
    items = forms.MultipleChoiceField(
        label=_("Prestations prescrites"),
        choices=PRESTATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    document = forms.FileField(
        label=_("Ordonnance numérisée"),
        required=False,
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus."),
    )

    def __init__(self, *args: Any, patients: QuerySet[Patient], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Patient]", self.fields["patient"]).queryset = patients


class OverrideForm(DsfrFormMixin, forms.Form):
    justification = forms.CharField(
        label=_("Justification de la dérogation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("20 caractères au moins ; elle figure dans la chronologie du parcours."),
    )


class CloseForm(DsfrFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("Issue"),
        choices=[
            (status.value, STATUS_LABELS[status])
            for status in PathwayStatus
            if status in CLOSING_OUTCOMES
        ],
    )
    reason = forms.CharField(
        label=_("Motif"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Obligatoire sauf pour un parcours terminé."),
    )
