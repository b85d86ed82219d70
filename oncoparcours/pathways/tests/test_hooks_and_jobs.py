"""The pathway reaches people: the prescriber learns the decision, the DSRC an uncovered
territory; periodic jobs expire pathways (PSG-06) and remind coordinators through tasks."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from oncoparcours.coordination.models import Task
from oncoparcours.pathways import jobs
from oncoparcours.pathways.services import eligibility_override, pathway_activate
from oncoparcours.pathways.services.lifecycle import pathway_mark_contacted
from oncoparcours.pathways.tests.factories import make_eligible_patient, make_prescriber, receive

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Notifications leave after commit: run what the block scheduled on commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_prescriber_with_an_account_is_told_of_acceptance(personas, patient, committed):
    prescriber = make_prescriber(personas)
    with committed():
        receive(personas.coordinator, patient, prescriber=prescriber.user, channel="form")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [prescriber.user.email]
    assert "acceptée" in message.subject
    assert patient.birth_name not in message.body  # initials only


def test_prescriber_is_told_of_refusal_with_every_reason(personas, patient, committed):
    prescriber = make_prescriber(personas)
    patient.ald_cancer = False
    patient.save()
    with committed():
        receive(
            personas.coordinator,
            patient,
            prescriber=prescriber.user,
            prescription_date=date(2027, 1, 16),
            today=date(2027, 1, 20),
        )
    body = mail.outbox[0].body
    assert "non retenue" in mail.outbox[0].subject
    assert "PSG-01" in body
    assert "PSG-03" in body


def test_override_tells_the_prescriber_it_is_now_accepted(personas, patient, committed):
    prescriber = make_prescriber(personas)
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient, prescriber=prescriber.user)
    with committed():
        eligibility_override(
            by=personas.coordinator,
            pathway=pathway,
            justification="ALD en cours d'ouverture, CPAM contactée.",
        )
    assert [m.subject for m in mail.outbox][-1].endswith("acceptée")


def test_paper_prescription_without_account_sends_nothing(personas, patient, committed):
    with committed():
        receive(personas.coordinator, patient)
    assert mail.outbox == []


def test_uncovered_territory_gives_the_dsrc_a_task_and_an_email(personas, geography, committed):
    personas.admin.organisation.email = "contact@oncoaura.test"
    personas.admin.organisation.save()
    aurillac = make_eligible_patient(personas.structure, geography["15014"])
    with committed():
        pathway = receive(personas.coordinator, aurillac)
    assert pathway.uncovered is True
    task = Task.objects.get(organisation=personas.admin.organisation)
    assert task.kind == "uncovered_territory"
    assert task.pathway_public_id == pathway.public_id
    assert "Aurillac" in task.title
    assert aurillac.birth_name not in task.title + task.description
    assert mail.outbox[0].to == ["contact@oncoaura.test"]
    assert aurillac.birth_name not in mail.outbox[0].body


def test_uncontacted_prescription_gets_one_reminder_task(personas, patient):
    with time_machine.travel("2026-06-01 09:00 +0200"):
        pathway = receive(personas.coordinator, patient)
    # contact_after_days = 7 (arrêté 2020 seed): not yet on day 6, then once.
    assert jobs.remind_coordinators(today=date(2026, 6, 7))["contact"] == 0
    assert jobs.remind_coordinators(today=date(2026, 6, 8))["contact"] == 1
    assert jobs.remind_coordinators(today=date(2026, 6, 9))["contact"] == 0  # no twin
    task = Task.objects.get(organisation=personas.structure, kind="reminder_contact")
    assert task.pathway_public_id == pathway.public_id


def test_deadline_within_30_days_gets_a_reminder_and_expiry_follows(personas, patient):
    pathway = receive(personas.coordinator, patient)
    pathway_mark_contacted(by=personas.coordinator, pathway=pathway)
    pathway_activate(pathway=pathway, first_assessment_date=date(2026, 6, 10))
    pathway.refresh_from_db()
    assert pathway.deadline == date(2027, 6, 10)  # PSG-06: first assessment + 12 months
    assert jobs.remind_coordinators(today=pathway.deadline - timedelta(days=31))["deadline"] == 0
    assert jobs.remind_coordinators(today=pathway.deadline - timedelta(days=30))["deadline"] == 1
    assert jobs.expire_due_pathways(today=pathway.deadline) == 0
    assert jobs.expire_due_pathways(today=pathway.deadline + timedelta(days=1)) == 1
    pathway.refresh_from_db()
    assert pathway.status == "expired"
    assert pathway.events.filter(kind="expired").exists()


def test_jobs_are_scheduled_periodically(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "oncoparcours.pathways.tasks.expire_due_pathways" in tasks
    assert "oncoparcours.pathways.tasks.remind_coordinators" in tasks
