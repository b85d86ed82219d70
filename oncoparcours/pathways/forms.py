from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import MedicalSpecialty, User
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.directory.catalogue import CareType
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import ActMode
from oncoparcours.pathways.rules.budget import euros
from oncoparcours.pathways.rules.prestations import PRESTATION_CHOICES, PRESTATIONS
from oncoparcours.pathways.selectors import WORKLIST_BUCKETS
from oncoparcours.pathways.states import (
    CLOSING_OUTCOMES,
    STATUS_CHOICES,
    STATUS_LABELS,
    PathwayStatus,
)
from oncoparcours.patients.forms import PatientFields
from oncoparcours.patients.models import Patient
from oncoparcours.regulation.parameters import PsgacParameters


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value: Any) -> str | None:
        return value.strftime("%Y-%m-%dT%H:%M") if hasattr(value, "strftime") else value


class WorklistFilterForm(DsfrFormMixin, forms.Form):
    """The worklist's filters (GET): a bucket, a status, a search. Unknown values are ignored."""

    bucket = forms.ChoiceField(
        label=_("Catégorie"),
        choices=[("", _("Tous les parcours")), *WORKLIST_BUCKETS.items()],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Statut"), choices=[("", _("Tous les statuts")), *STATUS_CHOICES], required=False
    )
    q = forms.CharField(
        label=_("Rechercher par nom, matricule INS ou commune"), max_length=100, required=False
    )

    def filters(self) -> dict[str, str]:
        """The valid filters, empty strings for the invalid or absent ones."""
        self.is_valid()  # an invalid field is left out of cleaned_data, the others stay
        data = self.cleaned_data
        return {name: (data.get(name) or "").strip() for name in ("bucket", "status", "q")}


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


class PrescribeForm(DsfrFormMixin, PatientFields):
    """The prescriber's own form (channel "form"): the patient, then the prescription. The
    identity status is the structure's business (INSi), not the prescriber's."""

    prescription_date = forms.DateField(label=_("Date de la prescription"), widget=DateInput)
    items = forms.MultipleChoiceField(
        label=_("Prestations prescrites"),
        choices=PRESTATION_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["identity_status"]

    @property
    def patient_fields(self) -> dict[str, Any]:
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("prescription_date", "items")
        }


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


class ProfessionalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} ({obj.get_profession_display()})"


class ActBookForm(DsfrFormMixin, forms.Form):
    """Book an act: prescribed prestations only (PSG-04), qualified members of the structure
    (PSG-12/13); the service checks every rule again."""

    kind = forms.ChoiceField(label=_("Prestation"))
    professional = ProfessionalChoiceField(
        label=_("Professionnel"), queryset=User.objects.none(), to_field_name="public_id"
    )
    starts_at = forms.DateTimeField(label=_("Date et heure"), widget=DateTimeInput)
    mode = forms.ChoiceField(label=_("Modalité"), choices=ActMode.choices)
    place = forms.CharField(
        label=_("Lieu"),
        max_length=250,
        required=False,
        help_text=_("Adresse du rendez-vous en présentiel."),
    )
    amount = forms.DecimalField(
        label=_("Montant (€)"), max_digits=8, decimal_places=2, required=False
    )

    def __init__(
        self,
        *args: Any,
        items: list[str],
        professionals: QuerySet[User],
        params: PsgacParameters | None,
        contract_rates: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(code, PRESTATIONS[code].label) for code in items if code in PRESTATIONS]
        cast("forms.ChoiceField", self.fields["kind"]).choices = choices
        cast("forms.ModelChoiceField[User]", self.fields["professional"]).queryset = professionals
        notes = [str(_("Laissé vide : le tarif du contrat du professionnel, à défaut le maximum."))]
        if params is not None:
            # PSG-07/08: the maximum rate the structure may pay.
            notes.append(
                _("Au plus %(assessment)s € par bilan et %(followup)s € par consultation de suivi.")
                % {
                    "assessment": euros(params.assessment_max_rate),
                    "followup": euros(params.followup_max_rate),
                }
            )
        # The professional is chosen in the same form: every contract rate is listed.
        notes += contract_rates or []
        self.fields["amount"].help_text = " ".join(notes)


class ActCancelForm(DsfrFormMixin, forms.Form):
    reason = forms.CharField(label=_("Motif de l'annulation"), max_length=1000)


class ReassignForm(DsfrFormMixin, forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Nouvelle structure porteuse"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
    )
    reason = forms.CharField(
        label=_("Motif de la réattribution"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Il figure dans la chronologie du parcours."),
    )

    def __init__(self, *args: Any, structures: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ModelChoiceField[Organisation]", self.fields["structure"]).queryset = structures


class ActRescheduleForm(DsfrFormMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Nouvelle date et heure"),
        widget=DateTimeInput,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
    )


class ReferForm(DsfrFormMixin, forms.Form):
    """An orientation towards supportive care: from a directory offer (``offer`` set by the
    directory's search page) or a provider named by hand. APA sessions go here (PSG-11)."""

    offer = forms.UUIDField(required=False, widget=forms.HiddenInput)
    care_type = forms.ChoiceField(
        label=_("Soin de support"), choices=[("", "—"), *CareType.choices], required=False
    )
    provider_name = forms.CharField(
        label=_("Structure ou professionnel"),
        max_length=200,
        required=False,
        help_text=_("Par exemple le club sport-santé ou l'association qui accueille le patient."),
    )
    note = forms.CharField(
        label=_("Remarque"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
