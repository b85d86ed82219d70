"""Writes of the payments (PSG-14): payable lines from completed acts, their reversal, and
the monthly statements (prepare, validate, mark paid).

History is never edited: a line's amount never changes and a validated statement's lines
never change; a mistake is reversed by a correcting line. Refusals raise ``ValidationError``
with stable codes and French messages, logged with their codes only.
"""

import logging
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act
from oncoparcours.pathways.rules.budget import ZERO, ActStatus
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.payments.models import PayableLine, Statement, StatementStatus
from oncoparcours.payments.rules import contract_rate, first_of_month, next_month
from oncoparcours.payments.selectors import (
    contract_in_force,
    done_acts_without_line,
    month_bounds,
    unattached_lines,
)
from oncoparcours.professionals.models import Contract, ContractKind

logger = logging.getLogger("oncoparcours.payments")

MAX_REFERENCE = 100


def _line_from_contract(act: Act, contract: Contract, *, by: Membership | None) -> PayableLine:
    amount = contract_rate(
        act.kind, assessment_rate=contract.assessment_rate, followup_rate=contract.followup_rate
    )
    return PayableLine.objects.create(
        structure_id=contract.structure_id,
        professional_id=act.professional_id,
        act=act,
        contract=contract,
        amount=amount,
        month=first_of_month(act.day),
        created_by=by,
    )


def payable_line_for_act(act: Act, *, by: Membership | None = None) -> PayableLine | None:
    """The line a done act gives its professional, at the rate of the contract in force on the
    act's day (PSG-07/08: never the act's booked amount, which may differ). None when the
    professional is salaried (paid by their salary) or has no contract with the structure
    that day (the statement page lists those acts for the coordinator to fix). Idempotent."""
    if act.status != ActStatus.DONE or act.kind not in PRESTATIONS:
        return None
    existing = PayableLine.objects.filter(act=act, corrects__isnull=True).first()
    if existing is not None:
        return existing
    structure_id = act.pathway.structure_id
    if structure_id is None:
        return None
    contract = contract_in_force(
        professional_id=act.professional_id, structure_id=structure_id, day=act.day
    )
    if contract is None or contract.kind != ContractKind.CONTRACTED:
        logger.info(
            "no payable line act=%s reason=%s",
            act.public_id,
            "salaried" if contract is not None else "no_contract",
        )
        return None
    line = _line_from_contract(act, contract, by=by)
    logger.info("payable line act=%s line=%s", act.public_id, line.public_id)
    return line


def payable_line_reverse(*, by: Membership, act: Act, reason: str) -> PayableLine | None:
    """A done act declared by mistake: its line is reversed by a negative line, never
    deleted. The reversal goes where it cancels the original soonest: on the original's
    statement while that is a draft (the draft nets to zero for the act); with the original
    when neither is on a statement yet; otherwise on the professional's draft of the current
    month (created if needed), or on no statement if that month is already validated (the next
    preparation takes it). None when the act had no line (salaried, no contract)."""
    original = (
        PayableLine.objects.select_for_update(of=("self",))
        .filter(act=act, corrects__isnull=True)
        .select_related("statement")
        .first()
    )
    if original is None or PayableLine.objects.filter(corrects=original).exists():
        return None
    statement: Statement | None
    if original.statement is None:
        statement, month = None, original.month
    elif original.statement.is_draft:
        statement, month = original.statement, original.statement.month
    else:
        month = first_of_month(timezone.localdate())
        statement, _created = Statement.objects.get_or_create(
            structure_id=original.structure_id,
            professional_id=original.professional_id,
            month=month,
            defaults={"created_by": by},
        )
        if not statement.is_draft:
            statement = None
    correction = PayableLine.objects.create(
        structure_id=original.structure_id,
        professional_id=original.professional_id,
        act=act,
        contract_id=original.contract_id,
        amount=-original.amount,
        month=month,
        statement=statement,
        corrects=original,
        reason=reason,
        created_by=by,
    )
    logger.info(
        "payable line reversed act=%s line=%s correction=%s",
        act.public_id,
        original.public_id,
        correction.public_id,
    )
    return correction


def _check_coordinator(
    by: Membership | None, structure: Organisation, *, where: str, system_allowed: bool = False
) -> None:
    if by is None and system_allowed:
        return
    if not has_role(by, RoleCode.COORDINATOR):
        refuse(
            ValidationError(
                _("Seul un coordinateur de la structure gère les relevés de paiement."),
                code="statement.forbidden",
            ),
            where=where,
            by=by,
        )
    if not acts_for(by, structure.pk):
        refuse(
            ValidationError(
                _("Ce relevé concerne une autre structure que la vôtre."),
                code="statement.other_structure",
            ),
            where=where,
            by=by,
        )


def _catch_up(structure: Organisation, *, until: date, by: Membership | None) -> int:
    """Lines for acts done without a contract in force at completion whose contract has
    been recorded since (the coordinator's fix for "acts without contract")."""
    _start, end = month_bounds(until)
    count = 0
    for act in done_acts_without_line(structure, before=end):
        count += payable_line_for_act(act, by=by) is not None
    return count


def _prepare_one(
    *, by: Membership | None, structure: Organisation, professional: User, month: date
) -> Statement:
    where = "statement_prepare"
    statement = (
        Statement.objects.select_for_update()
        .filter(structure=structure, professional=professional, month=month)
        .first()
    )
    if statement is not None and not statement.is_draft:
        refuse(
            ValidationError(
                _("Le relevé de ce mois est déjà validé : il ne peut plus changer."),
                code="statement.not_draft",
            ),
            where=where,
            by=by,
        )
    lines = list(
        unattached_lines(structure=structure, professional_id=professional.pk, until=month)
        .select_for_update()
        .order_by("pk")
    )
    if statement is None and not lines:
        refuse(
            ValidationError(
                _("Aucune prestation à payer à ce professionnel pour ce mois."),
                code="statement.empty",
            ),
            where=where,
            by=by,
        )
    # A statement never holds another structure's act (unattached_lines filters on it; said
    # again here, where the lines are attached).
    if any(line.structure_id != structure.pk for line in lines):
        refuse(
            ValidationError(
                _("Un relevé ne peut contenir que des prestations de sa structure."),
                code="statement.other_structure",
            ),
            where=where,
            by=by,
        )
    if statement is None:
        statement = Statement.objects.create(
            structure=structure, professional=professional, month=month, created_by=by
        )
    PayableLine.objects.filter(pk__in=[line.pk for line in lines]).update(statement=statement)
    logger.info("statement prepared statement=%s lines_added=%s", statement.public_id, len(lines))
    return statement


def _check_month(month: date, *, by: Membership | None, where: str) -> None:
    errors = Errors()
    if month.day != 1 or month >= next_month(first_of_month(timezone.localdate())):
        errors.new(
            "month", _("Choisissez un mois écoulé ou le mois en cours."), "statement.month_invalid"
        )
    errors.raise_if_any(where=where, by=by)


@transaction.atomic
def statement_prepare(
    *, by: Membership | None, structure: Organisation, professional: User, month: date
) -> Statement:
    """Creates or refreshes the professional's draft for ``month`` with every line of theirs
    in the structure on no statement yet, up to that month (corrections included). ``by`` is
    None for the monthly job."""
    where = "statement_prepare"
    _check_coordinator(by, structure, where=where, system_allowed=True)
    _check_month(month, by=by, where=where)
    _catch_up(structure, until=month, by=by)
    return _prepare_one(by=by, structure=structure, professional=professional, month=month)


@transaction.atomic
def statements_prepare(
    *, by: Membership | None, structure: Organisation, month: date
) -> list[Statement]:
    """Every professional's draft of the structure for ``month`` ("Préparer les relevés du
    mois", and the monthly job). A professional whose statement of that month is already
    validated is left out: their new lines wait for the next month's statement."""
    where = "statements_prepare"
    _check_coordinator(by, structure, where=where, system_allowed=True)
    _check_month(month, by=by, where=where)
    if structure.kind != OrgKind.STRUCTURE_PORTEUSE:
        return []
    _catch_up(structure, until=month, by=by)
    pending = set(
        unattached_lines(structure=structure, until=month).values_list("professional_id", flat=True)
    )
    drafts = set(
        Statement.objects.filter(
            structure=structure, month=month, status=StatementStatus.DRAFT
        ).values_list("professional_id", flat=True)
    )
    frozen = set(
        Statement.objects.filter(structure=structure, month=month)
        .exclude(status=StatementStatus.DRAFT)
        .values_list("professional_id", flat=True)
    )
    prepared = []
    for professional in User.objects.filter(pk__in=(pending | drafts) - frozen).order_by("pk"):
        prepared.append(
            _prepare_one(by=by, structure=structure, professional=professional, month=month)
        )
    return prepared


def _locked(statement: Statement) -> Statement:
    return (
        Statement.objects.select_related("structure", "professional")
        .select_for_update(of=("self",))
        .get(pk=statement.pk)
    )


@transaction.atomic
def statement_validate(*, by: Membership, statement: Statement) -> Statement:
    """The coordinator checks the draft: its total is frozen, to the cent, and its lines can
    no longer change."""
    where = "statement_validate"
    _check_coordinator(by, statement.structure, where=where)
    fresh = _locked(statement)
    if not fresh.is_draft:
        refuse(
            ValidationError(_("Ce relevé est déjà validé."), code="statement.not_draft"),
            where=where,
            by=by,
        )
    lines = PayableLine.objects.filter(statement=fresh)
    if not lines.exists():
        refuse(
            ValidationError(
                _("Ce relevé ne contient aucune ligne : il n'y a rien à valider."),
                code="statement.empty",
            ),
            where=where,
            by=by,
        )
    total = lines.aggregate(total=Sum("amount"))["total"] or ZERO
    fresh.status = StatementStatus.VALIDATED
    fresh.total = total
    fresh.validated_by = by
    fresh.validated_at = timezone.now()
    fresh.save(update_fields=["status", "total", "validated_by", "validated_at"])
    logger.info("statement validated statement=%s", fresh.public_id)
    return fresh


@transaction.atomic
def statement_mark_paid(
    *, by: Membership, statement: Statement, paid_on: date | None, reference: str
) -> Statement:
    """The structure paid the professional: the date and the payment's reference (a bank
    transfer's, a cheque number)."""
    where = "statement_mark_paid"
    _check_coordinator(by, statement.structure, where=where)
    fresh = _locked(statement)
    errors = Errors()
    reference = reference.strip()
    if fresh.status != StatementStatus.VALIDATED:
        errors.new(
            NON_FIELD_ERRORS,
            _("Seul un relevé validé, et pas encore payé, peut être indiqué payé."),
            "statement.not_validated",
        )
    if paid_on is None:
        errors.new("paid_on", _("Indiquez la date du paiement."), "statement.paid_on_required")
    elif paid_on > timezone.localdate():
        errors.new(
            "paid_on",
            _("La date du paiement ne peut pas être dans le futur."),
            "statement.paid_in_future",
        )
    elif fresh.validated_at is not None and paid_on < timezone.localdate(fresh.validated_at):
        errors.new(
            "paid_on",
            _("La date du paiement ne peut pas précéder la validation du relevé."),
            "statement.paid_before_validation",
        )
    if not reference:
        errors.new(
            "reference", _("Indiquez la référence du paiement."), "statement.reference_required"
        )
    elif len(reference) > MAX_REFERENCE:
        errors.new(
            "reference",
            _("La référence ne doit pas dépasser %(max)s caractères."),
            "statement.reference_too_long",
            max=MAX_REFERENCE,
        )
    errors.raise_if_any(where=where, by=by)
    fresh.status = StatementStatus.PAID
    fresh.paid_on = paid_on
    fresh.paid_by = by
    fresh.paid_at = timezone.now()
    fresh.payment_reference = reference
    fresh.save(update_fields=["status", "paid_on", "paid_by", "paid_at", "payment_reference"])
    logger.info("statement paid statement=%s", fresh.public_id)
    return fresh
