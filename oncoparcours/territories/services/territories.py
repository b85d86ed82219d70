"""Writes of intervention territories: create, update, archive.

Who may call them is decided by ``territories.permissions`` in the interfaces; these functions
hold the rules on the data and refuse with a stable code and a French message.
"""

from collections.abc import Iterable
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.errors import log_refusal
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import Commune, InterventionTerritory

NAME_MAX_LENGTH = 200


def _refuse(*, where: str, by: Membership, errors: dict[str, list[ValidationError]]) -> NoReturn:
    exc = ValidationError(errors)
    log_refusal(
        where=f"territories.{where}",
        actor=by.public_id,
        codes=[e.code or "invalid" for errs in errors.values() for e in errs],
    )
    raise exc


def _normalise_codes(commune_codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(c.strip().upper() for c in commune_codes if c and c.strip()))


def _validate(
    *,
    structure: Organisation,
    name: str,
    codes: list[str],
    territory: InterventionTerritory | None,
) -> tuple[dict[str, list[ValidationError]], list[Commune]]:
    """The refusals, and the communes the codes designate."""
    errors: dict[str, list[ValidationError]] = {}
    communes: list[Commune] = []

    def add(field: str, message: str, code: str, **params: object) -> None:
        errors.setdefault(field, []).append(
            ValidationError(message, code=code, params=params or None)
        )

    if structure.kind != OrgKind.STRUCTURE_PORTEUSE:
        add(
            "structure",
            _("Seule une structure porteuse peut définir des territoires d'intervention."),
            "territory.structure.not_porteuse",
        )
    elif structure.archived_at is not None:
        add("structure", _("Cette structure est archivée."), "territory.structure.archived")

    if not name:
        add("name", _("Donnez un nom au territoire."), "territory.name.required")
    elif len(name) > NAME_MAX_LENGTH:
        add(
            "name",
            _("Le nom ne doit pas dépasser %(max)s caractères."),
            "territory.name.too_long",
            max=NAME_MAX_LENGTH,
        )
    else:
        same_name = InterventionTerritory.objects.filter(
            structure=structure, name__iexact=name, archived_at__isnull=True
        )
        if territory is not None:
            same_name = same_name.exclude(pk=territory.pk)
        if same_name.exists():
            add(
                "name",
                _("La structure a déjà un territoire nommé « %(name)s »."),
                "territory.name.taken",
                name=name,
            )

    if not codes:
        add(
            "commune_codes",
            _("Indiquez au moins une commune."),
            "territory.communes.required",
        )
    else:
        communes = list(Commune.objects.filter(insee_code__in=codes).only("insee_code"))
        known = {c.insee_code for c in communes}
        unknown = [c for c in codes if c not in known]
        if unknown:
            add(
                "commune_codes",
                _(
                    "Ces codes ne correspondent à aucune commune d'Auvergne-Rhône-Alpes : "
                    "%(codes)s."
                ),
                "territory.communes.unknown",
                codes=", ".join(unknown),
            )
    return errors, communes


@transaction.atomic
def territory_create(
    *,
    by: Membership,
    structure: Organisation,
    name: str,
    description: str = "",
    commune_codes: Iterable[str],
) -> InterventionTerritory:
    name = (name or "").strip()
    codes = _normalise_codes(commune_codes)
    errors, communes = _validate(structure=structure, name=name, codes=codes, territory=None)
    if errors:
        _refuse(where="territory_create", by=by, errors=errors)
    territory = InterventionTerritory.objects.create(
        structure=structure, name=name, description=(description or "").strip()
    )
    territory.communes.set(communes)
    return territory


@transaction.atomic
def territory_update(
    *,
    by: Membership,
    territory: InterventionTerritory,
    name: str,
    description: str,
    commune_codes: Iterable[str],
) -> InterventionTerritory:
    name = (name or "").strip()
    codes = _normalise_codes(commune_codes)
    if territory.archived_at is not None:
        archived = ValidationError(
            _("Ce territoire est archivé : il ne peut plus être modifié."),
            code="territory.archived",
        )
        _refuse(where="territory_update", by=by, errors={"__all__": [archived]})
    errors, communes = _validate(
        structure=territory.structure, name=name, codes=codes, territory=territory
    )
    if errors:
        _refuse(where="territory_update", by=by, errors=errors)
    territory.name = name
    territory.description = (description or "").strip()
    territory.save(update_fields=["name", "description", "updated_at"])
    territory.communes.set(communes)
    return territory


@transaction.atomic
def territory_archive(*, by: Membership, territory: InterventionTerritory) -> InterventionTerritory:
    if territory.archived_at is not None:
        _refuse(
            where="territory_archive",
            by=by,
            errors={
                "__all__": [
                    ValidationError(
                        _("Ce territoire est déjà archivé."), code="territory.already_archived"
                    )
                ]
            },
        )
    territory.archived_at = timezone.now()
    territory.save(update_fields=["archived_at", "updated_at"])
    return territory
