"""FIR envelopes and their allocation to structures porteuses (domain.md §2.4 step 8, §2.5).

The allocations of an envelope never add up to more than the envelope
(``allocation.exceeds_envelope``): the envelope's row is locked while checking.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.funding.models import COORDINATION_PURPOSE, FundingAllocation, FundingEnvelope
from oncoparcours.funding.services._common import (
    check_structure,
    euros,
    parse_amount,
    required_text,
)
from oncoparcours.organisations.models import Organisation

FIRST_YEAR = 2020  # the PSGAC starts with the texts of December 2020
LAST_YEAR = 2100


@transaction.atomic
def envelope_create(
    *,
    by: Membership,
    year: int | None,
    region: str,
    label: str,
    amount: Decimal | str | None,
    source_note: str,
) -> FundingEnvelope:
    errors = Errors()
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.new(
            "year",
            _("Indiquez une année entre %(first)s et %(last)s."),
            "envelope.year_invalid",
            first=FIRST_YEAR,
            last=LAST_YEAR,
        )
    region = required_text(
        errors, "region", region, _("Indiquez la région."), "envelope.region_required"
    )
    label = required_text(
        errors, "label", label, _("Indiquez l'intitulé."), "envelope.label_required"
    )
    source_note = required_text(
        errors,
        "source_note",
        source_note,
        _("Indiquez d'où vient le montant (décision, document)."),
        "envelope.source_required",
    )
    value = parse_amount(errors, "amount", amount, "envelope")
    if (
        year is not None
        and label
        and FundingEnvelope.objects.filter(ars=by.organisation, year=year, label=label).exists()
    ):
        errors.new(
            "label",
            _("Une enveloppe de cette année porte déjà cet intitulé."),
            "envelope.duplicate",
        )
    errors.raise_if_any(where="envelope_create", by=by)
    assert year is not None
    assert value is not None
    return FundingEnvelope.objects.create(
        ars=by.organisation,
        year=year,
        region=region,
        label=label,
        amount=value,
        source_note=source_note,
        created_by=by,
    )


@transaction.atomic
def allocation_create(
    *,
    by: Membership,
    envelope: FundingEnvelope,
    structure: Organisation | None,
    amount: Decimal | str | None,
    decided_on: date | None,
    purpose: str = "",
) -> FundingAllocation:
    # Serialises the allocations of one envelope, so that their sum stays within it.
    envelope = FundingEnvelope.objects.select_for_update().get(pk=envelope.pk)
    errors = Errors()
    check_structure(errors, structure, "allocation")
    value = parse_amount(errors, "amount", amount, "allocation")
    if decided_on is None:
        errors.new(
            "decided_on", _("Indiquez la date de la décision."), "allocation.decided_on_required"
        )
    if value is not None:
        allocated = envelope.allocations.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        remaining = envelope.amount - allocated
        if value > remaining:
            errors.new(
                "amount",
                _(
                    "Ce montant dépasse ce qui reste à allouer sur l'enveloppe : %(remaining)s "
                    "(enveloppe de %(total)s)."
                ),
                "allocation.exceeds_envelope",
                remaining=euros(remaining),
                total=euros(envelope.amount),
            )
    errors.raise_if_any(where="allocation_create", by=by)
    assert structure is not None
    assert value is not None
    assert decided_on is not None
    return FundingAllocation.objects.create(
        envelope=envelope,
        structure=structure,
        amount=value,
        purpose=purpose.strip() or str(COORDINATION_PURPOSE),
        decided_on=decided_on,
        created_by=by,
    )
