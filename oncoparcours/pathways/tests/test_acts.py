"""Booking, rescheduling, completing, cancelling acts through the services: the guards of
PSG-04 … PSG-13 at booking and again at completion, the ledger to the cent, the timeline and
the patient's notification (issue 3 §6, §7, §11)."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from oncoparcours.coordination.models import Task
from oncoparcours.core.errors import error_items_from_validation
from oncoparcours.notifications.models import Notification
from oncoparcours.pathways import jobs
from oncoparcours.pathways.models import Act, PathwayEvent
from oncoparcours.pathways.selectors import pathway_ledger
from oncoparcours.pathways.services import (
    act_book,
    act_cancel,
    act_complete,
    act_no_show,
    act_reschedule,
)
from oncoparcours.pathways.tests.factories import receive

PARIS = ZoneInfo("Europe/Paris")
ASSESSMENT = Decimal("45.00")
FOLLOWUP = Decimal("22.50")
FIRST_DAY = date(2026, 6, 10)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def _performer(team, kind):
    if kind.startswith("apa"):
        return team.apa
    return team.dietitian if kind.startswith("diet") else team.psychologist


def book(personas, team, pathway, kind, amount=None, day=FIRST_DAY, professional=None, **extra):
    if amount is None:
        amount = ASSESSMENT if kind.endswith("assessment") else FOLLOWUP
    fields = {
        "by": personas.coordinator,
        "pathway": pathway,
        "kind": kind,
        "professional": (professional or _performer(team, kind)).user,
        "starts_at": at(day),
        "mode": "in_person",
        "place": "12 rue de la République, Lyon",
        "amount": amount,
    }
    fields.update(extra)
    return act_book(**fields)


def refused_codes(call) -> list[str]:
    """The codes of the refusal; asserts nothing was saved (acts, events, notifications)."""
    before = (Act.objects.count(), PathwayEvent.objects.count(), Notification.objects.count())
    with pytest.raises(ValidationError) as exc:
        call()
    after = (Act.objects.count(), PathwayEvent.objects.count(), Notification.objects.count())
    assert after == before
    return sorted({item["code"] for item in error_items_from_validation(exc.value)})


def test_booking_a_prescribed_assessment_commits_its_amount(personas, team, open_pathway):
    act = book(personas, team, open_pathway, "diet_assessment")
    assert (act.status, act.duration_minutes, act.amount) == ("booked", 60, ASSESSMENT)
    ledger = pathway_ledger(open_pathway)
    assert (ledger.committed, ledger.spent, ledger.remaining) == (
        Decimal("45.00"),
        Decimal("0.00"),
        Decimal("135.00"),
    )
    event = open_pathway.events.get(kind="act_booked")
    assert event.actor == personas.coordinator
    assert event.data == {"act": str(act.public_id), "kind": "diet_assessment", "amount": "45.00"}


def test_a_followup_lasts_thirty_minutes(personas, team, open_pathway):
    assert book(personas, team, open_pathway, "psy_followup").duration_minutes == 30


def test_seventh_followup_is_refused_psg_05(personas, team, open_pathway):
    for i in range(6):
        book(
            personas, team, open_pathway, "psy_followup", Decimal("10.00"), FIRST_DAY + timedelta(i)
        )
    codes = refused_codes(
        lambda: book(personas, team, open_pathway, "diet_followup", Decimal("10.00"))
    )
    assert codes == ["PSG-05"]


def test_booking_past_the_180_euro_cap_is_refused_psg_09(personas, team, open_pathway):
    for kind in ("apa_assessment", "diet_assessment", "psy_assessment", "psy_followup"):
        book(personas, team, open_pathway, kind)
    book(personas, team, open_pathway, "diet_followup")  # 135 + 45 = 180: exactly the cap
    codes = refused_codes(lambda: book(personas, team, open_pathway, "psy_followup"))
    assert codes == ["PSG-09"]
    assert pathway_ledger(open_pathway).remaining == Decimal("0.00")


def test_a_second_dietetic_assessment_is_refused_psg_10(personas, team, open_pathway):
    book(personas, team, open_pathway, "diet_assessment")
    assert refused_codes(lambda: book(personas, team, open_pathway, "diet_assessment")) == [
        "PSG-10"
    ]


def test_an_act_after_the_deadline_is_refused_psg_06(personas, team, open_pathway):
    act = book(personas, team, open_pathway, "psy_assessment")
    act_complete(by=personas.coordinator, act=act, done_on=FIRST_DAY)
    open_pathway.refresh_from_db()
    assert open_pathway.deadline == date(2027, 6, 10)
    late = open_pathway.deadline + timedelta(days=1)
    codes = refused_codes(lambda: book(personas, team, open_pathway, "psy_followup", day=late))
    assert codes == ["PSG-06"]
    book(personas, team, open_pathway, "psy_followup", day=open_pathway.deadline)


@pytest.mark.parametrize(
    ("kind", "amount", "code"),
    [("diet_assessment", "45.01", "PSG-07"), ("diet_followup", "22.51", "PSG-08")],
)
def test_a_rate_above_the_maximum_is_refused(personas, team, open_pathway, kind, amount, code):
    assert refused_codes(lambda: book(personas, team, open_pathway, kind, Decimal(amount))) == [
        code
    ]


def test_an_unprescribed_prestation_is_refused_psg_04(personas, team, patient):
    from oncoparcours.pathways.tests.factories import open_pathway

    pathway = open_pathway(personas.coordinator, patient, items=["psy_assessment"])
    assert refused_codes(lambda: book(personas, team, pathway, "diet_assessment")) == ["PSG-04"]


@pytest.mark.parametrize(
    ("assessments", "followups"),
    [
        (["diet_assessment"], 6),
        (["diet_assessment", "psy_assessment"], 4),
        (["diet_assessment", "psy_assessment", "apa_assessment"], 2),
    ],
)
def test_the_combinations_within_the_cap_are_accepted_psg_10(
    personas, team, open_pathway, assessments, followups
):
    for kind in assessments:
        book(personas, team, open_pathway, kind)
    for i in range(followups):
        kind = "psy_followup" if i % 2 else "diet_followup"
        book(personas, team, open_pathway, kind, day=FIRST_DAY + timedelta(days=7 * (i + 1)))
    ledger = pathway_ledger(open_pathway)
    assert (ledger.committed, ledger.remaining, ledger.followups_used) == (
        Decimal("180.00"),
        Decimal("0.00"),
        followups,
    )


@pytest.mark.parametrize(
    ("kind", "who", "code"),
    [
        ("psy_assessment", "dietitian", "PSG-12"),
        ("diet_followup", "psychologist", "PSG-12"),
        ("apa_assessment", "psychologist", "PSG-13"),
    ],
)
def test_an_unqualified_professional_is_refused(personas, team, open_pathway, kind, who, code):
    professional = getattr(team, who)
    assert refused_codes(
        lambda: book(personas, team, open_pathway, kind, professional=professional)
    ) == [code]


def test_a_professional_of_another_structure_is_refused(personas, team, open_pathway):
    from oncoparcours.accounts.roles import RoleCode
    from oncoparcours.pathways.tests.factories import make_professional

    stranger = make_professional(
        personas.other_structure, RoleCode.PSYCHOLOGIST, "psychologist", "psy@volcans.test"
    )
    codes = refused_codes(
        lambda: book(personas, team, open_pathway, "psy_assessment", professional=stranger)
    )
    assert codes == ["act.professional_not_member"]


def test_every_failure_is_returned_at_once(personas, team, open_pathway):
    book(personas, team, open_pathway, "diet_assessment")
    codes = refused_codes(
        lambda: book(
            personas,
            team,
            open_pathway,
            "diet_assessment",
            Decimal("50.00"),
            professional=team.psychologist,
        )
    )
    assert codes == ["PSG-07", "PSG-10", "PSG-12"]


def test_a_pathway_not_yet_contacted_takes_no_booking(personas, team, patient):
    pathway = receive(personas.coordinator, patient)
    codes = refused_codes(lambda: book(personas, team, pathway, "psy_followup"))
    assert codes == ["act.pathway_not_open"]


@pytest.mark.parametrize("who", ["other_coordinator", "outsider", "psychologist"])
def test_only_the_structure_coordinator_books(personas, team, open_pathway, who):
    with pytest.raises(ValidationError) as exc:
        book(personas, team, open_pathway, "psy_followup", by=getattr(personas, who))
    assert exc.value.code == "act.forbidden"
    assert not Act.objects.exists()


def test_the_first_assessment_done_activates_the_pathway_with_its_deadline(
    personas, team, open_pathway
):
    act = book(personas, team, open_pathway, "apa_assessment")
    act_complete(by=team.apa, act=act, done_on=FIRST_DAY)
    open_pathway.refresh_from_db()
    assert open_pathway.status == "active"
    assert open_pathway.first_assessment_date == FIRST_DAY
    assert open_pathway.deadline == date(2027, 6, 10)  # PSG-06
    kinds = list(open_pathway.events.values_list("kind", flat=True))
    assert kinds[-3:] == ["act_booked", "act_done", "activated"]
    act.refresh_from_db()
    assert (act.status, act.completed_by) == ("done", team.apa)


def test_completion_rechecks_the_deadline_psg_06(personas, team, open_pathway):
    first = book(personas, team, open_pathway, "psy_assessment")
    act_complete(by=personas.coordinator, act=first, done_on=FIRST_DAY)
    followup = book(personas, team, open_pathway, "psy_followup", day=date(2027, 6, 1))
    with time_machine.travel(datetime(2027, 7, 1, 12, tzinfo=PARIS)):
        codes = refused_codes(lambda: act_complete(by=personas.coordinator, act=followup))
    assert codes == ["PSG-06"]
    followup.refresh_from_db()
    assert followup.status == "booked"


def test_completion_rechecks_the_cap_after_a_change_of_amount(personas, team, open_pathway):
    """A row edited outside the services (or a race) is caught at completion (PSG-09)."""
    for kind in ("apa_assessment", "diet_assessment", "psy_assessment", "psy_followup"):
        book(personas, team, open_pathway, kind)
    last = book(personas, team, open_pathway, "diet_followup")
    Act.objects.filter(kind="psy_followup").update(amount=Decimal("22.51"))
    assert "PSG-09" in refused_codes(
        lambda: act_complete(by=personas.coordinator, act=last, done_on=FIRST_DAY)
    )


def test_the_ledger_is_exact_to_the_cent_through_book_complete_cancel(personas, team, open_pathway):
    assessment = book(personas, team, open_pathway, "diet_assessment", Decimal("44.99"))
    first = book(personas, team, open_pathway, "diet_followup", Decimal("22.33"))
    second = book(personas, team, open_pathway, "psy_followup", Decimal("21.01"))
    missed = book(personas, team, open_pathway, "psy_followup", Decimal("20.00"))
    act_complete(by=personas.coordinator, act=assessment, done_on=FIRST_DAY)
    act_complete(by=team.dietitian, act=first, done_on=FIRST_DAY)
    act_cancel(by=personas.coordinator, act=second, reason="Patient hospitalisé.")
    act_no_show(by=team.psychologist, act=missed)
    ledger = pathway_ledger(open_pathway)
    assert ledger.spent == Decimal("67.32")
    assert ledger.committed == Decimal("0.00")
    assert ledger.released == Decimal("41.01")
    assert ledger.remaining == Decimal("112.68")
    assert ledger.spent + ledger.committed + ledger.remaining == open_pathway.cap
    assert ledger.followups_used == 1
    kinds = list(open_pathway.events.values_list("kind", flat=True))
    assert kinds.count("act_cancelled") == 1
    assert kinds.count("act_no_show") == 1
    assert open_pathway.events.get(kind="act_cancelled").reason == "Patient hospitalisé."


def test_cancelling_requires_a_reason_and_a_booked_act(personas, team, open_pathway):
    act = book(personas, team, open_pathway, "psy_followup")
    assert refused_codes(lambda: act_cancel(by=personas.coordinator, act=act, reason=" ")) == [
        "act.reason_required"
    ]
    act_cancel(by=personas.coordinator, act=act, reason="Annulé par le patient.")
    with pytest.raises(ValidationError) as exc:
        act_complete(by=personas.coordinator, act=act, done_on=FIRST_DAY)
    assert exc.value.code == "act.not_booked"


def test_rescheduling_rechecks_the_deadline(personas, team, open_pathway):
    first = book(personas, team, open_pathway, "psy_assessment")
    act_complete(by=personas.coordinator, act=first, done_on=FIRST_DAY)
    act = book(personas, team, open_pathway, "psy_followup", day=date(2026, 9, 1))
    new = at(date(2026, 9, 8), 14)
    act_reschedule(by=personas.coordinator, act=act, starts_at=new)
    act.refresh_from_db()
    assert act.starts_at == new
    assert open_pathway.events.filter(kind="act_rescheduled").count() == 1
    late = at(date(2027, 6, 11))
    assert refused_codes(
        lambda: act_reschedule(by=personas.coordinator, act=act, starts_at=late)
    ) == ["PSG-06"]


def test_another_professional_cannot_complete_the_act(personas, team, open_pathway):
    act = book(personas, team, open_pathway, "psy_followup")
    with pytest.raises(ValidationError) as exc:
        act_complete(by=team.dietitian, act=act, done_on=FIRST_DAY)
    assert exc.value.code == "act.forbidden"
    with pytest.raises(ValidationError):
        act_no_show(by=personas.other_coordinator, act=act)
    act.refresh_from_db()
    assert act.status == "booked"


def test_the_patient_is_told_of_the_booking_by_email(
    personas, team, open_pathway, django_capture_on_commit_callbacks
):
    patient = open_pathway.patient
    patient.email = "patiente@example.test"
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        book(personas, team, open_pathway, "diet_assessment")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["patiente@example.test"]
    assert "Bilan diététique le 10/06/2026 à 10h00" in message.body
    assert "Sophie Bernard" in message.body
    assert "12 rue de la République" in message.body


def test_the_patient_without_email_gets_an_sms_and_without_phone_nothing(
    personas, team, open_pathway, django_capture_on_commit_callbacks
):
    patient = open_pathway.patient
    patient.email, patient.phone = "", "06 12 34 56 78"
    patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        book(personas, team, open_pathway, "psy_assessment", mode="video", place="")
    sms = Notification.objects.get()
    assert (sms.channel, sms.recipient_ref) == ("sms", "0612345678")
    assert "visioconférence" in sms.body
    patient.phone = ""
    patient.save()
    book(personas, team, open_pathway, "diet_assessment")
    assert Notification.objects.count() == 1


def test_the_budget_reminder_reaches_pathways_near_their_cap(personas, team, open_pathway):
    first = book(personas, team, open_pathway, "apa_assessment")
    act_complete(by=personas.coordinator, act=first, done_on=FIRST_DAY)
    for kind in ("diet_assessment", "psy_assessment"):
        book(personas, team, open_pathway, kind)
    today = date(2026, 6, 15)
    # 135 of 180 EUR = 75 %: under the 80 % threshold (arrêté 2020 seed).
    assert jobs.remind_coordinators(today=today)["budget"] == 0
    book(personas, team, open_pathway, "psy_followup")  # 157.50 = 87.5 %
    assert jobs.remind_coordinators(today=today)["budget"] == 1
    assert jobs.remind_coordinators(today=today)["budget"] == 0  # no twin
    task = Task.objects.get(kind="reminder_budget")
    assert task.pathway_public_id == open_pathway.public_id
    assert "157,50 € sur 180,00 €" in task.title
    assert open_pathway.patient.birth_name not in task.title


def test_the_guards_count_acts_booked_after_the_pathway_was_read(personas, team, open_pathway):
    """A pathway read with its acts prefetched (page, API) must not hide a booking made
    meanwhile (PSG-10): the guards query the acts under the pathway's lock."""
    from oncoparcours.pathways.selectors import pathway_detail

    stale = pathway_detail(open_pathway.public_id)
    assert stale is not None
    assert list(stale.acts.all()) == []
    book(personas, team, open_pathway, "diet_assessment")
    assert refused_codes(lambda: book(personas, team, stale, "diet_assessment")) == ["PSG-10"]


def test_an_apa_session_is_never_billed_to_the_pathway_psg_11(personas, team, open_pathway):
    codes = refused_codes(
        lambda: book(personas, team, open_pathway, "apa_session", FOLLOWUP, professional=team.apa)
    )
    assert codes == ["PSG-11"]


def test_an_amount_below_the_cent_is_refused(personas, team, open_pathway):
    codes = refused_codes(
        lambda: book(personas, team, open_pathway, "psy_followup", Decimal("20.005"))
    )
    assert codes == ["act.amount_precision"]


def test_the_stored_engaged_amount_always_reconciles_with_the_ledger(personas, team, open_pathway):
    # PSG-09: the worklist reads Pathway.engaged_amount; the ledger derived from the acts is the
    # reference. After each kind of change the two agree to the cent.
    def engaged() -> Decimal:
        open_pathway.refresh_from_db()
        assert open_pathway.engaged_amount == pathway_ledger(open_pathway).used
        return open_pathway.engaged_amount

    first = book(personas, team, open_pathway, "psy_assessment")
    assert engaged() == Decimal("45.00")
    act_complete(by=personas.coordinator, act=first, done_on=FIRST_DAY)
    assert engaged() == Decimal("45.00")
    missed = book(personas, team, open_pathway, "psy_followup", Decimal("22.50"))
    assert engaged() == Decimal("67.50")
    act_no_show(by=personas.coordinator, act=missed)
    assert engaged() == Decimal("45.00")
    cancelled = book(personas, team, open_pathway, "diet_assessment", Decimal("40.00"))
    act_reschedule(by=personas.coordinator, act=cancelled, starts_at=at(date(2026, 6, 20)))
    assert engaged() == Decimal("85.00")
    act_cancel(by=personas.coordinator, act=cancelled, reason="Le patient a déménagé.")
    assert engaged() == Decimal("45.00")
    # A refused booking changes nothing.
    refused_codes(lambda: book(personas, team, open_pathway, "psy_assessment"))
    assert engaged() == Decimal("45.00")
