import csv
import io
from decimal import Decimal
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acting_membership
from oncoparcours.funding import services
from oncoparcours.funding.forms import (
    AllocationForm,
    ConventionEndForm,
    ConventionForm,
    ConventionSignForm,
    EnvelopeForm,
    PaymentForm,
    YearForm,
)
from oncoparcours.funding.models import ConventionStatus, FundingEnvelope
from oncoparcours.funding.permissions import (
    access_convention,
    access_envelope,
    access_structure,
    can_end_convention,
    can_manage_funding,
    can_sign_convention,
    can_use_funding,
    is_funding_manager,
)
from oncoparcours.funding.selectors import (
    BalanceTable,
    allocation_choices,
    allocation_list,
    convention_list_for,
    due_by_structure,
    envelope_list_for,
    funding_balance,
    payment_list,
    structure_allocation_list,
    structure_conventions,
)
from oncoparcours.organisations.models import Organisation


def _actor(request: HttpRequest) -> Membership:
    return acting_membership(request, can_use_funding)


def _manager(request: HttpRequest) -> Membership:
    actor = _actor(request)
    if not can_manage_funding(actor):
        raise PermissionDenied
    return actor


def _year(request: HttpRequest) -> int:
    form = YearForm(request.GET)
    if form.is_valid() and form.cleaned_data["annee"]:
        return int(form.cleaned_data["annee"])
    return timezone.localdate().year


@login_required
def funding_home(request: HttpRequest) -> HttpResponse:
    """The ARS: the due/paid table; a coordinator: their structure's page."""
    actor = _actor(request)
    if is_funding_manager(actor):
        return redirect("funding:balance")
    return _render_structure(request, actor, actor.organisation)


@login_required
def balance(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    year = _year(request)
    ctx = {
        "table": funding_balance(ars_id=actor.organisation_id, year=year),
        "year": year,
        "years": [year - 1, year + 1],
    }
    return render(request, "funding/balance.html", ctx)


def _amount(value: Decimal) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True)


def _cell(text: str) -> str:
    # A spreadsheet would run a cell starting like a formula.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


@login_required
def balance_csv(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    year = _year(request)
    table: BalanceTable = funding_balance(ars_id=actor.organisation_id, year=year)
    buffer = io.StringIO()
    # "\ufeff" and ";" so that a French spreadsheet opens it with the right columns and accents.
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Structure porteuse"),
            _("Conventions"),
            _("Parcours avec prestations réalisées"),
            _("Prestations réalisées (€)"),
            _("Forfait dû après plafond (€)"),
            _("Forfait versé (€)"),
            _("Forfait restant dû (€)"),
            _("Coordination allouée (€)"),
            _("Coordination versée (€)"),
            _("Coordination restant à verser (€)"),
        ]
    )
    for row in table.rows:
        writer.writerow(
            [
                _cell(row.structure.name),
                _cell(" | ".join(c.reference for c in row.conventions)),
                row.pathways,
                _amount(row.done),
                _amount(row.due),
                _amount(row.forfait_paid),
                _amount(row.forfait_balance),
                _amount(row.allocated),
                _amount(row.coordination_paid),
                _amount(row.coordination_balance),
            ]
        )
    totals = table.totals
    writer.writerow(
        [
            _("Total régional"),
            "",
            sum(row.pathways for row in table.rows),
            *[
                _amount(totals[name])
                for name in (
                    "done",
                    "due",
                    "forfait_paid",
                    "forfait_balance",
                    "allocated",
                    "coordination_paid",
                    "coordination_balance",
                )
            ],
        ]
    )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="financement-{year}.csv"'
    return response


@login_required
def structure_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    return _render_structure(request, actor, access_structure(actor, public_id))


def _render_structure(
    request: HttpRequest, actor: Membership, structure: Organisation
) -> HttpResponse:
    year = _year(request)
    ars_id = actor.organisation_id if is_funding_manager(actor) else None
    table = funding_balance(ars_id=ars_id, year=year, structure=structure)
    ctx = {
        "structure": structure,
        "year": year,
        "years": [year - 1, year + 1],
        "row": table.rows[0],
        "conventions": structure_conventions(structure, actor),
        "allocations": structure_allocation_list(structure, ars_id=ars_id),
        "payments": payment_list(ars_id=ars_id, structure=structure, year=year),
        "is_manager": is_funding_manager(actor),
    }
    return render(request, "funding/structure.html", ctx)


@login_required
def convention_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    ctx = {
        "conventions": convention_list_for(actor).order_by("structure__name", "-start_date"),
        "can_manage": can_manage_funding(actor),
        "today": timezone.localdate(),
    }
    return render(request, "funding/convention_list.html", ctx)


@login_required
def convention_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    amends = None
    if request.GET.get("avenant"):
        try:
            amends = access_convention(actor, UUID(request.GET["avenant"]))
        except ValueError:
            raise Http404 from None
    initial = {}
    if amends is not None:
        initial = {
            "structure": amends.structure,
            "territories": list(amends.territories.all()),
            "end_date": amends.end_date,
            "expected_patients_per_year": amends.expected_patients_per_year,
            "report_due_day": amends.report_due_day,
            "report_due_month": amends.report_due_month,
            "funding_terms": amends.funding_terms,
            "information_to_doctors": amends.information_to_doctors,
            "evaluation_data": amends.evaluation_data,
        }
    form = ConventionForm(
        request.POST or None,
        initial=initial,
        structure=amends.structure if amends is not None else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            convention = services.convention_create(by=actor, amends=amends, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Projet de convention enregistré : il reste à le signer."))
            return redirect("funding:convention-detail", public_id=convention.public_id)
    return render(request, "funding/convention_form.html", {"form": form, "amends": amends})


@login_required
def convention_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    convention = access_convention(actor, public_id)
    today = timezone.localdate()
    due = None
    if convention.status != ConventionStatus.DRAFT and convention.start_date <= today:
        end = min(convention.effective_end, today)
        due = due_by_structure(
            start=convention.start_date, end=end, structure_ids=[convention.structure_id]
        ).get(convention.structure_id)
    ctx = {
        "convention": convention,
        "territories": convention.territories.order_by("name"),
        "amendments": convention.amendments.order_by("start_date"),
        "payments": convention.payments.order_by("-paid_on"),
        "due": due,
        "due_until": min(convention.effective_end, today),
        "can_sign": can_sign_convention(actor, convention)
        and convention.status == ConventionStatus.DRAFT,
        "can_end": can_end_convention(actor, convention)
        and convention.status == ConventionStatus.SIGNED,
        "report_due": convention.report_due_in(today.year),
    }
    return render(request, "funding/convention_detail.html", ctx)


@login_required
def convention_sign(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    convention = access_convention(actor, public_id)
    if not can_sign_convention(actor, convention):
        raise PermissionDenied
    form = ConventionSignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.convention_sign(by=actor, convention=convention, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Convention signée."))
            return redirect("funding:convention-detail", public_id=convention.public_id)
    ctx = {"form": form, "convention": convention, "action": _("Signer la convention")}
    return render(request, "funding/convention_action.html", ctx)


@login_required
def convention_end(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _actor(request)
    convention = access_convention(actor, public_id)
    if not can_end_convention(actor, convention):
        raise PermissionDenied
    form = ConventionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.convention_end(by=actor, convention=convention, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Fin de la convention enregistrée : elle reste conservée."))
            return redirect("funding:convention-detail", public_id=convention.public_id)
    ctx = {"form": form, "convention": convention, "action": _("Mettre fin à la convention")}
    return render(request, "funding/convention_action.html", ctx)


@login_required
def envelope_list(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    return render(request, "funding/envelope_list.html", {"envelopes": envelope_list_for(actor)})


@login_required
def envelope_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = EnvelopeForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            envelope = services.envelope_create(by=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Enveloppe enregistrée."))
            return redirect("funding:envelope-detail", public_id=envelope.public_id)
    return render(request, "funding/envelope_form.html", {"form": form})


def _render_envelope(
    request: HttpRequest, envelope: FundingEnvelope, form: AllocationForm, status: int = 200
) -> HttpResponse:
    allocations = list(allocation_list(envelope))
    allocated = sum((a.amount for a in allocations), Decimal("0.00"))
    ctx = {
        "envelope": envelope,
        "allocations": allocations,
        "allocated": allocated,
        "remaining": envelope.amount - allocated,
        "paid": sum((a.paid for a in allocations), Decimal("0.00")),  # type: ignore[attr-defined]
        "form": form,
    }
    return render(request, "funding/envelope_detail.html", ctx, status=status)


@login_required
def envelope_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _manager(request)
    envelope = access_envelope(actor, public_id)
    return _render_envelope(request, envelope, AllocationForm(initial={"decided_on": None}))


@login_required
def allocation_create(request: HttpRequest, public_id: UUID) -> HttpResponse:
    actor = _manager(request)
    envelope = access_envelope(actor, public_id)
    if request.method != "POST":
        return redirect("funding:envelope-detail", public_id=envelope.public_id)
    form = AllocationForm(request.POST)
    if form.is_valid():
        try:
            services.allocation_create(by=actor, envelope=envelope, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Allocation enregistrée."))
            return redirect("funding:envelope-detail", public_id=envelope.public_id)
    return _render_envelope(request, envelope, form, status=400)


@login_required
def payment_list_page(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    year = _year(request)
    ctx = {
        "payments": payment_list(ars_id=actor.organisation_id, year=year),
        "year": year,
        "years": [year - 1, year + 1],
    }
    return render(request, "funding/payment_list.html", ctx)


@login_required
def payment_create(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    form = PaymentForm(request.POST or None, allocations=allocation_choices(actor))
    if request.method == "POST" and form.is_valid():
        try:
            services.payment_record(by=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Versement enregistré."))
            return redirect("funding:payments")
    return render(request, "funding/payment_form.html", {"form": form})
