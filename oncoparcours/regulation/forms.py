from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.core.forms import DsfrFormMixin


class ParameterVersionForm(DsfrFormMixin, forms.Form):
    """Shape only; the rules (dates, integers, overlap) are the service's."""

    value = forms.DecimalField(
        label=_("Nouvelle valeur"),
        help_text=_("En euros pour un montant (ex. 22,50), nombre entier sinon."),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        # French decimal comma: "22,50" as well as "22.50".
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    effective_from = forms.DateField(
        label=_("En vigueur à partir du"),
        help_text=_("Format : jj/mm/aaaa. La version en vigueur prend fin la veille."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.CharField(
        label=_("Texte de référence"),
        help_text=_("Arrêté, décret ou décision qui fixe cette valeur (intitulé, date, NOR)."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
