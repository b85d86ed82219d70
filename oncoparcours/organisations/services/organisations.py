"""Writes on organisations.

Permission checks are the caller's (views and API use ``permissions.py``); these functions hold
the rules that must hold whoever calls them. Every validation error is collected before anything
is written, so a form shows them all at once.
"""

import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import ROLES, OrgKind, RoleCode
from oncoparcours.core.errors import Errors
from oncoparcours.core.identifiers import clean_finess, clean_postal_code, clean_siret
from oncoparcours.organisations.models import Organisation, StructureType
from oncoparcours.territories.models import Commune
from oncoparcours.territories.selectors import commune_for_postal_code, commune_get

EDITABLE_FIELDS = (
    "name",
    "kind",
    "structure_type",
    "finess_ej",
    "finess_et",
    "siret",
    "address",
    "postal_code",
    "commune_insee",
    "phone",
    "email",
    "serves_adults",
    "serves_aja",
    "serves_children",
)
_PHONE = re.compile(r"^\+?[0-9 .()\-]{6,20}$")


@transaction.atomic
def organisation_create(
    *,
    by: Membership,
    name: str,
    kind: str,
    structure_type: str = "",
    finess_ej: str = "",
    finess_et: str = "",
    siret: str = "",
    address: str = "",
    postal_code: str = "",
    commune_insee: str = "",
    phone: str = "",
    email: str = "",
    serves_adults: bool = True,
    serves_aja: bool = False,
    serves_children: bool = False,
) -> Organisation:
    values = _clean_organisation(
        {
            "name": name,
            "kind": kind,
            "structure_type": structure_type,
            "finess_ej": finess_ej,
            "finess_et": finess_et,
            "siret": siret,
            "address": address,
            "postal_code": postal_code,
            "commune_insee": commune_insee,
            "phone": phone,
            "email": email,
            "serves_adults": serves_adults,
            "serves_aja": serves_aja,
            "serves_children": serves_children,
        },
        instance=None,
        by=by,
        where="organisation_create",
    )
    organisation = Organisation(**values)
    _save_unique(organisation, by=by, where="organisation_create")
    return organisation


@transaction.atomic
def organisation_update(
    *, by: Membership, organisation: Organisation, **fields: Any
) -> Organisation:
    """Changes the given fields; the whole organisation is validated again as it would become."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() got unexpected fields: {sorted(unknown)}")
    current: dict[str, Any] = {
        field: getattr(organisation, field) for field in EDITABLE_FIELDS if field != "commune_insee"
    }
    current["commune_insee"] = organisation.commune_id or ""
    values = _clean_organisation(
        {**current, **fields}, instance=organisation, by=by, where="organisation_update"
    )
    for field, value in values.items():
        setattr(organisation, field, value)
    _save_unique(organisation, by=by, where="organisation_update")
    return organisation


@transaction.atomic
def organisation_archive(*, by: Membership, organisation: Organisation) -> Organisation:
    """Archived organisations leave lists and their members lose access; nothing is deleted."""
    errors = Errors()
    if organisation.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette organisation est déjà archivée."),
            "organisation.already_archived",
        )
    if by.organisation_id == organisation.pk:
        errors.new(
            NON_FIELD_ERRORS,
            _("Vous ne pouvez pas archiver l'organisation au titre de laquelle vous agissez."),
            "organisation.archive_own",
        )
    errors.raise_if_any(where="organisation_archive", by=by)
    organisation.archived_at = timezone.now()
    organisation.save(update_fields=["archived_at", "updated_at"])
    return organisation


def _clean_organisation(
    data: dict[str, Any], *, instance: Organisation | None, by: Membership, where: str
) -> dict[str, Any]:
    """The model values for ``data``, or a ValidationError listing every problem."""
    errors = Errors()
    if instance is not None and instance.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette organisation est archivée : elle ne peut plus être modifiée."),
            "organisation.archived",
        )

    name = str(data["name"] or "").strip()
    if not name:
        errors.new("name", _("Indiquez la raison sociale."), "organisation.name.required")
    elif len(name) > 200:
        errors.new(
            "name",
            _("La raison sociale ne peut pas dépasser 200 caractères."),
            "organisation.name.too_long",
        )

    kind = str(data["kind"] or "")
    if kind not in OrgKind:
        errors.new("kind", _("Choisissez un type d'organisation."), "organisation.kind.invalid")
    elif instance is not None and kind != instance.kind:
        _check_kind_change(errors, instance, OrgKind(kind))

    structure_type = str(data["structure_type"] or "")
    if kind == OrgKind.STRUCTURE_PORTEUSE:
        if not structure_type:
            errors.new(
                "structure_type",
                _("Indiquez la forme de la structure porteuse (association, MSP, CPTS…)."),
                "organisation.structure_type.required",
            )
        elif structure_type not in StructureType.values:
            errors.new(
                "structure_type",
                _("Forme de structure porteuse inconnue."),
                "organisation.structure_type.invalid",
            )
    elif structure_type and kind in OrgKind:
        errors.new(
            "structure_type",
            _("La forme de structure ne s'indique que pour une structure porteuse."),
            "organisation.structure_type.not_applicable",
        )

    identifiers: dict[str, str | None] = {}
    for field, clean in (
        ("finess_ej", clean_finess),
        ("finess_et", clean_finess),
        ("siret", clean_siret),
    ):
        raw = str(data[field] or "").strip()
        identifiers[field] = errors.clean(field, clean, raw) if raw else ""
    _check_unique(errors, identifiers, instance=instance)

    address = str(data["address"] or "").strip()
    if len(address) > 250:
        errors.new(
            "address",
            _("L'adresse ne peut pas dépasser 250 caractères."),
            "organisation.address.too_long",
        )
    postal_code, commune = _clean_place(
        errors, str(data["postal_code"] or "").strip(), str(data["commune_insee"] or "").strip()
    )

    phone = str(data["phone"] or "").strip()
    if phone and not _PHONE.match(phone):
        errors.new(
            "phone",
            _("Le numéro de téléphone n'est pas valide (ex. 04 72 00 00 00)."),
            "organisation.phone.invalid",
        )
    email = str(data["email"] or "").strip().lower()
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            errors.new(
                "email",
                _("L'adresse électronique n'est pas valide (ex. contact@structure.fr)."),
                "organisation.email.invalid",
            )

    audiences = {f: bool(data[f]) for f in ("serves_adults", "serves_aja", "serves_children")}
    if kind == OrgKind.STRUCTURE_PORTEUSE and not any(audiences.values()):
        # PSG-19: a structure porteuse serves adults, AJA, children, or several of them.
        errors.new(
            NON_FIELD_ERRORS,
            _("Indiquez au moins un public accueilli (adultes, AJA ou enfants)."),
            "organisation.audience.required",
        )

    errors.raise_if_any(where=where, by=by)
    return {
        "name": name,
        "kind": kind,
        "structure_type": structure_type if kind == OrgKind.STRUCTURE_PORTEUSE else "",
        **identifiers,
        "address": address,
        "postal_code": postal_code,
        "commune": commune,
        "phone": phone,
        "email": email,
        **audiences,
    }


def _check_kind_change(errors: Errors, organisation: Organisation, kind: OrgKind) -> None:
    """A kind change must not leave members in roles the new kind cannot hold."""
    now = timezone.now()
    held = set(organisation.memberships.exclude(ended_at__lte=now).values_list("role", flat=True))
    incompatible = sorted(
        str(ROLES[RoleCode(role)].label)
        for role in held
        if kind not in ROLES[RoleCode(role)].org_kinds
    )
    if incompatible:
        errors.new(
            "kind",
            _(
                "Impossible de changer le type : des membres ont un rôle incompatible avec "
                "ce type (%(roles)s). Mettez d'abord fin à ces rôles."
            ),
            "organisation.kind.members_incompatible",
            roles=", ".join(incompatible),
        )
    if organisation.kind == OrgKind.STRUCTURE_PORTEUSE and (
        organisation.patients.exists() or organisation.territories.exists()
    ):
        errors.new(
            "kind",
            _(
                "Impossible de changer le type : cette structure porteuse suit des patients "
                "ou a des territoires d'intervention."
            ),
            "organisation.kind.structure_in_use",
        )


def _check_unique(
    errors: Errors, identifiers: dict[str, str | None], *, instance: Organisation | None
) -> None:
    """FINESS ET and SIRET identify one organisation each (FINESS EJ is shared by sites)."""
    messages = {
        "finess_et": _(
            "Le FINESS géographique %(value)s est déjà celui de l'organisation « %(name)s »."
        ),
        "siret": _("Le SIRET %(value)s est déjà celui de l'organisation « %(name)s »."),
    }
    for field, message in messages.items():
        value = identifiers.get(field)
        if not value:
            continue
        existing = Organisation.objects.filter(**{field: value})
        if instance is not None:
            existing = existing.exclude(pk=instance.pk)
        other = existing.only("name").first()
        if other is not None:
            errors.new(
                field, message, f"organisation.{field}.duplicate", value=value, name=other.name
            )


def _clean_place(errors: Errors, postal_code: str, insee_code: str) -> tuple[str, Commune | None]:
    """The postal code must exist in AURA and belong to the commune, when both are given."""
    if postal_code:
        cleaned = errors.clean("postal_code", clean_postal_code, postal_code)
        if cleaned is None:
            return postal_code, None
        try:
            return cleaned, commune_for_postal_code(cleaned, insee_code or None)
        except ValidationError as exc:
            # "Several communes, say which one" is answered in the commune field.
            ambiguous = getattr(exc, "code", None) == "identifier.postal_code.ambiguous"
            errors.add("commune_insee" if ambiguous else "postal_code", exc)
            return cleaned, None
    if insee_code:
        commune = commune_get(insee_code)
        if commune is None:
            errors.new(
                "commune_insee",
                _("Aucune commune d'Auvergne-Rhône-Alpes n'a le code INSEE %(value)s."),
                "organisation.commune.unknown",
                value=insee_code,
            )
        return "", commune
    return "", None


def _save_unique(organisation: Organisation, *, by: Membership, where: str) -> None:
    """Saves; a concurrent duplicate caught by the database is refused like any other."""
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        errors = Errors()
        _check_unique(
            errors,
            {"finess_et": organisation.finess_et, "siret": organisation.siret},
            instance=organisation if organisation.pk else None,
        )
        if not errors.by_field:
            raise
        errors.raise_if_any(where=where, by=by)
