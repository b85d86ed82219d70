from datetime import datetime
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.organisations import services
from oncoparcours.organisations.models import Organisation
from oncoparcours.organisations.permissions import (
    access_organisation,
    can_archive_organisation,
    can_create_organisation,
    can_edit_organisation,
    can_list_organisations,
    can_manage_members,
)
from oncoparcours.organisations.selectors import member_list, organisation_list_for

router = Router(tags=["Organisations"])


class CommuneOut(Schema):
    insee_code: str
    name: str
    department_code: str
    department_name: str


class OrganisationOut(Schema):
    id: UUID
    name: str
    kind: str
    kind_label: str
    structure_type: str
    structure_type_label: str
    finess_ej: str
    finess_et: str
    siret: str
    address: str
    postal_code: str
    commune: CommuneOut | None
    phone: str
    email: str
    serves_adults: bool
    serves_aja: bool
    serves_children: bool
    archived_at: datetime | None

    @staticmethod
    def resolve_id(obj: Organisation) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_structure_type_label(obj: Organisation) -> str:
        return str(obj.get_structure_type_display()) if obj.structure_type else ""

    @staticmethod
    def resolve_commune(obj: Organisation) -> CommuneOut | None:
        commune = obj.commune
        if commune is None:
            return None
        return CommuneOut(
            insee_code=commune.insee_code,
            name=commune.name,
            department_code=commune.department_id,
            department_name=commune.department.name,
        )


class OrganisationFilters(Schema):
    kind: str | None = None
    department: str | None = None
    q: str | None = None


class OrganisationIn(Schema):
    name: str
    kind: str
    structure_type: str = ""
    finess_ej: str = ""
    finess_et: str = ""
    siret: str = ""
    address: str = ""
    postal_code: str = ""
    commune_insee: str = ""
    phone: str = ""
    email: str = ""
    serves_adults: bool = True
    serves_aja: bool = False
    serves_children: bool = False


class OrganisationPatch(Schema):
    """Only the fields sent (and not null) are changed; send "" to clear a text field."""

    name: str | None = None
    kind: str | None = None
    structure_type: str | None = None
    finess_ej: str | None = None
    finess_et: str | None = None
    siret: str | None = None
    address: str | None = None
    postal_code: str | None = None
    commune_insee: str | None = None
    phone: str | None = None
    email: str | None = None
    serves_adults: bool | None = None
    serves_aja: bool | None = None
    serves_children: bool | None = None


class MemberOut(Schema):
    id: UUID
    user_id: UUID
    email: str
    first_name: str
    last_name: str
    role: str
    role_label: str
    created_at: datetime
    ended_at: datetime | None

    @staticmethod
    def resolve_id(obj: Membership) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_user_id(obj: Membership) -> UUID:
        return obj.user.public_id

    @staticmethod
    def resolve_email(obj: Membership) -> str:
        return obj.user.email

    @staticmethod
    def resolve_first_name(obj: Membership) -> str:
        return obj.user.first_name

    @staticmethod
    def resolve_last_name(obj: Membership) -> str:
        return obj.user.last_name

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(obj.role_info.label)


class MemberIn(Schema):
    email: str
    first_name: str = ""
    last_name: str = ""
    role: str


def _organisation(request: HttpRequest, organisation_id: UUID) -> Organisation:
    try:
        return access_organisation(actor(request), organisation_id)
    except Http404:
        raise not_found() from None


@router.get(
    "",
    response=list[OrganisationOut],
    summary="Organisations visibles (toutes pour les rôles régionaux, la sienne sinon)",
)
@paginate(PageNumberPagination)
def organisation_list(
    request: HttpRequest, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    current = actor(request)
    if not can_list_organisations(current):
        raise forbidden()
    return organisation_list_for(
        current, kind=filters.kind, department=filters.department, q=filters.q
    )


@router.get("/{organisation_id}", response=OrganisationOut, summary="Une organisation")
def organisation_get(request: HttpRequest, organisation_id: UUID) -> Organisation:
    return _organisation(request, organisation_id)


@router.post("", response={201: OrganisationOut}, summary="Créer une organisation")
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    current = actor(request)
    if not can_create_organisation(current):
        raise forbidden()
    organisation = services.organisation_create(by=current, **payload.model_dump())
    return Status(201, organisation)


@router.patch("/{organisation_id}", response=OrganisationOut, summary="Modifier une organisation")
def organisation_update(
    request: HttpRequest, organisation_id: UUID, payload: OrganisationPatch
) -> Organisation:
    organisation = _organisation(request, organisation_id)
    current = actor(request)
    if not can_edit_organisation(current, organisation):
        raise forbidden()
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    return services.organisation_update(by=current, organisation=organisation, **changes)


@router.post(
    "/{organisation_id}/archive", response=OrganisationOut, summary="Archiver une organisation"
)
def organisation_archive(request: HttpRequest, organisation_id: UUID) -> Organisation:
    organisation = _organisation(request, organisation_id)
    current = actor(request)
    if not can_archive_organisation(current, organisation):
        raise forbidden()
    return services.organisation_archive(by=current, organisation=organisation)


@router.get(
    "/{organisation_id}/members",
    response=list[MemberOut],
    summary="Membres d'une organisation (rôles en cours puis terminés)",
)
@paginate(PageNumberPagination)
def member_list_endpoint(request: HttpRequest, organisation_id: UUID) -> QuerySet[Membership]:
    organisation = _organisation(request, organisation_id)
    if not can_manage_members(actor(request), organisation):
        raise forbidden()
    return member_list(organisation)


@router.post(
    "/{organisation_id}/members",
    response={201: MemberOut},
    summary="Ajouter un membre (compte créé et invité si besoin)",
)
def member_add(
    request: HttpRequest, organisation_id: UUID, payload: MemberIn
) -> Status[Membership]:
    organisation = _organisation(request, organisation_id)
    current = actor(request)
    if not can_manage_members(current, organisation):
        raise forbidden()
    membership = services.member_add(
        by=current,
        organisation=organisation,
        site_domain=request.get_host(),
        use_https=request.is_secure(),
        **payload.model_dump(),
    )
    return Status(201, membership)


@router.post(
    "/{organisation_id}/members/{membership_id}/end",
    response=MemberOut,
    summary="Mettre fin au rôle d'un membre (l'historique est conservé)",
)
def member_end(request: HttpRequest, organisation_id: UUID, membership_id: UUID) -> Membership:
    organisation = _organisation(request, organisation_id)
    current = actor(request)
    if not can_manage_members(current, organisation):
        raise forbidden()
    membership = member_list(organisation).filter(public_id=membership_id).first()
    if membership is None:
        raise not_found()
    return services.member_end(by=current, membership=membership)
