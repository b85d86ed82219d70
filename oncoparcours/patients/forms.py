"""Forms parse what was typed; the rules (identifiers, dates, duplicates, consents) are the
services'. Fields are lenient on purpose, so that one submission reaches the service and the
person sees every problem at once, each next to its field."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.patients.models import (
    ConsentGiver,
    ConsentScope,
    IdentityStatus,
    InsKind,
    Patient,
    Sex,
    TreatmentType,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date(label: "StrPromise", **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label, required=False, widget=_DATE, input_formats=_DATE_FORMATS, **kwargs
    )


class PatientFields(forms.Form):
    birth_name = forms.CharField(label=_("Nom de naissance"), required=False)
    first_given_name = forms.CharField(label=_("Premier prénom de naissance"), required=False)
    birth_given_names = forms.CharField(
        label=_("Prénoms de naissance"),
        required=False,
        help_text=_(
            "Tous les prénoms de l'acte de naissance, dans l'ordre, séparés par un espace."
        ),
    )
    used_name = forms.CharField(label=_("Nom utilisé"), required=False)
    birth_date = _date(_("Date de naissance"))
    sex = forms.ChoiceField(
        label=_("Sexe"), choices=[("", _("— Choisir —")), *Sex.choices], required=False
    )
    birth_place_insee_code = forms.CharField(
        label=_("Code INSEE du lieu de naissance"),
        required=False,
        help_text=_("Commune de naissance (ex. 69123) ou 99 + code du pays (ex. 99134)."),
    )
    ins_matricule = forms.CharField(
        label=_("Matricule INS"),
        required=False,
        help_text=_("NIR ou NIA : 15 caractères, espaces acceptés."),
    )
    ins_kind = forms.ChoiceField(
        label=_("Type de matricule INS"),
        choices=[("", _("— Sans matricule —")), *InsKind.choices],
        required=False,
    )
    identity_status = forms.ChoiceField(
        label=_("Statut de l'identité"), choices=IdentityStatus.choices, required=False
    )
    commune_insee = forms.CharField(
        label=_("Code INSEE de la commune de résidence"),
        required=False,
        help_text=_("Voir la recherche de communes (ex. 69266 pour Villeurbanne)."),
    )
    address = forms.CharField(label=_("Adresse"), required=False)
    phone = forms.CharField(label=_("Téléphone"), required=False)
    email = forms.CharField(
        label=_("Adresse électronique"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    gp_name = forms.CharField(label=_("Médecin traitant"), required=False)
    gp_rpps = forms.CharField(
        label=_("RPPS du médecin traitant"), required=False, help_text=_("11 chiffres.")
    )
    ald_cancer = forms.BooleanField(
        label=_("Le patient est en ALD pour son cancer"), required=False
    )
    ald_start_date = _date(_("Début de l'ALD"))
    cancer_site = forms.CharField(
        label=_("Localisation du cancer (code CIM-10)"),
        required=False,
        help_text=_("Ex. C50 ou C50.9 (tumeur maligne C00 à C97, in situ D00 à D09)."),
    )
    diagnosis_date = _date(_("Date du diagnostic"))
    active_treatment_end_date = _date(_("Fin du traitement actif"))
    treatment_types = forms.MultipleChoiceField(
        label=_("Traitements reçus"),
        choices=TreatmentType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PatientForm(DsfrFormMixin, PatientFields):
    """``ask_confirmation`` adds the box a coordinator ticks when the service has found a
    patient with the same strict traits and they know it is another person."""

    def __init__(self, *args: Any, ask_confirmation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ask_confirmation:
            self.ask_confirmation()

    def ask_confirmation(self) -> None:
        self.fields["confirm_not_duplicate"] = forms.BooleanField(
            label=_("Je confirme qu'il s'agit d'un autre patient"), required=False
        )

    @property
    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["confirm_not_duplicate"] = bool(data.get("confirm_not_duplicate"))
        data["identity_status"] = data.get("identity_status") or IdentityStatus.PROVISIONAL
        return data

    @classmethod
    def initial_for(cls, patient: Patient) -> dict[str, Any]:
        initial = {
            name: getattr(patient, name) for name in cls.base_fields if name != "commune_insee"
        }
        initial["commune_insee"] = patient.commune_id
        return initial


class _ConsentFields(forms.Form):
    scope = forms.ChoiceField(
        label=_("Objet du consentement"), choices=[("", _("— Choisir —")), *ConsentScope.choices]
    )
    given_at = _date(_("Date du recueil"))
    given_by = forms.ChoiceField(
        label=_("Consentement donné par"),
        choices=ConsentGiver.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    representative_name = forms.CharField(
        label=_("Nom du représentant légal"),
        required=False,
        help_text=_("Obligatoire si le consentement est donné par le représentant légal."),
    )
    note = forms.CharField(label=_("Remarque"), required=False, widget=forms.Textarea({"rows": 3}))


class ConsentForm(DsfrFormMixin, _ConsentFields):
    pass


class _WithdrawalFields(forms.Form):
    withdrawn_at = _date(_("Date du retrait"), help_text=_("Aujourd'hui si vide."))
    note = forms.CharField(
        label=_("Motif du retrait"), required=False, widget=forms.Textarea({"rows": 3})
    )


class WithdrawalForm(DsfrFormMixin, _WithdrawalFields):
    pass
