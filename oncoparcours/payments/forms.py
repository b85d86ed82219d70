from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.core.forms import DsfrFormMixin

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month as "2026-06" (the browser's month input), cleaned to its first day."""

    widget = MONTH_WIDGET

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m", "%m/%Y"])
        super().__init__(**kwargs)


class MonthFilterForm(DsfrFormMixin, forms.Form):
    mois = MonthField(label=_("Mois"), required=False)


class PrepareForm(DsfrFormMixin, forms.Form):
    month = MonthField(label=_("Mois des relevés"))


class MarkPaidForm(DsfrFormMixin, forms.Form):
    paid_on = forms.DateField(label=_("Date du paiement"), widget=DATE_WIDGET)
    reference = forms.CharField(
        label=_("Référence du paiement"),
        max_length=100,
        help_text=_("Référence du virement ou numéro de chèque."),
    )
