from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.funding.models import (
    COORDINATION_PURPOSE,
    FundingAllocation,
    PaymentKind,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import InterventionTerritory

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


def _structures() -> Any:
    return Organisation.objects.filter(
        kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True
    ).order_by("name")


class _TerritoryChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: InterventionTerritory) -> str:
        return f"{obj.structure.name} — {obj.name}"


class _ConventionFields(forms.Form):
    reference = forms.CharField(label=_("Référence"), max_length=64)
    structure = forms.ModelChoiceField(
        label=_("Structure porteuse"), queryset=Organisation.objects.none()
    )
    start_date = forms.DateField(label=_("Date de début"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Date de fin"), widget=DATE_WIDGET)
    territories = _TerritoryChoice(
        label=_("Territoires d'intervention couverts"),
        queryset=InterventionTerritory.objects.none(),
        help_text=_("Ceux de la structure porteuse."),
    )
    expected_patients_per_year = forms.IntegerField(
        label=_("Patients attendus par an"), min_value=1
    )
    report_due_day = forms.IntegerField(
        label=_("Rapport annuel à remettre le (jour)"), min_value=1, max_value=31
    )
    report_due_month = forms.IntegerField(
        label=_("Rapport annuel à remettre le (mois)"), min_value=1, max_value=12
    )
    funding_terms = forms.CharField(
        label=_("Modalités de financement (PSG-16)"), required=False, widget=TEXT
    )
    information_to_doctors = forms.CharField(
        label=_("Informations transmises au prescripteur et au médecin traitant (PSG-16)"),
        required=False,
        widget=TEXT,
    )
    evaluation_data = forms.CharField(
        label=_("Données d'évaluation transmises à l'ARS (PSG-15)"),
        required=False,
        widget=TEXT,
    )

    def __init__(self, *args: Any, structure: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        structures = _structures()
        territories = InterventionTerritory.objects.filter(
            archived_at__isnull=True, structure__kind=OrgKind.STRUCTURE_PORTEUSE
        ).select_related("structure")
        if structure is not None:
            # An amendment: the structure of the convention it modifies.
            structures = structures.filter(pk=structure.pk)
            territories = territories.filter(structure=structure)
        self.fields["structure"].queryset = structures  # type: ignore[attr-defined]
        self.fields["territories"].queryset = territories.order_by(  # type: ignore[attr-defined]
            "structure__name", "name"
        )


class ConventionForm(DsfrFormMixin, _ConventionFields):
    pass


class _SignFields(forms.Form):
    signed_on = forms.DateField(label=_("Date de signature"), widget=DATE_WIDGET)


class ConventionSignForm(DsfrFormMixin, _SignFields):
    pass


class _EndFields(forms.Form):
    terminated_on = forms.DateField(label=_("Dernier jour de la convention"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Motif"), widget=TEXT)


class ConventionEndForm(DsfrFormMixin, _EndFields):
    pass


class _EnvelopeFields(forms.Form):
    year = forms.IntegerField(label=_("Année"))
    region = forms.CharField(label=_("Région"), max_length=100)
    label = forms.CharField(label=_("Intitulé"), max_length=200)
    amount = forms.DecimalField(label=_("Montant (€)"), max_digits=12, decimal_places=2)
    source_note = forms.CharField(
        label=_("Source du montant"),
        widget=TEXT,
        help_text=_("Décision ou document ; « [document de mission] » pour un chiffre à vérifier."),
    )


class EnvelopeForm(DsfrFormMixin, _EnvelopeFields):
    pass


class _AllocationFields(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Structure porteuse"), queryset=Organisation.objects.none()
    )
    amount = forms.DecimalField(label=_("Montant (€)"), max_digits=12, decimal_places=2)
    decided_on = forms.DateField(label=_("Date de la décision"), widget=DATE_WIDGET)
    purpose = forms.CharField(
        label=_("Objet"), max_length=200, required=False, initial=COORDINATION_PURPOSE
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = _structures()  # type: ignore[attr-defined]


class AllocationForm(DsfrFormMixin, _AllocationFields):
    pass


class _AllocationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: FundingAllocation) -> str:
        return f"{obj.envelope.year} — {obj.structure.name} — {obj.amount} €"


class _PaymentFields(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Structure porteuse"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Nature"), choices=PaymentKind.choices)
    allocation = _AllocationChoice(
        label=_("Allocation financée"),
        queryset=FundingAllocation.objects.none(),
        required=False,
        help_text=_("Pour un versement de coordination seulement."),
    )
    amount = forms.DecimalField(label=_("Montant (€)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("Date du versement"), widget=DATE_WIDGET)
    period_start = forms.DateField(label=_("Période couverte : du"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Période couverte : au"), widget=DATE_WIDGET)
    reference = forms.CharField(label=_("Référence du versement"), max_length=64)

    def __init__(self, *args: Any, allocations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = _structures()  # type: ignore[attr-defined]
        self.fields["allocation"].queryset = allocations  # type: ignore[attr-defined]


class PaymentForm(DsfrFormMixin, _PaymentFields):
    pass


class YearForm(forms.Form):
    annee = forms.IntegerField(min_value=2020, max_value=2100, required=False)
