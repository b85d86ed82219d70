"""Payable lines, corrections and statements through the services (issue 4 §6, PSG-14):
the contracted rate, nothing for salaried professionals, totals to the cent, history never
edited, one structure per statement, the monthly job."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.errors import error_items_from_validation
from oncoparcours.pathways.models import Act, Pathway, PathwayEvent
from oncoparcours.pathways.selectors import pathway_ledger
from oncoparcours.pathways.services import act_void
from oncoparcours.pathways.tests.factories import make_eligible_patient, receive
from oncoparcours.payments import jobs, services
from oncoparcours.payments.models import PayableLine, Statement
from oncoparcours.payments.selectors import acts_without_contract, structure_month_total
from oncoparcours.payments.tests.conftest import JULY, JUNE, at, done, sign

pytestmark = pytest.mark.django_db


def codes(call) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    return sorted({item["code"] for item in error_items_from_validation(exc.value)})


def messages(call) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    return [item["message"] for item in error_items_from_validation(exc.value)]


def june_followups(w):
    """A psychological assessment and three follow-ups in June: 45,00 + 3 x 22,50."""
    acts = [
        done(w.personas, w.pathway, "psy_assessment", w.team.psychologist, day=date(2026, 6, 3))
    ]
    for day in (10, 17, 24):
        acts.append(
            done(w.personas, w.pathway, "psy_followup", w.team.psychologist, day=date(2026, 6, day))
        )
    return acts


def prepare(w, month=JUNE, today=date(2026, 7, 2)):
    with time_machine.travel(at(today), tick=False):
        return services.statements_prepare(
            by=w.personas.coordinator, structure=w.personas.structure, month=month
        )


def test_a_done_act_gives_a_line_at_the_contracted_rate_not_the_booked_amount(
    personas, team, open_pathway
):
    sign(personas, team.psychologist, assessment="40.00", followup="20.00")
    act = done(
        personas,
        open_pathway,
        "psy_assessment",
        team.psychologist,
        day=date(2026, 6, 10),
        amount=Decimal("45.00"),
    )
    line = PayableLine.objects.get(act=act)
    # PSG-07: the act keeps its booked 45,00 (the ledger), the professional is owed 40,00.
    assert (act.amount, line.amount, line.month) == (Decimal("45.00"), Decimal("40.00"), JUNE)
    assert (line.structure, line.professional, line.statement, line.corrects) == (
        personas.structure,
        team.psychologist.user,
        None,
        None,
    )


def test_a_followup_is_paid_the_followup_rate(personas, team, open_pathway):
    sign(personas, team.psychologist, assessment="40.00", followup="20.00")
    act = done(personas, open_pathway, "psy_followup", team.psychologist, day=date(2026, 6, 10))
    assert PayableLine.objects.get(act=act).amount == Decimal("20.00")


def test_a_salaried_professional_gets_no_line_and_is_not_an_act_without_contract(world):
    act = done(
        world.personas, world.pathway, "apa_assessment", world.team.apa, day=date(2026, 6, 5)
    )
    assert not PayableLine.objects.filter(act=act).exists()
    assert acts_without_contract(world.personas.structure, JUNE) == []


def test_an_act_without_contract_is_listed_then_paid_once_the_contract_exists(world):
    act = done(
        world.personas, world.pathway, "diet_assessment", world.team.dietitian, day=date(2026, 6, 5)
    )
    assert not PayableLine.objects.filter(act=act).exists()
    assert acts_without_contract(world.personas.structure, JUNE) == [act]
    assert acts_without_contract(world.personas.structure, JULY) == []
    # The coordinator records the contract, then prepares again: the line is caught up.
    sign(world.personas, world.team.dietitian, assessment="42.00", followup="21.00")
    (statement,) = prepare(world)
    line = statement.lines.get()
    assert (line.act, line.amount, statement.professional) == (
        act,
        Decimal("42.00"),
        world.team.dietitian.user,
    )
    assert acts_without_contract(world.personas.structure, JUNE) == []


def test_the_statement_total_is_the_sum_of_its_lines_to_the_cent(world):
    acts = june_followups(world)
    (statement,) = prepare(world)
    assert statement.lines.count() == 4
    # Declared by mistake, voided before validation: the reversal joins the same draft.
    with time_machine.travel(at(date(2026, 7, 3)), tick=False):
        act_void(by=world.personas.coordinator, act=acts[1], reason="Déclarée par erreur.")
    correction = PayableLine.objects.get(corrects__isnull=False)
    assert correction.corrects is not None
    assert (correction.amount, correction.statement, correction.corrects.act) == (
        Decimal("-22.50"),
        statement,
        acts[1],
    )
    assert sum(line.amount for line in statement.lines.filter(act=acts[1])) == Decimal("0.00")
    with time_machine.travel(at(date(2026, 7, 4)), tick=False):
        validated = services.statement_validate(by=world.personas.coordinator, statement=statement)
    # 3 x 22,50 + 45,00 - 22,50 = 90,00
    assert validated.total == Decimal("90.00")
    assert (validated.status, validated.validated_by) == ("validated", world.personas.coordinator)
    assert structure_month_total(world.personas.structure, JUNE).total == Decimal("90.00")


def test_voiding_releases_the_amount_and_writes_the_reason_on_the_timeline(world):
    acts = june_followups(world)
    before = pathway_ledger(Pathway.objects.get(pk=world.pathway.pk))
    with time_machine.travel(at(date(2026, 6, 25)), tick=False):
        act_void(by=world.personas.coordinator, act=acts[3], reason="Patient absent en réalité.")
    pathway = Pathway.objects.get(pk=world.pathway.pk)
    after = pathway_ledger(pathway)
    assert (before.spent - after.spent, after.released) == (Decimal("22.50"), Decimal("22.50"))
    assert pathway.engaged_amount == after.used
    event = PathwayEvent.objects.filter(kind="act_cancelled").get()
    assert (event.reason, event.data["voided_after_done"]) == ("Patient absent en réalité.", True)
    # Neither line was on a statement: both wait, in June, for the June statement.
    correction = PayableLine.objects.get(corrects__isnull=False)
    assert (correction.statement, correction.month) == (None, JUNE)
    (statement,) = prepare(world)
    assert statement.lines.count() == 5


def test_voiding_after_validation_corrects_on_the_current_months_statement(world):
    acts = june_followups(world)
    (june,) = prepare(world)
    with time_machine.travel(at(date(2026, 7, 4)), tick=False):
        services.statement_validate(by=world.personas.coordinator, statement=june)
    with time_machine.travel(at(date(2026, 7, 20)), tick=False):
        act_void(by=world.personas.coordinator, act=acts[0], reason="Bilan déclaré par erreur.")
    june.refresh_from_db()
    assert (june.status, june.total, june.lines.count()) == ("validated", Decimal("112.50"), 4)
    correction = PayableLine.objects.get(corrects__isnull=False)
    july = correction.statement
    assert july is not None
    assert (july.month, july.status, july.professional) == (
        JULY,
        "draft",
        world.team.psychologist.user,
    )
    assert (correction.amount, correction.reason) == (
        Decimal("-45.00"),
        "Bilan déclaré par erreur.",
    )
    # The original line is untouched: same amount, same statement.
    assert correction.corrects is not None
    assert correction.corrects.amount == Decimal("45.00")
    assert correction.corrects.statement == june


def test_voiding_twice_or_a_booked_act_is_refused(world):
    (act,) = june_followups(world)[:1]
    with time_machine.travel(at(date(2026, 6, 25)), tick=False):
        act_void(by=world.personas.coordinator, act=act, reason="Erreur.")
        assert codes(
            lambda: act_void(by=world.personas.coordinator, act=act, reason="Encore.")
        ) == ["act.not_done"]
        assert messages(lambda: act_void(by=world.personas.coordinator, act=act, reason=" ")) == [
            "Seule une prestation indiquée comme réalisée peut être annulée ainsi.",
            "Indiquez le motif de l'annulation.",
        ]
    assert PayableLine.objects.filter(corrects__isnull=False).count() == 1


def test_only_the_structures_coordinator_voids_an_act(world):
    (act,) = june_followups(world)[:1]
    for who in (world.personas.other_coordinator, world.team.psychologist):
        assert codes(lambda who=who: act_void(by=who, act=act, reason="Non.")) == ["act.forbidden"]
    assert Act.objects.get(pk=act.pk).status == "done"


def test_a_statement_never_includes_an_act_of_another_structure(world, geography):
    june_followups(world)
    # The same psychologist also works for the Volcans structure, with a pathway there.
    other = world.personas.other_structure
    from oncoparcours.accounts.services import membership_create

    membership_create(
        user=world.team.psychologist.user, organisation=other, role=RoleCode.PSYCHOLOGIST
    )
    patient = make_eligible_patient(other, geography["63113"])
    pathway = receive(world.personas.other_coordinator, patient, items=["psy_assessment"])
    assert pathway.structure == other
    elsewhere = Act.objects.create(
        pathway=pathway,
        kind="psy_assessment",
        professional=world.team.psychologist.user,
        starts_at=at(date(2026, 6, 12)),
        duration_minutes=60,
        mode="video",
        amount=Decimal("45.00"),
        status="done",
        done_at=at(date(2026, 6, 12)),
        booked_by=world.personas.other_coordinator,
    )
    PayableLine.objects.create(
        structure=other,
        professional=world.team.psychologist.user,
        act=elsewhere,
        contract=world.psy_contract,  # even a wrong contract does not move it
        amount=Decimal("45.00"),
        month=JUNE,
    )
    (statement,) = prepare(world)
    assert statement.lines.count() == 4
    assert set(statement.lines.values_list("structure", flat=True)) == {world.personas.structure.pk}
    assert PayableLine.objects.get(act=elsewhere).statement is None
    # Another structure's coordinator cannot prepare, validate or pay it.
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):
        assert codes(
            lambda: services.statement_prepare(
                by=world.personas.other_coordinator,
                structure=world.personas.structure,
                professional=world.team.psychologist.user,
                month=JUNE,
            )
        ) == ["statement.other_structure"]
    assert codes(
        lambda: services.statement_validate(
            by=world.personas.other_coordinator, statement=statement
        )
    ) == ["statement.other_structure"]
    assert codes(
        lambda: services.statement_validate(by=world.team.psychologist, statement=statement)
    ) == ["statement.forbidden"]


def test_a_validated_statement_is_frozen(world):
    june_followups(world)
    (statement,) = prepare(world)
    with time_machine.travel(at(date(2026, 7, 4)), tick=False):
        services.statement_validate(by=world.personas.coordinator, statement=statement)
        assert messages(
            lambda: services.statement_validate(by=world.personas.coordinator, statement=statement)
        ) == ["Ce relevé est déjà validé."]
        # A line done afterwards for June waits for the next statement.
        late = done(
            world.personas,
            world.pathway,
            "psy_followup",
            world.team.psychologist,
            day=date(2026, 6, 30),
        )
        assert codes(
            lambda: services.statement_prepare(
                by=world.personas.coordinator,
                structure=world.personas.structure,
                professional=world.team.psychologist.user,
                month=JUNE,
            )
        ) == ["statement.not_draft"]
        assert (
            services.statements_prepare(
                by=world.personas.coordinator, structure=world.personas.structure, month=JUNE
            )
            == []
        )
    statement.refresh_from_db()
    assert (statement.total, statement.lines.count()) == (Decimal("112.50"), 4)
    (july,) = prepare(world, month=JULY, today=date(2026, 8, 1))
    assert list(july.lines.values_list("act", flat=True)) == [late.pk]


def test_nothing_to_pay_and_empty_or_future_months_are_refused(world):
    with time_machine.travel(at(date(2026, 7, 2)), tick=False):
        assert codes(
            lambda: services.statement_prepare(
                by=world.personas.coordinator,
                structure=world.personas.structure,
                professional=world.team.psychologist.user,
                month=JUNE,
            )
        ) == ["statement.empty"]
        assert codes(
            lambda: services.statements_prepare(
                by=world.personas.coordinator,
                structure=world.personas.structure,
                month=date(2026, 8, 1),
            )
        ) == ["statement.month_invalid"]
    empty = Statement.objects.create(
        structure=world.personas.structure, professional=world.team.psychologist.user, month=JUNE
    )
    assert messages(
        lambda: services.statement_validate(by=world.personas.coordinator, statement=empty)
    ) == ["Ce relevé ne contient aucune ligne : il n'y a rien à valider."]


def test_marking_paid(world):
    june_followups(world)
    (statement,) = prepare(world)
    coordinator = world.personas.coordinator
    with time_machine.travel(at(date(2026, 7, 10)), tick=False):
        assert codes(
            lambda: services.statement_mark_paid(
                by=coordinator, statement=statement, paid_on=date(2026, 7, 10), reference="VIR-1"
            )
        ) == ["statement.not_validated"]
        services.statement_validate(by=coordinator, statement=statement)
        assert codes(
            lambda: services.statement_mark_paid(
                by=coordinator, statement=statement, paid_on=date(2026, 7, 11), reference=" "
            )
        ) == ["statement.paid_in_future", "statement.reference_required"]
        paid = services.statement_mark_paid(
            by=coordinator,
            statement=statement,
            paid_on=date(2026, 7, 10),
            reference=" VIR-2026-07 ",
        )
    assert (paid.status, paid.paid_on, paid.payment_reference, paid.paid_by) == (
        "paid",
        date(2026, 7, 10),
        "VIR-2026-07",
        coordinator,
    )
    assert paid.total == Decimal("112.50")
    assert codes(
        lambda: services.statement_mark_paid(
            by=coordinator, statement=statement, paid_on=date(2026, 7, 10), reference="VIR-3"
        )
    ) == ["statement.not_validated"]


def test_the_monthly_total_adds_frozen_totals_and_draft_lines(world):
    june_followups(world)
    sign(world.personas, world.team.dietitian, assessment="30.00", followup="15.00")
    done(
        world.personas, world.pathway, "diet_assessment", world.team.dietitian, day=date(2026, 6, 8)
    )
    statements = {s.professional_id: s for s in prepare(world)}
    with time_machine.travel(at(date(2026, 7, 4)), tick=False):
        services.statement_validate(
            by=world.personas.coordinator,
            statement=statements[world.team.psychologist.user.pk],
        )
    total = structure_month_total(world.personas.structure, JUNE)
    assert (total.frozen, total.draft, total.total) == (
        Decimal("112.50"),
        Decimal("30.00"),
        Decimal("142.50"),
    )


def test_the_monthly_job_prepares_the_previous_month_once(world):
    june_followups(world)
    # The APA teacher is salaried: no statement for them.
    done(world.personas, world.pathway, "apa_assessment", world.team.apa, day=date(2026, 6, 9))
    with time_machine.travel(at(date(2026, 7, 1), 2), tick=False):
        assert jobs.prepare_previous_month(today=date(2026, 7, 1)) == 1
        statement = Statement.objects.get()
        assert (statement.month, statement.created_by, statement.lines.count()) == (JUNE, None, 4)
        # Run again: the draft is refreshed as it is.
        assert jobs.prepare_previous_month(today=date(2026, 7, 1)) == 1
    assert Statement.objects.count() == 1
    assert statement.lines.count() == 4
    schedule: Any = settings.CELERY_BEAT_SCHEDULE["payments-prepare"]
    assert schedule["task"] == "oncoparcours.payments.tasks.prepare_previous_month"
    assert schedule["schedule"].day_of_month == {1}


def test_the_task_runs_the_job(world):
    june_followups(world)
    from oncoparcours.payments.tasks import prepare_previous_month

    with time_machine.travel(at(date(2026, 7, 1), 3), tick=False):
        assert prepare_previous_month.apply().get() == 1


def test_booking_without_amount_takes_the_contract_rate_else_the_maximum(
    personas, team, open_pathway
):
    sign(personas, team.psychologist, assessment="40.00", followup="20.00")
    psy = done(personas, open_pathway, "psy_followup", team.psychologist, day=date(2026, 6, 10))
    diet = done(personas, open_pathway, "diet_assessment", team.dietitian, day=date(2026, 6, 11))
    # PSG-08: the contract's 20,00; PSG-07: no contract, the maximum in force (45,00).
    assert (psy.amount, diet.amount) == (Decimal("20.00"), Decimal("45.00"))
