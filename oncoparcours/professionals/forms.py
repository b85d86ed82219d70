"""Forms parse what was typed; the rules (rates, overlap, identifiers, files) are the services'."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import Profession, User
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.professionals.models import ContractKind
from oncoparcours.professionals.selectors import qualification_category_list

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _ProfileFields(forms.Form):
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=[("", _("— Non renseignée —")), *Profession.choices],
        required=False,
    )
    rpps = forms.CharField(label=_("Numéro RPPS"), required=False, help_text=_("11 chiffres."))
    adeli = forms.CharField(
        label=_("Numéro ADELI"),
        required=False,
        help_text=_("9 caractères, si vous n'avez pas de RPPS."),
    )
    qualification_code = forms.ChoiceField(
        label=_("Catégorie de qualification APA (art. D.1172-2 CSP)"),
        required=False,
        help_text=_("Pour les professionnels de l'activité physique adaptée seulement."),
    )
    commune_insee = forms.CharField(label=_("Code INSEE de la commune d'exercice"), required=False)
    practice_address = forms.CharField(label=_("Adresse d'exercice"), required=False)
    video_consultations = forms.BooleanField(
        label=_("Consultations en vidéo possibles"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["qualification_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("— Sans objet —")),
            *((c.code, f"{c.legal_reference} — {c.label}") for c in qualification_category_list()),
        ]


class ProfileForm(DsfrFormMixin, _ProfileFields):
    pass


class _DiplomaFields(forms.Form):
    title = forms.CharField(label=_("Intitulé du diplôme"), max_length=250)
    issuer = forms.CharField(label=_("Organisme de délivrance"), max_length=250)
    obtained_on = forms.DateField(label=_("Date d'obtention"), widget=DATE_WIDGET)
    evidence = forms.FileField(
        label=_("Justificatif"),
        help_text=_("PDF, JPEG ou PNG, 10 Mo au plus. Transmis à l'ARS (PSG-15)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


class DiplomaForm(DsfrFormMixin, _DiplomaFields):
    pass


class _ContractFields(forms.Form):
    professional = forms.ChoiceField(label=_("Professionnel"))
    kind = forms.ChoiceField(label=_("Type de contrat"), choices=ContractKind.choices)
    start_date = forms.DateField(label=_("Date de début"), widget=DATE_WIDGET)
    end_date = forms.DateField(label=_("Date de fin"), required=False, widget=DATE_WIDGET)
    assessment_rate = forms.DecimalField(
        label=_("Tarif d'un bilan (€)"), help_text=_("Au plus le maximum réglementaire (PSG-07).")
    )
    followup_rate = forms.DecimalField(
        label=_("Tarif d'une consultation de suivi (€)"),
        help_text=_("Au plus le maximum réglementaire (PSG-08)."),
    )

    def __init__(self, *args: Any, professionals: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.professionals = {str(u.public_id): u for u in professionals}
        field = self.fields["professional"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, u.get_full_name()) for key, u in self.professionals.items()]

    def clean_professional(self) -> User:
        return self.professionals[self.cleaned_data["professional"]]


class ContractForm(DsfrFormMixin, _ContractFields):
    pass


class _ContractEndFields(forms.Form):
    end_date = forms.DateField(label=_("Date de fin"), widget=DATE_WIDGET)


class ContractEndForm(DsfrFormMixin, _ContractEndFields):
    pass
