"""What the ARS actually paid a structure porteuse (domain.md §2.4 step 8).

A forfait payment is made under the structure's convention covering its whole period; a
coordination payment pays (part of) an allocation and never more than what remains of it. A
period lies within one calendar year, so that each payment counts in one year's figures.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.funding.models import (
    Convention,
    ConventionStatus,
    FundingAllocation,
    PaymentKind,
    StructurePayment,
)
from oncoparcours.funding.services._common import (
    check_structure,
    euros,
    parse_amount,
    required_text,
)
from oncoparcours.organisations.models import Organisation


def _check_period(errors: Errors, start: date | None, end: date | None) -> bool:
    if start is None or end is None:
        errors.new("period_start", _("Indiquez la période couverte."), "payment.period_required")
        return False
    if end < start:
        errors.new(
            "period_end",
            _("La fin de la période ne peut pas précéder son début."),
            "payment.dates_invalid",
        )
        return False
    if start.year != end.year:
        errors.new(
            "period_end",
            _("Un versement couvre une période d'une seule année civile : faites-en deux."),
            "payment.period_spans_years",
        )
        return False
    return True


def _covering_convention(
    by: Membership, structure: Organisation, start: date, end: date
) -> Convention | None:
    candidates = Convention.objects.filter(
        ars_id=by.organisation_id, structure=structure, start_date__lte=start
    ).exclude(status=ConventionStatus.DRAFT)
    return next((c for c in candidates if end <= c.effective_end), None)


@transaction.atomic
def payment_record(
    *,
    by: Membership,
    structure: Organisation | None,
    kind: str,
    amount: Decimal | str | None,
    paid_on: date | None,
    period_start: date | None,
    period_end: date | None,
    reference: str,
    allocation: FundingAllocation | None = None,
) -> StructurePayment:
    errors = Errors()
    check_structure(errors, structure, "payment")
    value = parse_amount(errors, "amount", amount, "payment")
    reference = required_text(
        errors,
        "reference",
        reference,
        _("Indiquez la référence du versement."),
        "payment.reference_required",
    )
    if reference and StructurePayment.objects.filter(reference=reference).exists():
        errors.new(
            "reference",
            _("Un versement porte déjà cette référence."),
            "payment.reference_taken",
        )
    if paid_on is None:
        errors.new("paid_on", _("Indiquez la date du versement."), "payment.paid_on_required")
    elif paid_on > timezone.localdate():
        errors.new(
            "paid_on",
            _("La date du versement ne peut pas être dans le futur."),
            "payment.paid_on_future",
        )
    period_ok = _check_period(errors, period_start, period_end)
    convention = None
    if kind not in PaymentKind.values:
        errors.new("kind", _("Choisissez la nature du versement."), "payment.kind_invalid")
    elif kind == PaymentKind.FORFAIT and structure is not None and period_ok:
        assert period_start is not None
        assert period_end is not None
        convention = _covering_convention(by, structure, period_start, period_end)
        if convention is None:
            errors.new(
                "period_start",
                _(
                    "Aucune convention signée avec la structure ne couvre toute cette période : "
                    "le forfait est versé au titre d'une convention."
                ),
                "payment.no_convention",
            )
    elif kind == PaymentKind.COORDINATION:
        if allocation is None:
            errors.new(
                "allocation",
                _("Choisissez l'allocation que ce versement finance."),
                "payment.allocation_required",
            )
        else:
            # Serialises the payments of one allocation, so that they stay within it.
            allocation = FundingAllocation.objects.select_for_update().get(pk=allocation.pk)
            envelope = allocation.envelope
            if (
                structure is None
                or allocation.structure_id != structure.pk
                or envelope.ars_id != by.organisation_id
                or (period_ok and period_start is not None and period_start.year != envelope.year)
            ):
                errors.new(
                    "allocation",
                    _(
                        "Cette allocation n'est pas celle de la structure pour l'année de la "
                        "période."
                    ),
                    "payment.allocation_mismatch",
                )
            elif value is not None:
                paid = allocation.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0")
                remaining = allocation.amount - paid
                if value > remaining:
                    errors.new(
                        "amount",
                        _(
                            "Ce montant dépasse ce qui reste à verser sur l'allocation : %(remaining)s."
                        ),
                        "payment.exceeds_allocation",
                        remaining=euros(remaining),
                    )
    errors.raise_if_any(where="payment_record", by=by)
    assert structure is not None
    assert value is not None
    assert paid_on is not None
    assert period_start is not None
    assert period_end is not None
    return StructurePayment.objects.create(
        ars=by.organisation,
        structure=structure,
        kind=kind,
        convention=convention,
        allocation=allocation if kind == PaymentKind.COORDINATION else None,
        amount=value,
        paid_on=paid_on,
        period_start=period_start,
        period_end=period_end,
        reference=reference,
        created_by=by,
    )
