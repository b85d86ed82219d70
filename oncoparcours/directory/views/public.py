"""Public pages (no login): the search and each offer's page, plus the commune suggestions.

A coordinator reaches the same search from a pathway (``?parcours=<uuid>``): the patient's
commune is pre-filled and each result can be attached to the pathway. Anyone else passing a
pathway id gets the plain public search, never the patient's commune.
"""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from oncoparcours.accounts.models import Membership
from oncoparcours.directory.catalogue import language_label
from oncoparcours.directory.forms import DEFAULT_RADIUS, SearchForm
from oncoparcours.directory.models import Offer
from oncoparcours.directory.permissions import (
    access_offer,
    can_edit_directory,
    can_propose_offer_change,
)
from oncoparcours.directory.selectors import (
    DEFAULT_PAGE_SIZE,
    OfferHit,
    OfferSearchPage,
    offer_search,
    search_place_resolve,
)
from oncoparcours.directory.views._common import membership_or_none
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import can_act_on_pathway
from oncoparcours.territories.models import Commune
from oncoparcours.territories.selectors import commune_search

# A pathway's age group → the directory audience that fits the patient.
AUDIENCE_OF_AGE_GROUP = {"child": "children", "aja": "aja", "adult": "adults"}
SUGGESTION_LIMIT = 10


@dataclass(frozen=True)
class Referral:
    """The pathway a coordinator searches for, and where to post the chosen offer."""

    pathway: Pathway
    refer_url: str


def _referral_for(actor: Membership | None, raw_id: str | None) -> Referral | None:
    if actor is None or not raw_id:
        return None
    try:
        public_id = UUID(raw_id)
    except ValueError:
        return None
    # One query for what this page needs (the patient's commune), not the pathway page's joins.
    pathway = Pathway.objects.select_related("patient__commune").filter(public_id=public_id).first()
    if pathway is None or not can_act_on_pathway(actor, pathway):
        return None
    return Referral(
        pathway=pathway,
        refer_url=reverse("pathways:refer", kwargs={"public_id": pathway.public_id}),
    )


def commune_label(commune: Commune) -> str:
    """How a commune reads in the place field; the search resolves it back exactly."""
    return f"{commune.name} ({commune.insee_code})"


def _prefilled(referral: Referral) -> QueryDict:
    data = QueryDict(mutable=True)
    data["parcours"] = str(referral.pathway.public_id)
    data["lieu"] = commune_label(referral.pathway.patient.commune)
    data["public"] = AUDIENCE_OF_AGE_GROUP.get(referral.pathway.age_group, "")
    return data


def _distance_text(hit: OfferHit) -> str:
    if hit.distance_km is None:
        return _("À distance") if hit.offer.is_remote_only else ""
    return _("%(km)s km") % {"km": number_format(round(hit.distance_km, 1), 1)}


def _offer_marker(offer: Offer, rank: int | None, label: str) -> dict[str, Any]:
    return {
        "lat": offer.latitude,
        "lon": offer.longitude,
        "label": label,
        "url": reverse("directory:offer", kwargs={"public_id": offer.public_id}),
        "rank": rank,
        "kind": "offer",
    }


def _map_data(
    results: OfferSearchPage, origin: tuple[float, float] | None, origin_label: str
) -> dict[str, Any]:
    start = (results.page - 1) * results.page_size
    markers = []
    for index, hit in enumerate(results.hits, start=start + 1):
        if hit.offer.latitude is None or hit.offer.is_remote_only:
            continue
        distance = _distance_text(hit)
        label = f"{index}. {hit.offer.title}" + (f" — {distance}" if distance else "")
        markers.append(_offer_marker(hit.offer, index, label))
    data: dict[str, Any] = {"markers": markers, "origin": None}
    if origin is not None:
        data["origin"] = {"lat": origin[0], "lon": origin[1], "label": origin_label}
    return data


def _run_search(
    form: SearchForm,
) -> tuple[OfferSearchPage | None, tuple[float, float] | None, str]:
    """Validates the place and the filters; every refusal lands on the form (never a 500)."""
    data = form.cleaned_data
    origin: tuple[float, float] | None = None
    origin_label = ""
    if data.get("lat") is not None and data.get("lon") is not None:
        origin = (data["lat"], data["lon"])
        origin_label = _("Votre position")
    elif data.get("lieu"):
        try:
            commune = search_place_resolve(data["lieu"])
        except ValidationError as exc:
            form.add_selector_errors(exc)
            return None, None, ""
        # search_place_resolve refuses a commune without coordinates.
        assert commune.latitude is not None
        assert commune.longitude is not None
        origin = (commune.latitude, commune.longitude)
        origin_label = _("Point de recherche : %(name)s") % {"name": commune.name}
    radius = data.get("rayon")
    try:
        results = offer_search(
            care_types=[data["type"]] if data.get("type") else [],
            audience=data.get("public") or None,
            costs=[data["cout"]] if data.get("cout") else [],
            group_format=data.get("format") or None,
            delivery_mode=data.get("mode") or None,
            text=data.get("q") or "",
            origin=origin,
            radius_km=float(radius) if radius and origin else None,
            page=data.get("page") or 1,
            page_size=DEFAULT_PAGE_SIZE,
        )
    except ValidationError as exc:
        form.add_selector_errors(exc)
        return None, None, ""
    return results, origin, origin_label


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    actor = membership_or_none(request)
    referral = _referral_for(actor, request.GET.get("parcours"))
    data = request.GET.copy()
    if referral is None:
        data.pop("parcours", None)
    elif not any(data.get(name) for name in SearchForm.CRITERIA):
        # Redirected rather than searched in place: the URL then says what was searched, and
        # pagination links keep the pre-filled criteria.
        return redirect(f"{reverse('directory:search')}?{_prefilled(referral).urlencode()}")
    form = SearchForm(data) if data else SearchForm(initial={"rayon": DEFAULT_RADIUS})
    results: OfferSearchPage | None = None
    map_data: dict[str, Any] = {"markers": [], "origin": None}
    origin = None
    if form.is_bound and form.is_valid() and form.has_criteria():
        results, origin, origin_label = _run_search(form)
        if results is not None:
            map_data = _map_data(results, origin, origin_label)
    ctx = {
        "form": form,
        "results": results,
        "rows": _rows(results),
        "searched_from": origin is not None,
        "map_data": map_data,
        "referral": referral,
    }
    return render(request, "directory/search.html", ctx)


def _rows(results: OfferSearchPage | None) -> list[dict[str, Any]]:
    if results is None:
        return []
    start = (results.page - 1) * results.page_size
    return [
        {"rank": index, "offer": hit.offer, "distance": _distance_text(hit)}
        for index, hit in enumerate(results.hits, start=start + 1)
    ]


@require_GET
def offer_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = membership_or_none(request)
    offer = access_offer(actor, public_id)
    referral = _referral_for(actor, request.GET.get("parcours"))
    markers = []
    if offer.latitude is not None and offer.longitude is not None:
        markers.append(
            {"lat": offer.latitude, "lon": offer.longitude, "label": offer.title, "kind": "place"}
        )
    ctx = {
        "offer": offer,
        "stale": offer.is_stale(),
        "can_edit": can_edit_directory(actor),
        "can_propose": can_propose_offer_change(actor, offer),
        "referral": referral,
        "map_data": {"markers": markers, "origin": None},
        "languages": [language_label(code) for code in offer.languages],
        "verification_months": settings.DIRECTORY_VERIFICATION_MONTHS,
        # Only web addresses become links (never a javascript: or data: URL).
        "website_url": offer.website if offer.website.startswith(("https://", "http://")) else "",
    }
    return render(request, "directory/offer_detail.html", ctx)


@require_GET
def commune_suggestions(request: HttpRequest) -> JsonResponse:
    """Communes for the place field's suggestions: public reference data (INSEE open data)."""
    query = (request.GET.get("q") or "").strip()[:100]
    communes = commune_search(query, limit=SUGGESTION_LIMIT) if len(query) >= 2 else []
    results = [
        {
            "value": commune_label(commune),
            "label": " · ".join(
                filter(
                    None,
                    [
                        ", ".join(pc.postal_code for pc in list(commune.postal_codes.all())[:3]),
                        commune.department.name,
                    ],
                )
            ),
        }
        for commune in communes
    ]
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "public, max-age=3600"
    return response
