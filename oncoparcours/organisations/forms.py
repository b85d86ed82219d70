"""Forms parse what was typed; the rules (identifiers, duplicates, postal code) are the services'.

Fields are lenient on purpose, so that one submission reaches the service and the person sees
every problem at once, each next to its field.
"""

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.forms import QueuedPasswordResetForm
from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import ROLES, OrgKind
from oncoparcours.core.forms import DsfrFormMixin
from oncoparcours.organisations.models import ORG_KIND_CHOICES, Organisation, StructureType
from oncoparcours.organisations.permissions import can_grant_role
from oncoparcours.territories.selectors import department_list


class _OrganisationFields(forms.Form):
    name = forms.CharField(label=_("Raison sociale"))
    kind = forms.ChoiceField(label=_("Type d'organisation"), choices=ORG_KIND_CHOICES)
    structure_type = forms.ChoiceField(
        label=_("Forme de la structure porteuse"),
        choices=[("", _("— Sans objet —")), *StructureType.choices],
        required=False,
        help_text=_("Obligatoire pour une structure porteuse, vide sinon."),
    )
    finess_ej = forms.CharField(
        label=_("FINESS juridique (EJ)"), required=False, help_text=_("9 caractères.")
    )
    finess_et = forms.CharField(
        label=_("FINESS géographique (ET)"), required=False, help_text=_("9 caractères.")
    )
    siret = forms.CharField(
        label=_("SIRET"), required=False, help_text=_("14 chiffres (SIREN + NIC).")
    )
    address = forms.CharField(label=_("Adresse"), required=False)
    postal_code = forms.CharField(label=_("Code postal"), required=False)
    commune_insee = forms.CharField(
        label=_("Code INSEE de la commune"),
        required=False,
        help_text=_(
            "Facultatif quand le code postal ne dessert qu'une commune ; "
            "voir la recherche de communes."
        ),
    )
    phone = forms.CharField(label=_("Téléphone"), required=False)
    email = forms.CharField(
        label=_("Adresse électronique"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    serves_adults = forms.BooleanField(label=_("Accueille des adultes"), required=False)
    serves_aja = forms.BooleanField(
        label=_("Accueille des adolescents et jeunes adultes (AJA, 15-25 ans)"), required=False
    )
    serves_children = forms.BooleanField(label=_("Accueille des enfants"), required=False)

    def __init__(self, *args: Any, can_change_kind: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].disabled = not can_change_kind


class OrganisationForm(DsfrFormMixin, _OrganisationFields):
    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict[str, Any]:
        initial = {
            name: getattr(organisation, name) for name in cls.base_fields if name != "commune_insee"
        }
        initial["commune_insee"] = organisation.commune_id or ""
        return initial


class _OrganisationFilterFields(forms.Form):
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("Tous les types")), *ORG_KIND_CHOICES], required=False
    )
    department = forms.ChoiceField(label=_("Département"), required=False)
    q = forms.CharField(
        label=_("Recherche"),
        required=False,
        help_text=_("Nom, FINESS ou SIRET"),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Tous les départements")),
            *((d.code, f"{d.code} — {d.name}") for d in department_list()),
        ]


class OrganisationFilterForm(DsfrFormMixin, _OrganisationFilterFields):
    pass


class _MemberFields(forms.Form):
    email = forms.CharField(
        label=_("Adresse électronique"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    first_name = forms.CharField(
        label=_("Prénom"),
        required=False,
        help_text=_("Obligatoire si la personne n'a pas encore de compte."),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        required=False,
        help_text=_("Obligatoire si la personne n'a pas encore de compte."),
    )
    role = forms.ChoiceField(label=_("Rôle"))

    def __init__(
        self, *args: Any, organisation: Organisation, actor: Membership, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        kind = OrgKind(organisation.kind)
        field.choices = [
            (role.code.value, role.label)
            for role in ROLES.values()
            if kind in role.org_kinds and can_grant_role(actor, role.code)
        ]


class MemberForm(DsfrFormMixin, _MemberFields):
    pass


class PasswordSetEmailForm(QueuedPasswordResetForm):
    """The queued reset email, also for accounts that never had a password (new members)."""

    def get_users(self, email: str) -> Iterator[User]:
        yield from User.objects.filter(email__iexact=email, is_active=True)
