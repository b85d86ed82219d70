"""Public reads (``auth=None``): the directory is published for patients and professionals
alike, so searching it and reading an active offer need no account."""

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query

from oncoparcours.core.api import not_found
from oncoparcours.directory.api.base import router
from oncoparcours.directory.api.schemas import OfferOut, SearchFilters, SearchOut, offer_out
from oncoparcours.directory.selectors import offer_detail, offer_search, search_place_resolve


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


@router.get(
    "/offers/{offer_id}",
    response=OfferOut,
    auth=None,
    summary="Une offre (public)",
)
def offer_get(request: HttpRequest, offer_id: UUID) -> dict[str, Any]:
    offer = offer_detail(offer_id)
    if offer is None:
        raise not_found()
    return offer_out(offer)
