"""What the ARS owes each structure for its completed acts (PSG-09), computed by hand."""

from datetime import date
from decimal import Decimal

import pytest

from oncoparcours.funding.rules import capped_due
from oncoparcours.funding.selectors import due_by_structure, funding_balance
from oncoparcours.regulation.selectors import psgac_parameters_at

pytestmark = pytest.mark.django_db

JUNE_START, JUNE_END = date(2026, 6, 1), date(2026, 6, 30)


def cap_at(pathway) -> Decimal:
    return psgac_parameters_at(pathway.prescription.prescription_date).cap_per_patient


def test_pathways_keep_the_cap_in_force_at_their_prescription_date(dataset):
    for pathway in (dataset.lyon_simple, dataset.lyon_over_cap, dataset.volcans):
        assert pathway.cap == cap_at(pathway)


def test_june_is_due_by_hand(personas, dataset):
    cap = cap_at(dataset.lyon_over_cap)
    # The hand-built pathway really goes beyond the cap: 3 x 45 before June, 4 x 22.50 in it.
    before, in_june = Decimal("135.00"), Decimal("90.00")
    assert before < cap < before + in_june

    figures = due_by_structure(start=JUNE_START, end=JUNE_END)

    # Lyon: 45 + 22.50 (the cancelled, the booked and the July acts count for nothing), then
    # the capped pathway gets only what was left under its cap.
    lyon = figures[personas.structure.pk]
    assert lyon.due == Decimal("67.50") + (cap - before)
    assert lyon.done == Decimal("67.50") + in_june
    assert lyon.pathways == 2
    # Volcans: 1 June at 00:30 (Paris) and 15 June; 31 May at 23:30 is May.
    volcans = figures[personas.other_structure.pk]
    assert (volcans.due, volcans.done, volcans.pathways) == (Decimal("90.00"), Decimal("90.00"), 1)


def test_a_period_after_the_cap_is_reached_owes_nothing_more(personas, dataset):
    figures = due_by_structure(start=date(2026, 7, 1), end=date(2026, 7, 31))
    # Only the simple pathway's July act (the capped one has nothing in July).
    assert figures[personas.structure.pk].due == Decimal("22.50")
    assert personas.other_structure.pk not in figures
    # The capped pathway's whole life never owes more than its cap.
    whole = due_by_structure(
        start=date(2026, 1, 1), end=date(2026, 12, 31), structure_ids=[personas.structure.pk]
    )
    cap = cap_at(dataset.lyon_over_cap)
    assert whole[personas.structure.pk].due == Decimal("45.00") + Decimal("45.00") + cap


def test_capped_due_rule():
    cap = Decimal("100.00")
    assert capped_due(cap=cap, spent_before=Decimal("0"), spent_through_end=Decimal("40")) == 40
    assert capped_due(cap=cap, spent_before=Decimal("80"), spent_through_end=Decimal("130")) == 20
    assert capped_due(cap=cap, spent_before=Decimal("120"), spent_through_end=Decimal("150")) == 0


def test_due_is_one_query(personas, dataset, django_assert_num_queries):
    # One grouped query: pathways with a done act in the period, two correlated sums each.
    with django_assert_num_queries(1):
        due_by_structure(start=JUNE_START, end=JUNE_END)


def test_year_balance_adds_up_due_paid_and_allocations(personas, dataset, conventions, envelope):
    from oncoparcours.funding import services

    ars = personas.ars_analyst
    services.allocation_create(
        by=ars,
        envelope=envelope,
        structure=personas.structure,
        amount="600.00",
        decided_on=date(2026, 2, 1),
    )
    allocation = envelope.allocations.get()
    services.payment_record(
        by=ars,
        structure=personas.structure,
        kind="forfait",
        amount="100.00",
        paid_on=date(2026, 5, 30),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        reference="VIR-1",
    )
    services.payment_record(
        by=ars,
        structure=personas.structure,
        kind="coordination",
        amount="250.00",
        paid_on=date(2026, 5, 30),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        reference="VIR-2",
        allocation=allocation,
    )
    table = funding_balance(ars_id=ars.organisation_id, year=2026)
    rows = {row.structure.pk: row for row in table.rows}
    lyon, volcans = rows[personas.structure.pk], rows[personas.other_structure.pk]
    cap = cap_at(dataset.lyon_over_cap)
    lyon_due = Decimal("45.00") + Decimal("22.50") + Decimal("22.50") + cap  # the year
    assert lyon.due == lyon_due
    assert (lyon.forfait_paid, lyon.forfait_balance) == (Decimal("100.00"), lyon_due - 100)
    assert (lyon.allocated, lyon.coordination_paid, lyon.coordination_balance) == (
        Decimal("600.00"),
        Decimal("250.00"),
        Decimal("350.00"),
    )
    assert [c.reference for c in lyon.conventions] == ["CONV-LYON"]
    assert volcans.due == Decimal("135.00")
    assert table.totals["due"] == lyon_due + Decimal("135.00")
    assert table.totals["forfait_balance"] == lyon_due - 100 + Decimal("135.00")
