"""The editors' writes on offers (``can_edit_directory``): create, update, archive, verify."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.responses import Status

from oncoparcours.accounts.models import User
from oncoparcours.directory import services
from oncoparcours.directory.api.base import editor, offer_for, reloaded, router
from oncoparcours.directory.api.schemas import OfferIn, OfferOut, OfferPatch, VerifyIn
from oncoparcours.organisations.models import Organisation


def _providers(payload: dict[str, Any]) -> dict[str, Any]:
    """Public ids in the body → the rows the services take (unknown ones refused as a field)."""
    fields = dict(payload)
    lookups: tuple[tuple[str, Any], ...] = (
        ("provider_organisation", Organisation.objects.filter(archived_at__isnull=True)),
        ("provider_professional", User.objects.filter(is_active=True)),
    )
    for name, rows in lookups:
        key = f"{name}_id"
        if key not in fields:
            continue
        public_id = fields.pop(key)
        if public_id is None:
            fields[name] = None
            continue
        found = rows.filter(public_id=public_id).first()
        if found is None:
            raise ValidationError(
                {
                    name: [
                        ValidationError(
                            _("Aucune structure ou aucun professionnel actif n'a cet identifiant."),
                            code=f"directory.{name}.unknown",
                        )
                    ]
                }
            )
        fields[name] = found
    return fields


@router.post(
    "/offers",
    response={201: OfferOut},
    summary="Créer une offre (éditeurs)",
)
def offer_create(request: HttpRequest, payload: OfferIn) -> Status[dict[str, Any]]:
    current = editor(request)
    offer = services.offer_create(by=current, **_providers(payload.model_dump()))
    return Status(201, reloaded(offer))


@router.patch(
    "/offers/{offer_id}",
    response=OfferOut,
    summary="Modifier une offre (éditeurs)",
)
def offer_update(request: HttpRequest, offer_id: UUID, payload: OfferPatch) -> dict[str, Any]:
    current = editor(request)
    offer = offer_for(request, offer_id)
    fields = _providers(payload.model_dump(exclude_unset=True))
    services.offer_update(by=current, offer=offer, **fields)
    return reloaded(offer)


@router.post(
    "/offers/{offer_id}/archive",
    response=OfferOut,
    summary="Archiver une offre",
)
def offer_archive(request: HttpRequest, offer_id: UUID) -> dict[str, Any]:
    current = editor(request)
    return reloaded(services.offer_archive(by=current, offer=offer_for(request, offer_id)))


@router.post(
    "/offers/{offer_id}/verify",
    response=OfferOut,
    summary="Marquer une offre comme vérifiée",
)
def offer_verify(
    request: HttpRequest, offer_id: UUID, payload: VerifyIn | None = None
) -> dict[str, Any]:
    current = editor(request)
    on = payload.on if payload else None
    offer = services.offer_verify(by=current, offer=offer_for(request, offer_id), on=on)
    return reloaded(offer)
