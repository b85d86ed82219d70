"""Payment statements: the coordinator's monthly list and each statement; a professional's
own statements. Views do HTTP only: access, one service or selector, render."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.pathways.views.base import add_errors
from oncoparcours.payments import documents, services
from oncoparcours.payments.forms import MarkPaidForm, MonthFilterForm, PrepareForm
from oncoparcours.payments.models import Statement, StatementStatus
from oncoparcours.payments.permissions import (
    access_statement,
    can_manage_statements,
    is_coordinator,
)
from oncoparcours.payments.rules import first_of_month, previous_month
from oncoparcours.payments.selectors import (
    acts_without_contract,
    professional_statement_list,
    statement_lines,
    structure_month_total,
    structure_statement_list,
)
from oncoparcours.professionals.permissions import is_professional


def _coordinator(request: HttpRequest) -> Membership:
    actor = acting_membership(request)
    if not is_coordinator(actor) or not can_manage_statements(actor, actor.organisation):
        raise PermissionDenied
    return actor


def _render_structure(
    request: HttpRequest, actor: Membership, month: Any, **forms_: Any
) -> HttpResponse:
    structure = actor.organisation
    ctx = {
        "structure": structure,
        "month": month,
        "filter_form": MonthFilterForm(initial={"mois": month}),
        "statements": list(structure_statement_list(structure, month=month)),
        "month_total": structure_month_total(structure, month),
        "acts_without_contract": [
            documents.act_row(act) for act in acts_without_contract(structure, month)
        ],
        "prepare_form": forms_.get("prepare_form") or PrepareForm(initial={"month": month}),
    }
    return render(request, "payments/structure.html", ctx)


@login_required
def statement_home(request: HttpRequest) -> HttpResponse:
    """Coordinators: their structure's statements of one month (the previous one by default);
    professionals: their own statements."""
    actor = acting_membership(request)
    form = MonthFilterForm(request.GET or None)
    month = form.cleaned_data.get("mois") if form.is_valid() else None
    if is_coordinator(actor):
        actor = _coordinator(request)
        month = first_of_month(month) if month else previous_month(timezone.localdate())
        return _render_structure(request, actor, month)
    if is_professional(actor):
        month = first_of_month(month) if month else None
        ctx = {
            "statements": list(professional_statement_list(actor.user, month=month)),
            "filter_form": form if form.is_bound else MonthFilterForm(),
        }
        return render(request, "payments/mine.html", ctx)
    raise PermissionDenied


@login_required
@require_POST
def statements_prepare(request: HttpRequest) -> HttpResponse:
    actor = _coordinator(request)
    form = PrepareForm(request.POST)
    if form.is_valid():
        month = first_of_month(form.cleaned_data["month"])
        try:
            prepared = services.statements_prepare(
                by=actor, structure=actor.organisation, month=month
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(count)s relevé(s) préparé(s) pour %(month)s.")
                % {"count": len(prepared), "month": f"{month:%m/%Y}"},
            )
            return redirect(f"{reverse('payments:list')}?mois={month:%Y-%m}")
    month = previous_month(timezone.localdate())
    return _render_structure(request, actor, month, prepare_form=form)


def _statement_ctx(actor: Membership, statement: Statement, **forms_: Any) -> dict[str, Any]:
    lines = list(statement_lines(statement))
    can_manage = can_manage_statements(actor, statement.structure)
    return {
        "statement": statement,
        "rows": [documents.line_row(line) for line in lines],
        "total": documents.statement_total(statement, lines),
        "can_validate": can_manage and statement.status == StatementStatus.DRAFT and bool(lines),
        "can_mark_paid": can_manage and statement.status == StatementStatus.VALIDATED,
        "paid_form": forms_.get("paid_form")
        or MarkPaidForm(initial={"paid_on": timezone.localdate()}),
    }


@login_required
def statement_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = acting_membership(request)
    statement = access_statement(actor, public_id)
    return render(request, "payments/detail.html", _statement_ctx(actor, statement))


def _managed_statement(request: HttpRequest, public_id: UUID) -> tuple[Membership, Statement]:
    actor = acting_membership(request)
    statement = access_statement(actor, public_id)
    if not can_manage_statements(actor, statement.structure):
        raise PermissionDenied
    return actor, statement


@login_required
@require_POST
def statement_validate(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, statement = _managed_statement(request, public_id)
    try:
        services.statement_validate(by=actor, statement=statement)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Relevé validé : son total est arrêté."))
    return redirect("payments:detail", public_id=statement.public_id)


@login_required
@require_POST
def statement_mark_paid(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor, statement = _managed_statement(request, public_id)
    form = MarkPaidForm(request.POST)
    if form.is_valid():
        try:
            services.statement_mark_paid(
                by=actor,
                statement=statement,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Paiement enregistré."))
            return redirect("payments:detail", public_id=statement.public_id)
    return render(request, "payments/detail.html", _statement_ctx(actor, statement, paid_form=form))


@login_required
def statement_csv(request: HttpRequest, public_id: UUID) -> HttpResponse:
    statement = access_statement(acting_membership(request), public_id)
    content = documents.statement_csv(statement, list(statement_lines(statement)))
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    filename = documents.statement_filename(statement, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def statement_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    statement = access_statement(acting_membership(request), public_id)
    content = documents.statement_pdf(statement, list(statement_lines(statement)))
    response = HttpResponse(content, content_type="application/pdf")
    filename = documents.statement_filename(statement, "pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
