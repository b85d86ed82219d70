"""The directory API's bodies and answers; ``offer_out`` turns an offer into the read shape."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel

from oncoparcours.directory.catalogue import CareType, Cost
from oncoparcours.directory.models import Offer, OfferChangeProposal
from oncoparcours.directory.selectors import DEFAULT_PAGE_SIZE


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
