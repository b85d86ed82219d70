"""Payment statements over the API: the coordinator's structure's, a professional's own."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from oncoparcours.accounts.models import Membership, User
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.core.errors import error_items_from_validation, log_refusal
from oncoparcours.payments import documents, services
from oncoparcours.payments.models import Statement
from oncoparcours.payments.permissions import (
    access_statement,
    can_manage_statements,
    is_coordinator,
)
from oncoparcours.payments.rules import parse_month
from oncoparcours.payments.selectors import (
    professional_statement_list,
    statement_lines,
    structure_statement_list,
)
from oncoparcours.professionals.permissions import is_professional

router = Router(tags=["Paiements"])


class StatementOut(Schema):
    id: UUID
    structure_id: UUID
    structure_name: str
    professional_id: UUID
    professional_name: str
    month: str
    status: str
    status_label: str
    # Euros to the cent as a string: the stored total once validated, the lines' sum before.
    total: str
    line_count: int
    validated_at: datetime | None
    paid_on: date | None
    payment_reference: str

    @staticmethod
    def resolve_id(obj: Statement) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_structure_id(obj: Statement) -> UUID:
        return obj.structure.public_id

    @staticmethod
    def resolve_structure_name(obj: Statement) -> str:
        return obj.structure.name

    @staticmethod
    def resolve_professional_id(obj: Statement) -> UUID:
        return obj.professional.public_id

    @staticmethod
    def resolve_professional_name(obj: Statement) -> str:
        return obj.professional.get_full_name()

    @staticmethod
    def resolve_month(obj: Statement) -> str:
        return f"{obj.month:%Y-%m}"

    @staticmethod
    def resolve_status_label(obj: Statement) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_total(obj: Statement) -> str:
        total = obj.total if obj.total is not None else getattr(obj, "lines_total", None)
        return f"{total if total is not None else 0:.2f}"

    @staticmethod
    def resolve_line_count(obj: Statement) -> int:
        return int(getattr(obj, "line_count", 0))


class LineOut(Schema):
    id: UUID
    act_id: UUID
    kind: str
    prestation: str
    done_on: str
    pathway_reference: str
    patient_initials: str
    amount: str
    corrects_id: UUID | None
    reason: str


class StatementDetailOut(StatementOut):
    lines: list[LineOut]

    @staticmethod
    def resolve_lines(obj: Statement) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = getattr(obj, "line_rows", [])
        return rows


class PrepareIn(Schema):
    month: str
    # Without it, every professional of the structure with something to pay.
    professional_id: UUID | None = None


class MarkPaidIn(Schema):
    paid_on: date | None = None
    reference: str = ""


class ErrorsOut(Schema):
    errors: list[dict[str, Any]]


def _detail(statement: Statement) -> Statement:
    """The statement with its lines read once (one query), for ``StatementDetailOut``."""
    lines = list(statement_lines(statement))
    statement.lines_total = documents.statement_total(statement, lines)  # type: ignore[attr-defined]
    statement.line_count = len(lines)  # type: ignore[attr-defined]
    statement.line_rows = [  # type: ignore[attr-defined]
        {
            "id": row.line.public_id,
            "act_id": row.line.act.public_id,
            "kind": row.line.act.kind,
            "prestation": row.prestation,
            "done_on": row.done_on,
            "pathway_reference": row.pathway_reference,
            "patient_initials": row.patient,
            "amount": f"{row.line.amount:.2f}",
            "corrects_id": row.line.corrects.public_id if row.line.corrects else None,
            "reason": row.reason,
        }
        for row in (documents.line_row(line) for line in lines)
    ]
    return statement


def _visible(request: HttpRequest, statement_id: UUID) -> tuple[Membership, Statement]:
    current = actor(request)
    try:
        return current, access_statement(current, statement_id)
    except Http404:
        raise not_found() from None


def _managed(request: HttpRequest, statement_id: UUID) -> tuple[Membership, Statement]:
    current, statement = _visible(request, statement_id)
    if not can_manage_statements(current, statement.structure):
        raise forbidden()
    return current, statement


def _month_or_refuse(text: str, current: Membership, where: str) -> date | Status[Any]:
    month = parse_month(text)
    if month is None:
        log_refusal(where=where, actor=current, codes=["statement.month_invalid"])
        return Status(
            422,
            {
                "errors": [
                    {
                        "code": "statement.month_invalid",
                        "message": _("Indiquez le mois sous la forme AAAA-MM."),
                        "field": "month",
                    }
                ]
            },
        )
    return month


@router.get(
    "/statements",
    response={200: list[StatementOut], 422: ErrorsOut},
    summary="Relevés de paiement (coordinateur : sa structure ; professionnel : les siens)",
    description="Filtre `month` au format AAAA-MM. Montants en chaînes à deux décimales.",
)
def statement_list(request: HttpRequest, month: str = "") -> Any:
    current = actor(request)
    chosen = None
    if month:
        parsed = _month_or_refuse(month, current, "statement_list")
        if isinstance(parsed, Status):
            return parsed
        chosen = parsed
    if is_coordinator(current) and can_manage_statements(current, current.organisation):
        return list(structure_statement_list(current.organisation, month=chosen))
    if is_professional(current):
        return list(professional_statement_list(current.user, month=chosen))
    raise forbidden()


# Before /statements/{statement_id}: the first matching path takes the request.
@router.post(
    "/statements/prepare",
    response={200: list[StatementOut], 422: ErrorsOut},
    summary="Préparer les relevés d'un mois (coordinateur)",
    description="Crée ou complète le brouillon de chaque professionnel (ou de celui indiqué) "
    "avec les lignes non encore portées sur un relevé, jusqu'à ce mois. 422 avec des codes "
    "stables (`statement.not_draft`, `statement.empty`, `statement.month_invalid`).",
)
def statement_prepare_endpoint(request: HttpRequest, payload: PrepareIn) -> Any:
    current = actor(request)
    structure = current.organisation
    if not can_manage_statements(current, structure):
        raise forbidden()
    month = _month_or_refuse(payload.month, current, "statement_prepare")
    if isinstance(month, Status):
        return month
    try:
        if payload.professional_id is None:
            prepared = services.statements_prepare(by=current, structure=structure, month=month)
        else:
            professional = User.objects.filter(public_id=payload.professional_id).first()
            if professional is None:
                raise not_found()
            prepared = [
                services.statement_prepare(
                    by=current, structure=structure, professional=professional, month=month
                )
            ]
    except ValidationError as exc:
        return Status(422, {"errors": error_items_from_validation(exc)})
    ids = [s.pk for s in prepared]
    return list(structure_statement_list(structure).filter(pk__in=ids))


@router.get(
    "/statements/{statement_id}",
    response=StatementDetailOut,
    summary="Un relevé avec ses lignes (patients en initiales)",
)
def statement_get(request: HttpRequest, statement_id: UUID) -> Statement:
    _current, statement = _visible(request, statement_id)
    return _detail(statement)


@router.post(
    "/statements/{statement_id}/validate",
    response={200: StatementDetailOut, 422: ErrorsOut},
    summary="Valider un relevé : son total est arrêté (coordinateur)",
)
def statement_validate_endpoint(request: HttpRequest, statement_id: UUID) -> Any:
    current, statement = _managed(request, statement_id)
    try:
        statement = services.statement_validate(by=current, statement=statement)
    except ValidationError as exc:
        return Status(422, {"errors": error_items_from_validation(exc)})
    return _detail(access_statement(current, statement.public_id))


@router.post(
    "/statements/{statement_id}/mark-paid",
    response={200: StatementDetailOut, 422: ErrorsOut},
    summary="Indiquer un relevé validé comme payé (coordinateur)",
)
def statement_mark_paid_endpoint(
    request: HttpRequest, statement_id: UUID, payload: MarkPaidIn
) -> Any:
    current, statement = _managed(request, statement_id)
    try:
        statement = services.statement_mark_paid(
            by=current, statement=statement, paid_on=payload.paid_on, reference=payload.reference
        )
    except ValidationError as exc:
        return Status(422, {"errors": error_items_from_validation(exc)})
    return _detail(access_statement(current, statement.public_id))


@router.get("/statements/{statement_id}/csv", summary="Le relevé en CSV (séparateur ;)")
def statement_csv_endpoint(request: HttpRequest, statement_id: UUID) -> HttpResponse:
    _current, statement = _visible(request, statement_id)
    content = documents.statement_csv(statement, list(statement_lines(statement)))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = documents.statement_filename(statement, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get("/statements/{statement_id}/pdf", summary="Le relevé en PDF")
def statement_pdf_endpoint(request: HttpRequest, statement_id: UUID) -> HttpResponse:
    _current, statement = _visible(request, statement_id)
    content = documents.statement_pdf(statement, list(statement_lines(statement)))
    response = HttpResponse(content, content_type="application/pdf")
    filename = documents.statement_filename(statement, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
