"""/api/v1/directory: the public search and offers, the editors' writes, proposals, CSV.

Search and offer reads are public (``auth=None``): the directory is published for patients
and professionals alike. Everything else takes the acting membership and checks
``directory.permissions``.
"""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import BaseModel

from oncoparcours.accounts.models import Membership, User
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.directory import services
from oncoparcours.directory.catalogue import CareType, Cost
from oncoparcours.directory.models import Offer, OfferChangeProposal
from oncoparcours.directory.permissions import (
    access_offer,
    access_proposal,
    can_edit_directory,
    can_propose_offer_change,
)
from oncoparcours.directory.selectors import (
    DEFAULT_PAGE_SIZE,
    offer_detail,
    offer_search,
    proposal_list_pending,
    search_place_resolve,
)
from oncoparcours.organisations.models import Organisation

router = Router(tags=["Répertoire des soins de support"])


# The read schemas are plain pydantic models fed with dicts (``offer_out``): ninja's Schema
# would wrap every nested object in its attribute getter, the search's main CPU cost.
class CommuneOut(BaseModel):
    insee_code: str
    name: str
    department_code: str


class OfferOut(BaseModel):
    id: UUID
    title: str
    description: str
    care_type: str
    care_type_label: str
    audiences: list[str]
    moment: str
    group_formats: list[str]
    delivery_modes: list[str]
    remote_only: bool
    cost: str
    cost_label: str
    requires_prescription: bool
    provider_name: str
    provider_organisation_id: UUID | None
    address: str
    postal_code: str
    commune: CommuneOut
    latitude: float | None
    longitude: float | None
    geo_precision: str
    accessible: bool
    accessibility_notes: str
    languages: list[str]
    phone: str
    email: str
    mssante_email: str
    website: str
    opening_hours: str
    inclusion_criteria_met: bool
    last_verified_at: date | None
    stale: bool
    source: str
    archived_at: datetime | None


def offer_out(offer: Offer, *, today: date | None = None) -> dict[str, Any]:
    """The API's view of an offer, from what the selectors joined (no query per offer).

    A plain dict: pydantic validates it in its compiled core, several times faster than
    attribute resolvers on model instances (the search answers 20 of them per request).
    """
    organisation = offer.provider_organisation
    commune = offer.commune
    return {
        "id": offer.public_id,
        "title": offer.title,
        "description": offer.description,
        "care_type": offer.care_type,
        "care_type_label": str(CareType(offer.care_type).label),
        "audiences": offer.audiences,
        "moment": offer.moment,
        "group_formats": offer.group_formats,
        "delivery_modes": offer.delivery_modes,
        "remote_only": offer.is_remote_only,
        "cost": offer.cost,
        "cost_label": str(Cost(offer.cost).label),
        "requires_prescription": offer.requires_prescription,
        "provider_name": offer.provider_name,
        "provider_organisation_id": organisation.public_id if organisation else None,
        "address": offer.address,
        "postal_code": offer.postal_code,
        "commune": {
            "insee_code": commune.insee_code,
            "name": commune.name,
            "department_code": commune.department_id,
        },
        "latitude": offer.latitude,
        "longitude": offer.longitude,
        "geo_precision": offer.geo_precision,
        "accessible": offer.accessible,
        "accessibility_notes": offer.accessibility_notes,
        "languages": offer.languages,
        "phone": offer.phone,
        "email": offer.email,
        "mssante_email": offer.mssante_email,
        "website": offer.website,
        "opening_hours": offer.opening_hours,
        "inclusion_criteria_met": offer.inclusion_criteria_met,
        "last_verified_at": offer.last_verified_at,
        "stale": offer.is_stale(today),
        "source": offer.source,
        "archived_at": offer.archived_at,
    }


class OfferHitOut(OfferOut):
    # Rounded to 0.1 km, as people read it; null without an origin or for a remote-only offer.
    distance_km: float | None


class OriginOut(BaseModel):
    latitude: float
    longitude: float
    commune: CommuneOut | None
    radius_km: float | None


class SearchOut(BaseModel):
    count: int
    page: int
    page_size: int
    pages: int
    origin: OriginOut | None
    items: list[OfferHitOut]


class SearchFilters(Schema):
    care_type: list[str] = Field(default_factory=list)
    audience: str | None = None
    cost: list[str] = Field(default_factory=list)
    group_format: str | None = None
    delivery_mode: str | None = None
    q: str = ""
    place: str | None = Field(None, description="Commune : nom, code postal ou code INSEE")
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    include_remote: bool = True
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


class OfferIn(Schema):
    title: str
    description: str = ""
    care_type: str
    audiences: list[str]
    moment: str = "both"
    group_formats: list[str]
    delivery_modes: list[str]
    cost: str
    requires_prescription: bool = False
    provider_organisation_id: UUID | None = None
    provider_professional_id: UUID | None = None
    provider_name: str = ""
    address: str = ""
    postal_code: str = ""
    commune_insee: str
    latitude: float | None = None
    longitude: float | None = None
    accessible: bool = False
    accessibility_notes: str = ""
    languages: list[str] = Field(default_factory=lambda: ["fr"])
    phone: str = ""
    email: str = ""
    mssante_email: str = ""
    website: str = ""
    opening_hours: str = ""
    inclusion_criteria_met: bool = False
    last_verified_at: date | None = None
    source: str


class OfferPatch(Schema):
    """Only the fields sent are changed; null coordinates mean "the commune's town hall"."""

    title: str | None = None
    description: str | None = None
    care_type: str | None = None
    audiences: list[str] | None = None
    moment: str | None = None
    group_formats: list[str] | None = None
    delivery_modes: list[str] | None = None
    cost: str | None = None
    requires_prescription: bool | None = None
    provider_organisation_id: UUID | None = None
    provider_professional_id: UUID | None = None
    provider_name: str | None = None
    address: str | None = None
    postal_code: str | None = None
    commune_insee: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    accessible: bool | None = None
    accessibility_notes: str | None = None
    languages: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    mssante_email: str | None = None
    website: str | None = None
    opening_hours: str | None = None
    inclusion_criteria_met: bool | None = None
    last_verified_at: date | None = None
    source: str | None = None


class VerifyIn(Schema):
    on: date | None = None


class ProposalIn(Schema):
    changes: dict[str, Any]
    note: str = ""


class DecisionIn(Schema):
    note: str = ""


class ProposalOut(Schema):
    id: UUID
    offer_id: UUID
    offer_title: str
    changes: dict[str, Any]
    note: str
    status: str
    proposed_by_organisation: str
    created_at: datetime
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_id(obj: OfferChangeProposal) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_offer_id(obj: OfferChangeProposal) -> UUID:
        return obj.offer.public_id

    @staticmethod
    def resolve_offer_title(obj: OfferChangeProposal) -> str:
        return obj.offer.title

    @staticmethod
    def resolve_proposed_by_organisation(obj: OfferChangeProposal) -> str:
        return obj.proposed_by.organisation.name


class ImportErrorOut(Schema):
    code: str
    message: str
    field: str | None
    row: int | None


class ImportRowOut(Schema):
    row: int
    action: str
    id: UUID | None
    title: str
    changed_fields: list[str]
    errors: list[ImportErrorOut]


class ImportOut(Schema):
    applied: bool
    dry_run: bool
    created: int
    updated: int
    unchanged: int
    rows: list[ImportRowOut]
    errors: list[ImportErrorOut]


def _offer_for(request: HttpRequest, offer_id: UUID) -> Offer:
    try:
        return access_offer(actor(request), offer_id)
    except Http404:
        raise not_found() from None


def _reloaded(offer: Offer) -> dict[str, Any]:
    """The offer as the public read shows it, with its joins (archived ones included)."""
    fresh = offer_detail(offer.public_id, include_archived=True)
    assert fresh is not None
    return offer_out(fresh)


def _editor(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_edit_directory(current):
        raise forbidden()
    return current


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


@router.get(
    "/offers",
    response=SearchOut,
    auth=None,
    summary="Rechercher des offres (public) : par type, public, coût, format, autour d'un lieu",
)
def directory_search(request: HttpRequest, filters: Query[SearchFilters]) -> dict[str, Any]:
    origin_out: dict[str, Any] | None = None
    origin: tuple[float, float] | None = None
    if filters.lat is not None and filters.lon is not None:
        origin = (filters.lat, filters.lon)
        origin_out = {"latitude": filters.lat, "longitude": filters.lon, "commune": None}
    elif filters.place:
        commune = search_place_resolve(filters.place)
        assert commune.latitude is not None
        assert commune.longitude is not None
        origin = (commune.latitude, commune.longitude)
        origin_out = {
            "latitude": commune.latitude,
            "longitude": commune.longitude,
            "commune": {
                "insee_code": commune.insee_code,
                "name": commune.name,
                "department_code": commune.department_id,
            },
        }
    page = offer_search(
        care_types=filters.care_type,
        audience=filters.audience or None,
        costs=filters.cost,
        group_format=filters.group_format or None,
        delivery_mode=filters.delivery_mode or None,
        text=filters.q,
        origin=origin,
        radius_km=filters.radius_km,
        include_remote=filters.include_remote,
        page=filters.page,
        page_size=filters.page_size,
    )
    if origin_out is not None:
        origin_out["radius_km"] = filters.radius_km
    today = timezone.localdate()
    items = [
        {
            **offer_out(hit.offer, today=today),
            "distance_km": None if hit.distance_km is None else round(hit.distance_km, 1),
        }
        for hit in page.hits
    ]
    return {
        "count": page.total,
        "page": page.page,
        "page_size": page.page_size,
        "pages": page.pages,
        "origin": origin_out,
        "items": items,
    }


@router.get("/offers/{offer_id}", response=OfferOut, auth=None, summary="Une offre (public)")
def offer_get(request: HttpRequest, offer_id: UUID) -> dict[str, Any]:
    offer = offer_detail(offer_id)
    if offer is None:
        raise not_found()
    return offer_out(offer)


@router.post("/offers", response={201: OfferOut}, summary="Créer une offre (éditeurs)")
def offer_create(request: HttpRequest, payload: OfferIn) -> Status[dict[str, Any]]:
    current = _editor(request)
    offer = services.offer_create(by=current, **_providers(payload.model_dump()))
    return Status(201, _reloaded(offer))


@router.patch("/offers/{offer_id}", response=OfferOut, summary="Modifier une offre (éditeurs)")
def offer_update(request: HttpRequest, offer_id: UUID, payload: OfferPatch) -> dict[str, Any]:
    current = _editor(request)
    offer = _offer_for(request, offer_id)
    fields = _providers(payload.model_dump(exclude_unset=True))
    services.offer_update(by=current, offer=offer, **fields)
    return _reloaded(offer)


@router.post("/offers/{offer_id}/archive", response=OfferOut, summary="Archiver une offre")
def offer_archive(request: HttpRequest, offer_id: UUID) -> dict[str, Any]:
    current = _editor(request)
    return _reloaded(services.offer_archive(by=current, offer=_offer_for(request, offer_id)))


@router.post(
    "/offers/{offer_id}/verify", response=OfferOut, summary="Marquer une offre comme vérifiée"
)
def offer_verify(
    request: HttpRequest, offer_id: UUID, payload: VerifyIn | None = None
) -> dict[str, Any]:
    current = _editor(request)
    on = payload.on if payload else None
    offer = services.offer_verify(by=current, offer=_offer_for(request, offer_id), on=on)
    return _reloaded(offer)


@router.post(
    "/offers/{offer_id}/proposals",
    response={201: ProposalOut},
    summary="Proposer une modification de son offre (fournisseur)",
)
def offer_change_propose(
    request: HttpRequest, offer_id: UUID, payload: ProposalIn
) -> Status[OfferChangeProposal]:
    current = actor(request)
    offer = _offer_for(request, offer_id)
    if not can_propose_offer_change(current, offer):
        raise forbidden()
    proposal = services.offer_change_propose(
        by=current, offer=offer, changes=payload.changes, note=payload.note
    )
    return Status(201, proposal)


@router.get("/proposals", response=list[ProposalOut], summary="Propositions en attente (éditeurs)")
@paginate(PageNumberPagination)
def offer_change_list(request: HttpRequest) -> QuerySet[OfferChangeProposal]:
    _editor(request)
    return proposal_list_pending()


def _proposal_for(request: HttpRequest, proposal_id: UUID) -> OfferChangeProposal:
    try:
        return access_proposal(actor(request), proposal_id)
    except Http404:
        raise not_found() from None


@router.post(
    "/proposals/{proposal_id}/approve", response=OfferOut, summary="Accepter une proposition"
)
def offer_change_approve(
    request: HttpRequest, proposal_id: UUID, payload: DecisionIn | None = None
) -> dict[str, Any]:
    current = _editor(request)
    proposal = _proposal_for(request, proposal_id)
    offer = services.offer_change_approve(
        by=current, proposal=proposal, note=payload.note if payload else ""
    )
    return _reloaded(offer)


@router.post(
    "/proposals/{proposal_id}/reject", response=ProposalOut, summary="Refuser une proposition"
)
def offer_change_reject(
    request: HttpRequest, proposal_id: UUID, payload: DecisionIn
) -> OfferChangeProposal:
    current = _editor(request)
    proposal = _proposal_for(request, proposal_id)
    return services.offer_change_reject(by=current, proposal=proposal, note=payload.note)


@router.get("/export", summary="Exporter les offres actives en CSV (éditeurs)")
def offer_export(request: HttpRequest) -> HttpResponse:
    _editor(request)
    response = HttpResponse(services.offer_export_csv(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="repertoire-{stamp}.csv"'
    return response


@router.post(
    "/import",
    response={200: ImportOut, 400: ImportOut},
    summary="Importer un CSV (éditeurs) ; dry_run (par défaut) montre ce qui changerait",
    # The file is read after the permission check, not by a schema that would answer an
    # outsider with a validation error before refusing them.
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"file": {"type": "string", "format": "binary"}},
                        "required": ["file"],
                    }
                }
            }
        }
    },
)
def offer_import(request: HttpRequest, dry_run: bool = True) -> Status[dict[str, Any]]:
    current = _editor(request)
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError(
            {
                "file": [
                    ValidationError(
                        _("Joignez le fichier CSV (champ « file »)."),
                        code="directory.csv.file_required",
                    )
                ]
            }
        )
    report = services.offer_import_csv(by=current, file=upload.read(), dry_run=dry_run)

    def error_out(error: services.RowError) -> dict[str, Any]:
        return {
            "code": error.code,
            "message": error.message,
            "field": error.column,
            "row": error.row,
        }

    body = {
        "applied": report.applied,
        "dry_run": dry_run,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "rows": [
            {
                "row": row.row,
                "action": row.action,
                "id": row.public_id,
                "title": row.title,
                "changed_fields": row.changed_fields,
                "errors": [error_out(e) for e in row.errors],
            }
            for row in report.rows
        ],
        "errors": [error_out(e) for e in report.errors],
    }
    return Status(200 if report.ok else 400, body)
