from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.regulation import services
from oncoparcours.regulation.catalogue import PARAMETERS, ParameterSpec
from oncoparcours.regulation.models import RegulatoryParameter
from oncoparcours.regulation.permissions import (
    access_parameter,
    can_create_parameter_version,
    can_view_parameters,
)
from oncoparcours.regulation.selectors import parameter_version_list, parameter_versions_at

router = Router(tags=["Réglementation"])


def _value_text(spec: ParameterSpec, value: Decimal) -> str:
    """ "45.00" for an amount, "6" for a count: the value as its type reads."""
    return str(spec.typed(value))


class VersionOut(Schema):
    id: UUID
    key: str
    value: str
    effective_from: date
    effective_to: date | None
    source: str
    created_at: datetime

    @staticmethod
    def resolve_id(obj: RegulatoryParameter) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_value(obj: RegulatoryParameter) -> str:
        return _value_text(obj.spec, Decimal(obj.value))


class ParameterOut(Schema):
    key: str
    label: str
    unit: str
    value_type: str
    rule: str
    value: str | None
    effective_from: date | None
    effective_to: date | None
    source: str | None
    version_id: UUID | None


class ParametersAtOut(Schema):
    at: date
    items: list[ParameterOut]


class ParametersAtQuery(Schema):
    at: date | None = None


class VersionIn(Schema):
    value: Decimal
    effective_from: date
    source: str


def _parameter_out(spec: ParameterSpec, version: RegulatoryParameter | None) -> ParameterOut:
    return ParameterOut(
        key=spec.key,
        label=str(spec.label),
        unit=spec.unit.value,
        value_type=spec.value_type.value,
        rule=spec.rule,
        value=_value_text(spec, Decimal(version.value)) if version else None,
        effective_from=version.effective_from if version else None,
        effective_to=version.effective_to if version else None,
        source=version.source if version else None,
        version_id=version.public_id if version else None,
    )


def _spec(request: HttpRequest, key: str) -> ParameterSpec:
    try:
        return access_parameter(actor(request), key)
    except Http404:
        raise not_found() from None


@router.get(
    "/parameters",
    response=ParametersAtOut,
    summary="Paramètres réglementaires en vigueur à une date (aujourd'hui par défaut)",
    description="Un élément par paramètre du catalogue (nombre fixe, donc sans pagination) ; "
    "valeur nulle si aucune version n'est en vigueur ce jour-là.",
)
def regulatory_parameter_list(
    request: HttpRequest, query: Query[ParametersAtQuery]
) -> ParametersAtOut:
    if not can_view_parameters(actor(request)):
        raise forbidden()
    on = query.at or timezone.localdate()
    versions = parameter_versions_at(on)
    items = [_parameter_out(spec, versions.get(spec.key)) for spec in PARAMETERS.values()]
    return ParametersAtOut(at=on, items=items)


@router.get(
    "/parameters/{key}/versions",
    response=list[VersionOut],
    summary="Historique des versions d'un paramètre réglementaire (la plus récente d'abord)",
)
@paginate(PageNumberPagination)
def regulatory_parameter_versions(request: HttpRequest, key: str) -> QuerySet[RegulatoryParameter]:
    spec = _spec(request, key)
    return parameter_version_list(spec.key)


@router.post(
    "/parameters/{key}/versions",
    response={201: VersionOut},
    summary="Ajouter une version d'un paramètre réglementaire (administrateur)",
    description="La version en vigueur prend fin la veille de la nouvelle ; les versions "
    "passées ne sont jamais modifiées.",
)
def regulatory_parameter_version_create(
    request: HttpRequest, key: str, payload: VersionIn
) -> Status[RegulatoryParameter]:
    current = actor(request)
    if not can_create_parameter_version(current):
        raise forbidden()
    spec = _spec(request, key)
    version = services.parameter_version_create(by=current, key=spec.key, **payload.model_dump())
    return Status(201, version)
