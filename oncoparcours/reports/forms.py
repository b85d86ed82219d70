from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.core.forms import DsfrFormMixin


class ResendForm(DsfrFormMixin, forms.Form):
    """The address is asked only when it is unknown; the rules are ``report_resend``'s."""

    address = forms.CharField(
        label=_("Adresse de messagerie sécurisée (MSSanté)"),
        max_length=254,
        required=False,
        help_text=_("Elle sera reprise pour les prochains comptes rendus de ce patient."),
    )
