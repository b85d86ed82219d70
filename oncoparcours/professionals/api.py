from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.accounts.models import User
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.payments.models import Statement
from oncoparcours.professionals import services
from oncoparcours.professionals.models import Contract, Diploma, ProfessionalProfile
from oncoparcours.professionals.permissions import (
    access_contract,
    access_diploma,
    access_professional,
    access_structure,
    can_add_diploma,
    can_archive_diploma,
    can_edit_profile,
    can_manage_contracts,
    is_professional,
)
from oncoparcours.professionals.rules import EVIDENCE_EXTENSIONS
from oncoparcours.professionals.selectors import contract_list, diploma_list, profile_of
from oncoparcours.professionals.selectors import (
    structure_diploma_list as select_structure_diplomas,
)
from oncoparcours.professionals.workspace import Workspace, workspace_for
from oncoparcours.reports.models import Report, ReportDelivery

router = Router(tags=["Professionnels"])
# Optional, so that a missing file reaches the service and comes back as its French error.
OPTIONAL_FILE = File(None)


class ContractOut(Schema):
    id: UUID
    professional_id: UUID
    structure_id: UUID
    kind: str
    start_date: date
    end_date: date | None
    assessment_rate: Decimal
    followup_rate: Decimal

    @staticmethod
    def resolve_id(obj: Contract) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_professional_id(obj: Contract) -> UUID:
        return obj.professional.public_id

    @staticmethod
    def resolve_structure_id(obj: Contract) -> UUID:
        return obj.structure.public_id


class ContractIn(Schema):
    professional_id: UUID
    kind: str
    start_date: date
    end_date: date | None = None
    assessment_rate: Decimal
    followup_rate: Decimal


class ContractEndIn(Schema):
    end_date: date


class ProfileOut(Schema):
    professional_id: UUID
    first_name: str
    last_name: str
    profession: str
    rpps: str
    adeli: str
    qualification_code: str
    commune_insee: str
    practice_address: str
    video_consultations: bool


class ProfilePatch(Schema):
    """Only the fields sent (and not null) are changed; send "" to clear a text field."""

    profession: str | None = None
    rpps: str | None = None
    adeli: str | None = None
    qualification_code: str | None = None
    commune_insee: str | None = None
    practice_address: str | None = None
    video_consultations: bool | None = None


class DiplomaOut(Schema):
    id: UUID
    professional_id: UUID
    title: str
    issuer: str
    obtained_on: date
    evidence_type: str
    uploaded_at: datetime
    archived_at: datetime | None

    @staticmethod
    def resolve_id(obj: Diploma) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_professional_id(obj: Diploma) -> UUID:
        return obj.professional.public_id


class DiplomaIn(Schema):
    # Defaults, so that missing fields reach the service and come back as its French errors.
    title: str = ""
    issuer: str = ""
    obtained_on: date | None = None


def _profile_out(user: User, profile: ProfessionalProfile | None) -> ProfileOut:
    category = profile.qualification_category if profile else None
    return ProfileOut(
        professional_id=user.public_id,
        first_name=user.first_name,
        last_name=user.last_name,
        profession=user.profession,
        rpps=user.rpps,
        adeli=profile.adeli if profile else "",
        qualification_code=category.code if category else "",
        commune_insee=(profile.practice_commune_id or "") if profile else "",
        practice_address=profile.practice_address if profile else "",
        video_consultations=profile.video_consultations if profile else False,
    )


def _structure(request: HttpRequest, structure_id: UUID) -> Organisation:
    try:
        return access_structure(actor(request), structure_id)
    except Http404:
        raise not_found() from None


def _professional(request: HttpRequest, professional_id: UUID) -> User:
    try:
        return access_professional(actor(request), professional_id)
    except Http404:
        raise not_found() from None


@router.get(
    "/structures/{structure_id}/contracts",
    response=list[ContractOut],
    summary="Contrats d'une structure porteuse (en cours et passés)",
)
@paginate(PageNumberPagination)
def contract_list_endpoint(request: HttpRequest, structure_id: UUID) -> QuerySet[Contract]:
    structure = _structure(request, structure_id)
    if not can_manage_contracts(actor(request), structure):
        raise forbidden()
    return contract_list(structure)


@router.post(
    "/structures/{structure_id}/contracts",
    response={201: ContractOut},
    summary="Créer un contrat (tarifs plafonnés : PSG-07, PSG-08)",
)
def contract_create(
    request: HttpRequest, structure_id: UUID, payload: ContractIn
) -> Status[Contract]:
    structure = _structure(request, structure_id)
    current = actor(request)
    if not can_manage_contracts(current, structure):
        raise forbidden()
    professional = User.objects.filter(public_id=payload.professional_id).first()
    if professional is None:
        raise not_found()
    values = payload.model_dump(exclude={"professional_id"})
    contract = services.contract_create(
        by=current, structure=structure, professional=professional, **values
    )
    return Status(201, contract)


@router.post(
    "/contracts/{contract_id}/end",
    response=ContractOut,
    summary="Mettre fin à un contrat (l'historique est conservé)",
)
def contract_end(request: HttpRequest, contract_id: UUID, payload: ContractEndIn) -> Contract:
    current = actor(request)
    try:
        contract = access_contract(current, contract_id)
    except Http404:
        raise not_found() from None
    if not can_manage_contracts(current, contract.structure):
        raise forbidden()
    return services.contract_end(by=current, contract=contract, end_date=payload.end_date)


@router.get("/{professional_id}/profile", response=ProfileOut, summary="Profil professionnel")
def professional_profile_get(request: HttpRequest, professional_id: UUID) -> ProfileOut:
    user = _professional(request, professional_id)
    return _profile_out(user, profile_of(user))


@router.patch(
    "/{professional_id}/profile", response=ProfileOut, summary="Modifier un profil professionnel"
)
def professional_profile_update(
    request: HttpRequest, professional_id: UUID, payload: ProfilePatch
) -> ProfileOut:
    user = _professional(request, professional_id)
    current = actor(request)
    if not can_edit_profile(current, user):
        raise forbidden()
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    profile = services.profile_update(by=current, professional=user, **changes)
    return _profile_out(user, profile)


@router.get(
    "/{professional_id}/diplomas",
    response=list[DiplomaOut],
    summary="Diplômes d'un professionnel (sans les archivés)",
)
@paginate(PageNumberPagination)
def diploma_list_endpoint(request: HttpRequest, professional_id: UUID) -> QuerySet[Diploma]:
    return diploma_list(_professional(request, professional_id))


@router.post(
    "/{professional_id}/diplomas",
    response={201: DiplomaOut},
    summary="Ajouter un diplôme (multipart : champs et justificatif PDF, JPEG ou PNG ≤ 10 Mo)",
)
def diploma_add(
    request: HttpRequest,
    professional_id: UUID,
    payload: Form[DiplomaIn],
    evidence: UploadedFile | None = OPTIONAL_FILE,
) -> Status[Diploma]:
    user = _professional(request, professional_id)
    current = actor(request)
    if not can_add_diploma(current, user):
        raise forbidden()
    diploma = services.diploma_add(
        by=current, professional=user, evidence=evidence, **payload.model_dump()
    )
    return Status(201, diploma)


@router.get(
    "/structures/{structure_id}/diplomas",
    response=list[DiplomaOut],
    summary="Diplômes des professionnels d'une structure porteuse (ARS, PSG-15)",
)
@paginate(PageNumberPagination)
def structure_diploma_list(request: HttpRequest, structure_id: UUID) -> QuerySet[Diploma]:
    return select_structure_diplomas(_structure(request, structure_id))


def _diploma(request: HttpRequest, diploma_id: UUID) -> Diploma:
    try:
        return access_diploma(actor(request), diploma_id)
    except Http404:
        raise not_found() from None


@router.get(
    "/diplomas/{diploma_id}/evidence",
    response={200: None},
    summary="Télécharger le justificatif d'un diplôme (ARS : PSG-15)",
)
def diploma_evidence(request: HttpRequest, diploma_id: UUID) -> FileResponse:
    diploma = _diploma(request, diploma_id)
    try:
        handle = diploma.evidence.open("rb")
    except FileNotFoundError:
        raise not_found() from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"diplome-{diploma.public_id}{EVIDENCE_EXTENSIONS.get(diploma.evidence_type, '')}",
        content_type=diploma.evidence_type,
    )


@router.post(
    "/diplomas/{diploma_id}/archive",
    response=DiplomaOut,
    summary="Archiver un diplôme (il reste conservé et lisible par l'ARS)",
)
def diploma_archive(request: HttpRequest, diploma_id: UUID) -> Diploma:
    diploma = _diploma(request, diploma_id)
    current = actor(request)
    if not can_archive_diploma(current, diploma):
        raise forbidden()
    return services.diploma_archive(by=current, diploma=diploma)


class WorkspaceActOut(Schema):
    id: UUID
    pathway_id: UUID
    kind: str
    starts_at: datetime
    status: str
    mode: str
    place: str
    patient: str

    @staticmethod
    def resolve_id(obj: Act) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Act) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_patient(obj: Act) -> str:
        return str(obj.pathway.patient)


class WorkspacePathwayOut(Schema):
    id: UUID
    patient: str
    status: str
    deadline: date | None
    next_act_at: datetime | None

    @staticmethod
    def resolve_id(obj: Pathway) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_patient(obj: Pathway) -> str:
        return str(obj.patient)


class WorkspaceDeliveryOut(Schema):
    recipient_role: str
    status: str
    reason: str


class WorkspaceReportOut(Schema):
    id: UUID
    pathway_id: UUID
    kind: str
    created_at: datetime
    deliveries: list[WorkspaceDeliveryOut]

    @staticmethod
    def resolve_id(obj: Report) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Report) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_deliveries(obj: Report) -> list[ReportDelivery]:
        return list(obj.deliveries.all())


class WorkspaceStatementOut(Schema):
    id: UUID
    month: date
    status: str
    line_count: int
    lines_total: Decimal

    @staticmethod
    def resolve_id(obj: Statement) -> UUID:
        return obj.public_id


class WorkspaceOut(Schema):
    to_document: list[WorkspaceActOut]
    upcoming: list[WorkspaceActOut]
    pathways: list[WorkspacePathwayOut]
    reports: list[WorkspaceReportOut]
    statements: list[WorkspaceStatementOut]


@router.get(
    "/me/workspace",
    response=WorkspaceOut,
    summary="Mon espace (professionnel) : saisies à faire, prochains rendez-vous, patients, "
    "comptes rendus envoyés, relevés — dans la structure de l'appelant",
)
def professional_workspace(request: HttpRequest) -> Workspace:
    current = actor(request)
    if not is_professional(current):
        raise forbidden()
    return workspace_for(current, now=timezone.now())
