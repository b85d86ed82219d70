from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories import selectors, services
from oncoparcours.territories.models import Commune, Department, Epci, InterventionTerritory
from oncoparcours.territories.permissions import (
    access_territory,
    can_create_territory,
    can_edit_territory,
    can_search_communes,
    can_use_territories,
)

router = Router(tags=["Territoires"])


class CommuneOut(Schema):
    insee_code: str
    name: str
    postal_codes: list[str]
    department_code: str
    epci_siren: str | None
    population: int
    latitude: float | None
    longitude: float | None

    # Resolvers read what ``selectors.commune_search`` loaded: no query per commune.
    @staticmethod
    def resolve_postal_codes(obj: Commune) -> list[str]:
        return [pc.postal_code for pc in obj.postal_codes.all()]

    @staticmethod
    def resolve_department_code(obj: Commune) -> str:
        return obj.department_id

    @staticmethod
    def resolve_epci_siren(obj: Commune) -> str | None:
        return obj.epci_id


class DepartmentOut(Schema):
    code: str
    name: str
    population: int


class EpciOut(Schema):
    siren: str
    name: str
    kind: str
    population: int


class TerritoryOut(Schema):
    id: UUID
    name: str
    description: str
    structure_id: UUID
    structure_name: str
    commune_codes: list[str]
    commune_count: int
    population: int
    archived_at: datetime | None

    # Resolvers read the annotations and prefetch of ``selectors.territory_list_for``.
    @staticmethod
    def resolve_id(obj: InterventionTerritory) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_structure_id(obj: InterventionTerritory) -> UUID:
        return obj.structure.public_id

    @staticmethod
    def resolve_structure_name(obj: InterventionTerritory) -> str:
        return obj.structure.name

    @staticmethod
    def resolve_commune_codes(obj: InterventionTerritory) -> list[str]:
        return sorted(c.insee_code for c in obj.communes.all())

    @staticmethod
    def resolve_commune_count(obj: InterventionTerritory) -> int:
        return int(obj.commune_count)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_population(obj: InterventionTerritory) -> int:
        return int(obj.population)  # type: ignore[attr-defined]


class TerritoryCreateIn(Schema):
    name: str
    description: str = ""
    commune_codes: list[str]
    structure_id: UUID | None = Field(
        None, description="Obligatoire pour un administrateur ; sinon la structure de l'acteur."
    )


class TerritoryPatchIn(Schema):
    name: str | None = None
    description: str | None = None
    commune_codes: list[str] | None = None


class CommuneSearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=100)
    limit: int = Field(20, ge=1, le=selectors.MAX_SEARCH_LIMIT)


def _reference_reader(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_search_communes(current):
        raise forbidden()
    return current


def _territory_user(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_use_territories(current):
        raise forbidden()
    return current


def _territory(current: Membership, public_id: UUID) -> InterventionTerritory:
    try:
        return access_territory(current, public_id)
    except Http404 as exc:
        raise not_found() from exc


def _territory_out(territory: InterventionTerritory) -> InterventionTerritory:
    """Re-read with the annotations and prefetch the schema resolvers expect."""
    return selectors.territory_with_totals(territory.pk)


@router.get(
    "/communes",
    response=list[CommuneOut],
    summary="Rechercher une commune (nom, code postal ou code INSEE)",
)
def commune_search(request: HttpRequest, filters: Query[CommuneSearchQuery]) -> list[Commune]:
    _reference_reader(request)
    return selectors.commune_search(filters.q, limit=filters.limit)


@router.get("/communes/{insee_code}", response=CommuneOut, summary="Une commune par code INSEE")
def commune_get(request: HttpRequest, insee_code: str) -> Commune:
    _reference_reader(request)
    commune = selectors.commune_get(insee_code)
    if commune is None:
        raise not_found()
    return commune


@router.get("/departments", response=list[DepartmentOut], summary="Les départements d'AURA")
@paginate(PageNumberPagination, page_size=50)
def department_list(request: HttpRequest) -> QuerySet[Department]:
    _reference_reader(request)
    return selectors.department_list()


@router.get(
    "/epcis",
    response=list[EpciOut],
    summary="Les EPCI d'AURA, éventuellement ceux d'un département",
)
@paginate(PageNumberPagination, page_size=50)
def epci_list(request: HttpRequest, department: str | None = None) -> QuerySet[Epci]:
    _reference_reader(request)
    return selectors.epci_list(department)


@router.get("", response=list[TerritoryOut], summary="Les territoires d'intervention visibles")
@paginate(PageNumberPagination, page_size=50)
def territory_list(
    request: HttpRequest, structure: UUID | None = None
) -> QuerySet[InterventionTerritory]:
    current = _territory_user(request)
    return selectors.territory_list_for(
        current, structure_public_id=structure, with_commune_codes=True
    )


@router.get("/{public_id}", response=TerritoryOut, summary="Un territoire d'intervention")
def territory_get(request: HttpRequest, public_id: UUID) -> InterventionTerritory:
    territory = _territory(_territory_user(request), public_id)
    return _territory_out(territory)


@router.post("", response={201: TerritoryOut}, summary="Créer un territoire d'intervention")
def territory_create(
    request: HttpRequest, payload: TerritoryCreateIn
) -> Status[InterventionTerritory]:
    current = _territory_user(request)
    if payload.structure_id is None:
        structure = current.organisation
    else:
        found = Organisation.objects.filter(public_id=payload.structure_id).first()
        if found is None:
            raise not_found()
        structure = found
    if not can_create_territory(current, structure):
        raise forbidden()
    territory = services.territory_create(
        by=current,
        structure=structure,
        name=payload.name,
        description=payload.description,
        commune_codes=payload.commune_codes,
    )
    return Status(201, _territory_out(territory))


@router.patch(
    "/{public_id}", response=TerritoryOut, summary="Modifier un territoire d'intervention"
)
def territory_update(
    request: HttpRequest, public_id: UUID, payload: TerritoryPatchIn
) -> InterventionTerritory:
    current = _territory_user(request)
    territory = _territory(current, public_id)
    if not can_edit_territory(current, territory):
        raise forbidden()
    codes = payload.commune_codes
    if codes is None:
        codes = list(territory.communes.values_list("insee_code", flat=True))
    services.territory_update(
        by=current,
        territory=territory,
        name=territory.name if payload.name is None else payload.name,
        description=territory.description if payload.description is None else payload.description,
        commune_codes=codes,
    )
    return _territory_out(territory)


@router.post(
    "/{public_id}/archive", response=TerritoryOut, summary="Archiver un territoire d'intervention"
)
def territory_archive(request: HttpRequest, public_id: UUID) -> InterventionTerritory:
    current = _territory_user(request)
    territory = _territory(current, public_id)
    if not can_edit_territory(current, territory):
        raise forbidden()
    services.territory_archive(by=current, territory=territory)
    return _territory_out(territory)
