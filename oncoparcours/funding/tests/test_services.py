"""Conventions (PSG-15, PSG-16), envelopes, allocations and payments: what is refused, with
which code."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.funding import services
from oncoparcours.funding.models import (
    Convention,
    ConventionStatus,
    FundingAllocation,
    StructurePayment,
)
from oncoparcours.funding.rules import split_amount
from oncoparcours.funding.tests.conftest import make_convention

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> set[str]:
    return {e.code for errors in exc.error_dict.values() for e in errors if e.code}


def messages(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# Envelopes and allocations ----------------------------------------------------------------


def test_an_allocation_beyond_the_envelope_is_refused_and_nothing_is_saved(personas, envelope):
    ars = personas.ars_analyst
    services.allocation_create(
        by=ars,
        envelope=envelope,
        structure=personas.structure,
        amount="600.00",
        decided_on=date(2026, 2, 1),
    )
    with pytest.raises(ValidationError) as caught:
        services.allocation_create(
            by=ars,
            envelope=envelope,
            structure=personas.other_structure,
            amount="400.01",
            decided_on=date(2026, 2, 1),
        )
    assert codes(caught.value) == {"allocation.exceeds_envelope"}
    # 1000 - 600 = 400 left, in French.
    assert "400,00 €" in messages(caught.value)
    assert FundingAllocation.objects.count() == 1
    # Exactly what remains is fine.
    services.allocation_create(
        by=ars,
        envelope=envelope,
        structure=personas.other_structure,
        amount="400.00",
        decided_on=date(2026, 2, 1),
    )
    assert sum(a.amount for a in envelope.allocations.all()) == envelope.amount


def test_an_allocation_needs_a_positive_amount_and_a_structure_porteuse(personas, envelope):
    ars_org = personas.ars_analyst.organisation
    with pytest.raises(ValidationError) as caught:
        services.allocation_create(
            by=personas.ars_analyst,
            envelope=envelope,
            structure=ars_org,
            amount="0",
            decided_on=None,
        )
    assert codes(caught.value) == {
        "allocation.amount_not_positive",
        "allocation.structure_invalid",
        "allocation.decided_on_required",
    }
    assert "supérieur à zéro" in messages(caught.value)


def test_an_envelope_is_validated(personas, envelope):
    with pytest.raises(ValidationError) as caught:
        services.envelope_create(
            by=personas.ars_analyst,
            year=1999,
            region="",
            label="FIR PSGAC",
            amount="-5",
            source_note="",
        )
    assert codes(caught.value) == {
        "envelope.year_invalid",
        "envelope.region_required",
        "envelope.source_required",
        "envelope.amount_not_positive",
    }
    with pytest.raises(ValidationError) as caught:
        services.envelope_create(
            by=personas.ars_analyst,
            year=2026,
            region="AURA",
            label="FIR PSGAC",
            amount="10.005",
            source_note="x",
        )
    assert codes(caught.value) == {"envelope.duplicate", "envelope.amount_invalid"}


def test_split_amount_adds_up_to_the_cent():
    total = Decimal("265000.00")
    parts = split_amount(total, [3, 3, 1])
    assert sum(parts) == total
    assert parts == [Decimal("113571.43"), Decimal("113571.43"), Decimal("37857.14")]
    assert split_amount(Decimal("1.00"), [0, 0, 0]) == [
        Decimal("0.34"),
        Decimal("0.33"),
        Decimal("0.33"),
    ]


# Conventions ------------------------------------------------------------------------------


def test_overlapping_signed_conventions_of_one_structure_are_refused(
    personas, territories, conventions
):
    ars = personas.ars_analyst
    draft = make_convention(
        ars,
        personas.structure,
        territories["lyon"],
        reference="CONV-LYON-BIS",
        start=date(2028, 6, 1),
        end=date(2030, 12, 31),
        signed_on=None,
    )
    with pytest.raises(ValidationError) as caught:
        services.convention_sign(by=ars, convention=draft, signed_on=date(2026, 1, 5))
    assert codes(caught.value) == {"convention.overlap"}
    assert "CONV-LYON" in messages(caught.value)
    assert "déjà une convention signée" in messages(caught.value)
    draft.refresh_from_db()
    assert (draft.status, draft.signed_on) == (ConventionStatus.DRAFT, None)
    # Another structure's convention on the same days is no overlap; the day after is none.
    after = make_convention(
        ars,
        personas.structure,
        territories["lyon"],
        reference="CONV-LYON-2029",
        start=date(2029, 1, 1),
        end=date(2031, 12, 31),
    )
    assert after.status == ConventionStatus.SIGNED


def test_an_ended_convention_frees_its_remaining_days(personas, territories, conventions):
    ars = personas.ars_analyst
    ended = services.convention_end(
        by=ars,
        convention=conventions["lyon"],
        terminated_on=date(2026, 12, 31),
        reason="Changement de structure porteuse.",
    )
    assert (ended.status, ended.effective_end) == (ConventionStatus.ENDED, date(2026, 12, 31))
    assert ended.end_date == date(2028, 12, 31)  # as signed
    later = make_convention(
        ars,
        personas.structure,
        territories["lyon"],
        reference="CONV-LYON-2027",
        start=date(2027, 1, 1),
    )
    assert later.status == ConventionStatus.SIGNED
    with pytest.raises(ValidationError) as caught:
        services.convention_end(
            by=ars, convention=ended, terminated_on=date(2026, 6, 30), reason="Encore."
        )
    assert codes(caught.value) == {"convention.not_signed"}


def test_a_signed_amendment_ends_the_convention_it_amends_the_day_before(
    personas, territories, conventions
):
    ars = personas.ars_analyst
    original = conventions["lyon"]
    amendment = make_convention(
        ars,
        personas.structure,
        territories["lyon"],
        reference="CONV-LYON-AV1",
        start=date(2027, 1, 1),
        end=date(2029, 12, 31),
        amends=original,
    )
    original.refresh_from_db()
    assert amendment.status == ConventionStatus.SIGNED
    assert original.status == ConventionStatus.ENDED
    assert original.effective_end == date(2026, 12, 31)
    assert "CONV-LYON-AV1" in original.end_reason
    # An amendment starting before the convention it amends is refused at once.
    with pytest.raises(ValidationError) as caught:
        make_convention(
            ars,
            personas.structure,
            territories["lyon"],
            reference="CONV-LYON-AV2",
            start=date(2026, 1, 1),
            amends=amendment,
            signed_on=None,
        )
    assert codes(caught.value) == {"convention.amendment_start_invalid"}


def test_a_convention_is_validated_before_anything_is_saved(personas, territories):
    with pytest.raises(ValidationError) as caught:
        services.convention_create(
            by=personas.ars_analyst,
            structure=personas.structure,
            reference=" ",
            start_date=date(2026, 1, 1),
            end_date=date(2025, 12, 31),
            territories=[territories["volcans"]],
            expected_patients_per_year=0,
            report_due_month=2,
            report_due_day=29,
        )
    assert codes(caught.value) == {
        "convention.reference_required",
        "convention.dates_invalid",
        "convention.expected_patients_invalid",
        "convention.report_due_invalid",
        "convention.territory_foreign",
    }
    assert not Convention.objects.exists()


def test_a_signature_cannot_be_dated_in_the_future(personas, territories):
    draft = make_convention(
        personas.ars_analyst,
        personas.structure,
        territories["lyon"],
        reference="C-1",
        signed_on=None,
    )
    tomorrow = date.today() + timedelta(days=2)
    with pytest.raises(ValidationError) as caught:
        services.convention_sign(by=personas.ars_analyst, convention=draft, signed_on=tomorrow)
    assert codes(caught.value) == {"convention.signed_on_future"}


# Payments ---------------------------------------------------------------------------------


def _pay(personas, **overrides):
    fields = {
        "structure": personas.structure,
        "kind": "forfait",
        "amount": "120.00",
        "paid_on": date(2026, 5, 1),
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 3, 31),
        "reference": "VIR-2026-001",
    }
    fields.update(overrides)
    return services.payment_record(by=personas.ars_analyst, **fields)


def test_a_forfait_payment_is_made_under_the_covering_convention(personas, conventions):
    payment = _pay(personas)
    assert payment.convention == conventions["lyon"]
    with pytest.raises(ValidationError) as caught:
        _pay(
            personas,
            reference="VIR-2025",
            period_start=date(2025, 10, 1),
            period_end=date(2025, 12, 31),
        )
    assert codes(caught.value) == {"payment.no_convention"}


def test_a_payment_is_validated(personas, conventions):
    _pay(personas)
    with pytest.raises(ValidationError) as caught:
        _pay(personas, amount="0", period_end=date(2027, 1, 31), paid_on=date(2099, 1, 1))
    assert codes(caught.value) == {
        "payment.amount_not_positive",
        "payment.reference_taken",
        "payment.paid_on_future",
        "payment.period_spans_years",
    }
    with pytest.raises(ValidationError) as caught:
        _pay(personas, reference="X", period_start=date(2026, 4, 1), period_end=date(2026, 3, 1))
    assert codes(caught.value) == {"payment.dates_invalid"}
    assert StructurePayment.objects.count() == 1


def test_coordination_payments_stay_within_their_allocation(personas, envelope, conventions):
    ars = personas.ars_analyst
    allocation = services.allocation_create(
        by=ars,
        envelope=envelope,
        structure=personas.structure,
        amount="300.00",
        decided_on=date(2026, 2, 1),
    )
    coordination = {"kind": "coordination", "allocation": allocation}
    _pay(personas, amount="200.00", **coordination)
    with pytest.raises(ValidationError) as caught:
        _pay(personas, amount="100.01", reference="VIR-2", **coordination)
    assert codes(caught.value) == {"payment.exceeds_allocation"}
    assert "99,99 €" not in messages(caught.value)
    assert "100,00 €" in messages(caught.value)
    with pytest.raises(ValidationError) as caught:
        _pay(
            personas,
            amount="10.00",
            reference="VIR-3",
            structure=personas.other_structure,
            **coordination,
        )
    assert codes(caught.value) == {"payment.allocation_mismatch"}
    with pytest.raises(ValidationError) as caught:
        _pay(personas, reference="VIR-4", kind="coordination")
    assert codes(caught.value) == {"payment.allocation_required"}
