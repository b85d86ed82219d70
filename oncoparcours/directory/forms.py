"""Forms of the directory pages. They parse what was typed; the rules are the services' and the
search selector's, whose refusals are shown next to the right field.

The public search form is a GET form with short French parameter names: its URLs are shared
and bookmarked by patients and professionals.
"""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import User
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.directory.catalogue import (
    LANGUAGES,
    Audience,
    CareType,
    Cost,
    DeliveryMode,
    GroupFormat,
    Moment,
    Source,
)
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.selectors import department_list

RADIUS_CHOICES = [
    ("", _("Sans limite de distance")),
    ("5", _("5 km")),
    ("10", _("10 km")),
    ("20", _("20 km")),
    ("30", _("30 km")),
    ("50", _("50 km")),
    ("100", _("100 km")),
]
DEFAULT_RADIUS = "30"
# Bounds of the lat/lon the browser may send: a wide box around the region, so that a
# position just across a border still works while nonsense is refused.
LAT_RANGE = (42.0, 49.0)
LON_RANGE = (-1.0, 9.5)
# "Lyon (69123)": how the commune suggestions and the pre-filled pathway commune read.
_NAME_WITH_INSEE = re.compile(r"^.*\((\d[\dAB]\d{3})\)\s*$")


def _blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class SearchForm(DsfrFormMixin, forms.Form):
    """Maps the page's parameters to ``offer_search`` arguments (``SELECTOR_FIELDS``)."""

    type = forms.ChoiceField(
        label=_("Soin de support"),
        choices=_blank(_("Tous les soins de support")) + list(CareType.choices),
        required=False,
    )
    lieu = forms.CharField(
        label=_("Commune ou code postal"),
        help_text=_("Ex. : Saint-Étienne, 69003"),
        required=False,
        max_length=100,
    )
    rayon = forms.ChoiceField(label=_("Distance maximale"), choices=RADIUS_CHOICES, required=False)
    public = forms.ChoiceField(
        label=_("Public"),
        choices=_blank(_("Tous les publics")) + list(Audience.choices),
        required=False,
    )
    cout = forms.ChoiceField(
        label=_("Coût pour la personne"),
        choices=_blank(_("Tous")) + list(Cost.choices),
        required=False,
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=_blank(_("Individuel ou collectif")) + list(GroupFormat.choices),
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("Modalité"),
        choices=_blank(_("Toutes les modalités")) + list(DeliveryMode.choices),
        required=False,
    )
    q = forms.CharField(
        label=_("Mots-clés"),
        help_text=_("Dans l'intitulé ou le nom de la structure"),
        required=False,
        max_length=100,
    )
    lat = forms.FloatField(
        required=False,
        widget=forms.HiddenInput,
        min_value=LAT_RANGE[0],
        max_value=LAT_RANGE[1],
    )
    lon = forms.FloatField(
        required=False,
        widget=forms.HiddenInput,
        min_value=LON_RANGE[0],
        max_value=LON_RANGE[1],
    )
    parcours = forms.UUIDField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    # offer_search argument → form field, to show the selector's refusals in the right place.
    SELECTOR_FIELDS = {
        "care_types": "type",
        "audience": "public",
        "costs": "cout",
        "group_format": "format",
        "delivery_mode": "mode",
        "text": "q",
        "radius_km": "rayon",
        "origin": "lieu",
        "place": "lieu",
        "page": None,
        "page_size": None,
    }
    CRITERIA = ("type", "lieu", "public", "cout", "format", "mode", "q", "lat", "lon")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lieu"].widget.attrs.update(
            {"autocomplete": "off", "list": "commune-suggestions"}
        )
        for name in ("lat", "lon"):
            self.fields[name].error_messages["min_value"] = _("Position hors de la région.")
            self.fields[name].error_messages["max_value"] = _("Position hors de la région.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(
                _("La position transmise par le navigateur est incomplète."),
                code="directory.search.origin",
            )
        return data

    def general_errors(self) -> list[str]:
        """Errors with no visible field to sit next to: the form's own and the hidden inputs'
        (a position or page number from a tampered or outdated URL)."""
        errors = [str(error) for error in self.non_field_errors()]
        for field in self.hidden_fields():
            errors.extend(str(error) for error in field.errors)
        return errors

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(name) not in (None, "") for name in self.CRITERIA)

    def add_selector_errors(self, exc: ValidationError) -> None:
        error_dict = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
        for field, errors in error_dict.items():
            target = self.SELECTOR_FIELDS.get(field, None)
            for error in errors:
                self.add_error(target if target in self.fields else None, error)


class CommuneField(forms.CharField):
    """An INSEE code, typed as is or picked in the suggestions as « Lyon (69123) »."""

    def to_python(self, value: Any) -> str:
        text = str(super().to_python(value)).strip()
        match = _NAME_WITH_INSEE.match(text)
        return (match.group(1) if match else text).upper()


def _checkboxes(label: Any, choices: Any, required: bool = True) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, widget=forms.CheckboxSelectMultiple, required=required
    )


class OfferFields(forms.Form):
    """The services' input vocabulary (``OFFER_FIELDS``), one field each."""

    title = forms.CharField(label=_("Intitulé de l'offre"), max_length=200)
    care_type = forms.ChoiceField(label=_("Soin de support"), choices=CareType.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    audiences = _checkboxes(_("Public"), Audience.choices)
    moment = forms.ChoiceField(label=_("Moment du parcours"), choices=Moment.choices)
    group_formats = _checkboxes(_("Format"), GroupFormat.choices)
    delivery_modes = _checkboxes(_("Modalité"), DeliveryMode.choices)
    cost = forms.ChoiceField(label=_("Coût pour la personne"), choices=Cost.choices)
    requires_prescription = forms.BooleanField(label=_("Sur prescription médicale"), required=False)
    provider_name = forms.CharField(
        label=_("Proposée par"),
        required=False,
        max_length=200,
        help_text=_("Nom affiché ; par défaut celui de la structure ou du professionnel."),
    )
    provider_organisation = forms.ModelChoiceField(
        label=_("Structure (compte OncoParcours)"),
        queryset=Organisation.objects.filter(archived_at__isnull=True).order_by("name"),
        required=False,
        empty_label=_("— Aucune —"),
    )
    provider_professional = forms.EmailField(
        label=_("Professionnel (adresse électronique de son compte OncoParcours)"),
        required=False,
    )
    address = forms.CharField(label=_("Adresse"), required=False, max_length=250)
    postal_code = forms.CharField(label=_("Code postal"), required=False, max_length=5)
    commune_insee = CommuneField(
        label=_("Commune (code INSEE)"),
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "list": "commune-suggestions",
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("directory:commune-suggestions"),
            }
        ),
        help_text=_("Tapez le nom ou le code et choisissez dans la liste, ex. « Lyon (69123) »."),
    )
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        help_text=_("Vide : la position de la mairie de la commune est utilisée."),
    )
    longitude = forms.FloatField(label=_("Longitude"), required=False)
    accessible = forms.BooleanField(
        label=_("Accessible aux personnes à mobilité réduite"), required=False
    )
    accessibility_notes = forms.CharField(
        label=_("Précisions sur l'accessibilité"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    languages = _checkboxes(_("Langues"), list(LANGUAGES.items()), required=False)
    phone = forms.CharField(label=_("Téléphone"), required=False, max_length=20)
    email = forms.CharField(label=_("Adresse électronique"), required=False, max_length=254)
    mssante_email = forms.CharField(
        label=_("Messagerie sécurisée de santé (MSSanté)"), required=False, max_length=254
    )
    website = forms.CharField(label=_("Site internet"), required=False, max_length=300)
    opening_hours = forms.CharField(
        label=_("Horaires"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    inclusion_criteria_met = forms.BooleanField(
        label=_("Critères nationaux d'inclusion remplis"), required=False
    )
    last_verified_at = forms.DateField(
        label=_("Dernière vérification"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Source.choices)

    def clean_provider_professional(self) -> User | None:
        email = self.cleaned_data.get("provider_professional") or ""
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(
                _("Aucun compte OncoParcours actif n'a cette adresse électronique."),
                code="directory.provider_professional.unknown",
            )
        return user

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values, in the services' vocabulary."""
        return {name: self.cleaned_data[name] for name in self.fields if name != "note"}

    def add_service_errors(self, exc: ValidationError) -> None:
        error_dict = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
        for field, errors in error_dict.items():
            target = field if field in self.fields else None
            for error in errors:
                self.add_error(target, error)


class OfferForm(DsfrFormMixin, OfferFields):
    @staticmethod
    def initial_from(values: dict[str, Any]) -> dict[str, Any]:
        """The services' current values (``offer_form_initial``) as this form shows them."""
        initial = dict(values)
        professional = initial.get("provider_professional")
        if isinstance(professional, User):
            initial["provider_professional"] = professional.email
        return initial


# What a provider may not change by a proposal: who provides, and what only an editor vouches
# for (PROPOSABLE_FIELDS in the services).
NOT_PROPOSABLE = (
    "provider_organisation",
    "provider_professional",
    "source",
    "last_verified_at",
    "inclusion_criteria_met",
)


class ProposalForm(DsfrFormMixin, OfferFields):
    note = forms.CharField(
        label=_("Commentaire pour l'équipe du répertoire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in NOT_PROPOSABLE:
            del self.fields[name]

    def changes_from(self, current: dict[str, Any]) -> dict[str, Any]:
        """Only what differs from the offer, as JSON values (a proposal is stored as JSON)."""
        changes: dict[str, Any] = {}
        for name, value in self.service_fields().items():
            before = current.get(name)
            if _comparable(value) != _comparable(before):
                changes[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return changes


def _comparable(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if value is None:
        return ""
    return value


class DecisionForm(DsfrFormMixin, forms.Form):
    note = forms.CharField(
        label=_("Motif ou commentaire"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoire pour refuser : il est transmis au fournisseur."),
    )


class EditorFilterForm(DsfrFormMixin, forms.Form):
    type = forms.ChoiceField(
        label=_("Soin de support"),
        choices=_blank(_("Tous")) + list(CareType.choices),
        required=False,
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    q = forms.CharField(label=_("Intitulé ou structure"), required=False, max_length=100)
    a_verifier = forms.BooleanField(label=_("À vérifier uniquement"), required=False)
    archivees = forms.BooleanField(label=_("Offres archivées"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = department_choices(_("Tous"))  # type: ignore[attr-defined]


def department_choices(blank_label: Any) -> list[tuple[str, Any]]:
    return _blank(blank_label) + [(d.code, f"{d.code} — {d.name}") for d in department_list()]


class ImportForm(DsfrFormMixin, forms.Form):
    MAX_BYTES = 5 * 1024 * 1024

    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Séparateur « ; », encodage UTF-8, une ligne d'en-têtes (voir le modèle exporté)."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise ValidationError(
                _("Le fichier dépasse %(max)s Mo."),
                code="directory.import.too_large",
                params={"max": self.MAX_BYTES // (1024 * 1024)},
            )
        return upload


class CoverageFilterForm(DsfrFormMixin, forms.Form):
    departement = forms.ChoiceField(label=_("Département"), required=False)
    public = forms.ChoiceField(
        label=_("Public des offres"),
        choices=_blank(_("Tous les publics")) + list(Audience.choices),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departement"].choices = department_choices(  # type: ignore[attr-defined]
            _("Choisir un département")
        )
