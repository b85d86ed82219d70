"""Writes on offers by the regional editors: create, update, archive, mark verified.

The interfaces check ``permissions.can_edit_directory`` first; these functions check it again
(a refusal, not a crash, whoever calls them), validate everything before writing, and leave
an ``OfferEvent`` naming the fields that changed, never their values.
"""

from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.directory.models import Offer, OfferEvent, OfferEventKind
from oncoparcours.directory.permissions import can_edit_directory
from oncoparcours.directory.services.validation.lookups import Lookups
from oncoparcours.directory.services.validation.offer import clean_offer
from oncoparcours.directory.services.validation.vocabulary import (
    DEFAULTS,
    OFFER_FIELDS,
    changed_fields,
    check_unknown_fields,
    offer_form_initial,
)


def require_editor(errors: Errors, by: Membership) -> None:
    if not can_edit_directory(by):
        errors.new(
            NON_FIELD_ERRORS,
            _("Seuls les éditeurs du répertoire régional peuvent modifier les offres."),
            "directory.permission_denied",
        )


def refuse_if_archived(errors: Errors, offer: Offer) -> None:
    if offer.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette offre est archivée : elle ne peut plus être modifiée."),
            "directory.offer.archived",
        )


def record(
    offer: Offer,
    kind: OfferEventKind,
    *,
    by: Membership | None,
    fields: list[str] | None = None,
    data: dict[str, Any] | None = None,
) -> OfferEvent:
    return OfferEvent.objects.create(
        offer=offer, kind=kind, actor=by, fields=fields or [], data=data or {}
    )


def create_validated(
    values: dict[str, Any], *, by: Membership | None, fields: list[str], data: dict[str, Any]
) -> Offer:
    """Writes an offer whose values ``clean_offer`` accepted (the CSV import's path too)."""
    offer = Offer.objects.create(**values, created_by=by, updated_by=by)
    record(offer, OfferEventKind.CREATED, by=by, fields=fields, data=data)
    return offer


def update_validated(
    offer: Offer, values: dict[str, Any], *, by: Membership | None, data: dict[str, Any]
) -> list[str]:
    """Applies accepted values; returns the input fields that changed (nothing saved if none)."""
    changed = changed_fields(offer, values)
    if not changed:
        return []
    for column, value in values.items():
        setattr(offer, column, value)
    offer.updated_by = by
    offer.save()
    record(offer, OfferEventKind.UPDATED, by=by, fields=changed, data=data)
    return changed


def merged_for_update(offer: Offer, fields: dict[str, Any]) -> dict[str, Any]:
    """The offer as it would become. A new address or commune without new coordinates drops
    the old ones (they described the old place): the commune's position stands in."""
    current = offer_form_initial(offer)
    merged = {**current, **fields}
    moved = any(
        name in fields and fields[name] != current[name] for name in ("address", "commune_insee")
    )
    if moved and "latitude" not in fields and "longitude" not in fields:
        merged["latitude"] = merged["longitude"] = None
    return merged


@transaction.atomic
def offer_create(*, by: Membership, **fields: Any) -> Offer:
    """Fields are the input vocabulary (``OFFER_FIELDS``); those not given take their default."""
    check_unknown_fields(fields, OFFER_FIELDS, "offer_create")
    errors = Errors()
    require_editor(errors, by)
    values = clean_offer({**DEFAULTS, **fields}, errors=errors)
    errors.raise_if_any(where="directory.offer_create", by=by)
    given = [name for name in OFFER_FIELDS if name in fields]
    return create_validated(values, by=by, fields=given, data={})


@transaction.atomic
def offer_update(*, by: Membership, offer: Offer, **fields: Any) -> Offer:
    """Changes the given fields; the whole offer is validated again as it would become."""
    check_unknown_fields(fields, OFFER_FIELDS, "offer_update")
    return apply_update(by=by, offer=offer, fields=fields, data={}, where="directory.offer_update")


def apply_update(
    *, by: Membership, offer: Offer, fields: dict[str, Any], data: dict[str, Any], where: str
) -> Offer:
    errors = Errors()
    require_editor(errors, by)
    refuse_if_archived(errors, offer)
    values = clean_offer(merged_for_update(offer, fields), errors=errors, lookups=Lookups())
    errors.raise_if_any(where=where, by=by)
    update_validated(offer, values, by=by, data=data)
    return offer


@transaction.atomic
def offer_archive(*, by: Membership, offer: Offer) -> Offer:
    """An archived offer leaves the search and the map; it is kept, with its history."""
    errors = Errors()
    require_editor(errors, by)
    if offer.archived_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette offre est déjà archivée."),
            "directory.offer.already_archived",
        )
    errors.raise_if_any(where="directory.offer_archive", by=by)
    offer.archived_at = timezone.now()
    offer.updated_by = by
    offer.save(update_fields=["archived_at", "updated_by", "updated_at"])
    record(offer, OfferEventKind.ARCHIVED, by=by)
    return offer


@transaction.atomic
def offer_verify(*, by: Membership, offer: Offer, on: date | None = None) -> Offer:
    """An editor vouches that the entry is still right (the 12-month freshness clock restarts)."""
    errors = Errors()
    require_editor(errors, by)
    refuse_if_archived(errors, offer)
    today = timezone.localdate()
    verified_on = on or today
    if verified_on > today:
        errors.new(
            "last_verified_at",
            _("La date de vérification ne peut pas être dans le futur."),
            "directory.last_verified_at.future",
        )
    errors.raise_if_any(where="directory.offer_verify", by=by)
    offer.last_verified_at = verified_on
    offer.updated_by = by
    offer.save(update_fields=["last_verified_at", "updated_by", "updated_at"])
    record(offer, OfferEventKind.VERIFIED, by=by, fields=["last_verified_at"])
    return offer
