"""Reads of the directory: the public search, one offer, freshness, coverage distances."""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from math import isfinite
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Count, F, FloatField, Q, QuerySet, Value, When, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors
from oncoparcours.core.text import fold
from oncoparcours.directory.catalogue import Audience, CareType, Cost, DeliveryMode, GroupFormat
from oncoparcours.directory.distance import RADIUS_TOLERANCE_KM, GreatCircleKm, bounding_box
from oncoparcours.directory.freshness import stale_before
from oncoparcours.directory.models import (
    AUDIENCE_FIELDS,
    DELIVERY_MODE_FIELDS,
    GROUP_FORMAT_FIELDS,
    REMOTE_ONLY,
    Offer,
    OfferChangeProposal,
    OfferEvent,
    ProposalStatus,
)
from oncoparcours.directory.nearest import nearest_distances
from oncoparcours.territories.models import Commune, CommunePostalCode
from oncoparcours.territories.normalise import normalise_name

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# The region is about 450 km across: a larger radius means "everywhere", which no radius says.
MAX_RADIUS_KM = 250.0

# What a result shows (commune, provider's public id); one offer's page shows more.
_SEARCH_JOINS = ("commune", "provider_organisation")
_DETAIL_JOINS = ("commune__department", "provider_organisation", "provider_professional")


@dataclass(frozen=True)
class OfferHit:
    offer: Offer
    # Unrounded great-circle km from the origin; None without an origin or for a remote-only
    # offer (its distance says nothing about access).
    distance_km: float | None


@dataclass(frozen=True)
class OfferSearchPage:
    hits: list[OfferHit]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _active() -> QuerySet[Offer]:
    return Offer.objects.filter(archived_at__isnull=True)


def _check_codes(errors: Errors, field: str, values: Iterable[str], allowed: Iterable[str]) -> None:
    known = set(allowed)
    unknown = [value for value in values if value not in known]
    if unknown:
        errors.new(
            field,
            _("Valeur inconnue : %(values)s."),
            f"directory.search.{field}",
            values=", ".join(unknown),
        )


def _text_filter(text: str) -> Q:
    condition = Q()
    for word in fold(text).split():
        condition &= Q(search_text__contains=word)
    return condition


def offer_search(
    *,
    care_types: Sequence[str] = (),
    audience: str | None = None,
    costs: Sequence[str] = (),
    group_format: str | None = None,
    delivery_mode: str | None = None,
    text: str = "",
    origin: tuple[float, float] | None = None,
    radius_km: float | None = None,
    include_remote: bool = True,
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> OfferSearchPage:
    """Active offers matching every filter given, nearest first (by title without an origin).

    The radius is inclusive. Offers reachable only remotely are not bounded by it: they follow
    the located results (``distance_km`` None). Without an origin the radius is ignored.

    Two queries: the page's ids ranked with the total (a window), then their rows with the
    joins. The distance is computed by the database, on the rows of an indexed bounding box
    only (and on the few remote-only offers, which a partial index finds).
    """
    errors = Errors()
    _check_codes(errors, "care_types", care_types, CareType.values)
    _check_codes(errors, "costs", costs, Cost.values)
    _check_codes(errors, "audience", [audience] if audience else [], Audience.values)
    _check_codes(errors, "group_format", [group_format] if group_format else [], GroupFormat.values)
    _check_codes(
        errors, "delivery_mode", [delivery_mode] if delivery_mode else [], DeliveryMode.values
    )
    if radius_km is not None and not (isfinite(radius_km) and 0 < radius_km <= MAX_RADIUS_KM):
        errors.new(
            "radius_km",
            _("Le rayon doit être compris entre 0 et %(max)s km."),
            "directory.search.radius_km",
            max=int(MAX_RADIUS_KM),
        )
    if origin is not None and not (-90 <= origin[0] <= 90 and -180 <= origin[1] <= 180):
        errors.new("origin", _("Position invalide."), "directory.search.origin")
    if page < 1:
        errors.new("page", _("La page doit être au moins 1."), "directory.search.page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors.new(
            "page_size",
            _("Le nombre de résultats par page doit être compris entre 1 et %(max)s."),
            "directory.search.page_size",
            max=MAX_PAGE_SIZE,
        )
    if errors.by_field:
        raise ValidationError(errors.by_field)

    offers = _active()
    if care_types:
        offers = offers.filter(care_type__in=list(care_types))
    if costs:
        offers = offers.filter(cost__in=list(costs))
    if audience:
        offers = offers.filter(**{AUDIENCE_FIELDS[audience]: True})
    if group_format:
        offers = offers.filter(**{GROUP_FORMAT_FIELDS[group_format]: True})
    if delivery_mode:
        offers = offers.filter(**{DELIVERY_MODE_FIELDS[delivery_mode]: True})
    if text.strip():
        offers = offers.filter(_text_filter(text))

    if origin is None:
        ranked = offers.annotate(distance_km=Cast(Value(None), output_field=FloatField()))
        return _page(ranked, ("title", "pk"), page=page, page_size=page_size)

    latitude, longitude = origin
    located = Q(latitude__isnull=False, remote_only=False)
    if radius_km is not None:
        box = bounding_box(latitude, longitude, radius_km)
        located &= Q(
            latitude__range=(box.min_latitude, box.max_latitude),
            longitude__range=(box.min_longitude, box.max_longitude),
        )
    wanted = located | REMOTE_ONLY if include_remote else located
    ranked = offers.filter(wanted).annotate(
        distance_km=Case(
            When(REMOTE_ONLY, then=Cast(Value(None), output_field=FloatField())),
            default=GreatCircleKm(latitude, longitude),
        ),
    )
    if radius_km is not None:
        ranked = ranked.filter(REMOTE_ONLY | Q(distance_km__lte=radius_km + RADIUS_TOLERANCE_KM))
    # False before True: the located offers, nearest first, then the remote-only ones.
    order = ("remote_only", F("distance_km").asc(nulls_last=True), "title", "pk")
    return _page(ranked, order, page=page, page_size=page_size)


def _page(
    ranked: QuerySet[Offer],
    order: Sequence[str | OrderBy],
    *,
    page: int,
    page_size: int,
) -> OfferSearchPage:
    """Ranks narrow rows (id, distance, total in a window) and only then joins the page's
    rows: the sort never carries wide joined rows, and the count comes with the ranking."""
    start = (page - 1) * page_size
    ranking = list(
        ranked.order_by(*order)
        .annotate(total=Window(expression=Count("*")))
        .values_list("pk", "distance_km", "total")[start : start + page_size]
    )
    # Past the last page the window has no row to carry the count: one more query then.
    total = ranking[0][2] if ranking else (ranked.count() if page > 1 else 0)
    offers = Offer.objects.select_related(*_SEARCH_JOINS).in_bulk([pk for pk, _d, _t in ranking])
    return OfferSearchPage(
        hits=[OfferHit(offer=offers[pk], distance_km=distance) for pk, distance, _t in ranking],
        total=total,
        page=page,
        page_size=page_size,
    )


# The place of a search

_POSTAL_OR_INSEE = re.compile(r"\d{5}|2[AB]\d{3}")
# "Lyon (69123)": how the commune suggestions show a commune.
_NAME_WITH_CODE = re.compile(r".*\((\d{5}|2[AB]\d{3})\)\s*$")


def _place_error(message: str, code: str, **params: object) -> ValidationError:
    return ValidationError({"place": [ValidationError(message, code=code, params=params or None)]})


def _with_coordinates(commune: Commune) -> Commune:
    if commune.latitude is None or commune.longitude is None:
        raise _place_error(
            _(
                "La position de la commune %(name)s n'est pas connue : choisissez une commune voisine."
            ),
            "directory.place.no_coordinates",
            name=commune.name,
        )
    return commune


def search_place_resolve(query: str) -> Commune:
    """The commune a person typed: postal code, INSEE code, name, or "Name (INSEE)".

    A postal code shared by several communes gives the most populous one: for a radius search
    they are a few kilometres apart. A name shared by several communes is refused with the
    candidates, so that the person picks one.
    """
    text = " ".join((query or "").split())
    if not text:
        raise _place_error(_("Indiquez une commune ou un code postal."), "directory.place.required")
    communes = Commune.objects.select_related("department")
    with_code = _NAME_WITH_CODE.fullmatch(text)
    compact = "".join(text.split()).upper()
    if with_code or _POSTAL_OR_INSEE.fullmatch(compact):
        code = with_code.group(1).upper() if with_code else compact
        if not with_code:
            by_postal = (
                communes.filter(
                    pk__in=CommunePostalCode.objects.filter(postal_code=code).values("commune_id")
                )
                .order_by("-population", "name")
                .first()
            )
            if by_postal is not None:
                return _with_coordinates(by_postal)
        by_insee = communes.filter(insee_code=code).first()
        if by_insee is not None:
            return _with_coordinates(by_insee)
        raise _place_error(
            _("Le code %(value)s ne correspond à aucune commune d'Auvergne-Rhône-Alpes."),
            "directory.place.unknown",
            value=code,
        )
    key = normalise_name(text)
    exact = list(communes.filter(search_name=key).order_by("-population", "insee_code")[:10])
    candidates = exact or list(
        communes.filter(search_name__startswith=key).order_by("-population", "insee_code")[:10]
    )
    if not candidates:
        raise _place_error(
            _("Aucune commune d'Auvergne-Rhône-Alpes ne s'appelle « %(name)s »."),
            "directory.place.unknown",
            name=text,
        )
    if len(candidates) > 1:
        raise _place_error(
            _("Plusieurs communes correspondent (%(communes)s) : précisez le code postal."),
            "directory.place.ambiguous",
            communes=", ".join(f"{c.name} ({c.department_id})" for c in candidates),
        )
    return _with_coordinates(candidates[0])


# One offer, lists for editors


def offer_detail(public_id: UUID | str, *, include_archived: bool = False) -> Offer | None:
    offers = Offer.objects.select_related(*_DETAIL_JOINS)
    if not include_archived:
        offers = offers.filter(archived_at__isnull=True)
    try:
        return offers.get(public_id=public_id)
    except (Offer.DoesNotExist, ValidationError, ValueError):
        return None


def stale_before_date(today: date) -> date:
    return stale_before(today, months=settings.DIRECTORY_VERIFICATION_MONTHS)


def _stale(today: date) -> Q:
    return Q(last_verified_at__isnull=True) | Q(last_verified_at__lt=stale_before_date(today))


def offers_stale(today: date) -> QuerySet[Offer]:
    """Active offers never verified, or not within ``DIRECTORY_VERIFICATION_MONTHS``; oldest first."""
    return (
        _active()
        .filter(_stale(today))
        .select_related(*_DETAIL_JOINS)
        .order_by(F("last_verified_at").asc(nulls_first=True), "title", "pk")
    )


def offer_list_for_editors(
    *,
    care_type: str | None = None,
    department: str | None = None,
    stale_only: bool = False,
    archived: bool = False,
    text: str = "",
    today: date | None = None,
) -> QuerySet[Offer]:
    """Active offers (or archived ones only), filtered, by title; one query with the joins."""
    offers = Offer.objects.filter(archived_at__isnull=not archived)
    if care_type:
        offers = offers.filter(care_type=care_type)
    if department:
        offers = offers.filter(commune__department_id=department)
    if stale_only:
        offers = offers.filter(_stale(today or timezone.localdate()))
    if text.strip():
        offers = offers.filter(_text_filter(text))
    return offers.select_related(*_DETAIL_JOINS).order_by("title", "pk")


def proposal_list_pending() -> QuerySet[OfferChangeProposal]:
    return (
        OfferChangeProposal.objects.filter(status=ProposalStatus.PENDING)
        .select_related("offer__commune", "proposed_by__user", "proposed_by__organisation")
        .order_by("created_at", "pk")
    )


def proposal_list_for_offer(offer: Offer) -> QuerySet[OfferChangeProposal]:
    return (
        OfferChangeProposal.objects.filter(offer=offer)
        .select_related("proposed_by__user", "proposed_by__organisation", "decided_by__user")
        .order_by("-created_at", "-pk")
    )


def offer_events(offer: Offer) -> QuerySet[OfferEvent]:
    return (
        OfferEvent.objects.filter(offer=offer)
        .select_related("actor__user", "actor__organisation")
        .order_by("at", "pk")
    )


# Coverage


def located_offer_points(
    care_types: Iterable[str] | None = None, *, audience: str | None = None
) -> dict[str, list[tuple[float, float]]]:
    """The (latitude, longitude) of the active, located offers one can go to (remote-only ones
    excluded), by care type: the points distances are measured to (coverage, evaluation I-13).
    One query."""
    codes = list(care_types) if care_types is not None else list(CareType.values)
    offers = _active().filter(latitude__isnull=False, remote_only=False, care_type__in=codes)
    if audience:
        offers = offers.filter(**{AUDIENCE_FIELDS[audience]: True})
    by_type: dict[str, list[tuple[float, float]]] = {code: [] for code in codes}
    for care_type, lat, lon in offers.order_by().values_list("care_type", "latitude", "longitude"):
        if lat is not None and lon is not None:
            by_type.setdefault(care_type, []).append((lat, lon))
    return by_type


def nearest_offer_by_type(
    communes: Iterable[Commune], *, audience: str | None = None
) -> dict[str, dict[str, float | None]]:
    """For each commune with coordinates, each care type: km to the nearest active offer.

    Remote-only offers do not count: the figure is about going there. One query for the
    offers, then a grid index per type in memory (``nearest.py``).
    """
    origins = [
        (c.insee_code, c.latitude, c.longitude)
        for c in communes
        if c.latitude is not None and c.longitude is not None
    ]
    by_type = located_offer_points(audience=audience)
    result: dict[str, dict[str, float | None]] = {insee: {} for insee, _lat, _lon in origins}
    typed_origins = [(insee, float(lat), float(lon)) for insee, lat, lon in origins]
    for care_type, points in by_type.items():
        for insee, distance in nearest_distances(typed_origins, points).items():
            result[insee][care_type] = distance
    return result
