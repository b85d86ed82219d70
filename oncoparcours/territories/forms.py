from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.codes import parse_commune_codes
from oncoparcours.territories.selectors import commune_codes_resolve
from oncoparcours.territories.services.territories import NAME_MAX_LENGTH

# Service field names -> form field names, to show service refusals next to the right input.
SERVICE_FIELDS = {"commune_codes": "communes", "structure": "structure", "name": "name"}


class CommuneSearchForm(DsfrFormMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Nom, code postal ou code INSEE"),
        required=False,
        max_length=100,
    )


class TerritoryForm(DsfrFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Nom du territoire"), max_length=NAME_MAX_LENGTH)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    communes = forms.CharField(
        label=gettext_lazy(
            "Communes : codes INSEE ou codes postaux, séparés par des virgules ou des retours "
            "à la ligne"
        ),
        help_text=gettext_lazy(
            "Un code postal ajoute toutes ses communes. Si un code est à la fois un code INSEE "
            "et un code postal, précisez « insee:01400 » ou « cp:01400 »."
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def clean_communes(self) -> list[str]:
        """INSEE codes; unknown codes are passed on so the service reports them all at once."""
        parsed = parse_commune_codes(self.cleaned_data["communes"])
        if parsed.invalid:
            raise ValidationError(
                _("Ces saisies ne sont ni des codes INSEE ni des codes postaux : %(tokens)s."),
                code="territory.communes.invalid",
                params={"tokens": ", ".join(parsed.invalid)},
            )
        resolution = commune_codes_resolve(parsed.entries)
        if resolution.ambiguous:
            raise ValidationError(
                _(
                    "Ces codes sont à la fois un code INSEE et un code postal : %(codes)s. "
                    "Écrivez « insee:%(example)s » ou « cp:%(example)s »."
                ),
                code="territory.communes.ambiguous",
                params={
                    "codes": ", ".join(resolution.ambiguous),
                    "example": resolution.ambiguous[0],
                },
            )
        return resolution.insee_codes + resolution.unknown

    def add_service_errors(self, exc: ValidationError) -> None:
        for field, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else []:
            target = SERVICE_FIELDS.get(field)
            if target not in self.fields:
                target = None
            for error in errors:
                self.add_error(target, error)
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)


class AdminTerritoryForm(TerritoryForm):
    """Admins act for any structure porteuse, so they choose it."""

    structure = forms.ModelChoiceField(
        label=gettext_lazy("Structure porteuse"),
        queryset=Organisation.objects.filter(
            kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True
        ).order_by("name"),
        empty_label=gettext_lazy("Choisir une structure porteuse"),
    )
    field_order = ["structure", "name", "description", "communes"]
