import io
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from oncoparcours.accounts.models import Membership
from oncoparcours.coordination.models import Task, TaskKind
from oncoparcours.demo.generator import demo_data_load, demo_data_reset
from oncoparcours.notifications.models import Notification
from oncoparcours.pathways.models import (
    Act,
    Eligibility,
    Pathway,
    PathwayEvent,
    Prescription,
    Referral,
)
from oncoparcours.pathways.rules.prestations import check_performer
from oncoparcours.pathways.selectors import pathway_ledger, pathway_worklist_for
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.territories.geo import great_circle_km

PATIENTS = 150
DEMO_COORDINATOR = "coordination@demo.oncoparcours.invalid"


@pytest.fixture
def demo_mode(settings):
    settings.ONCOPARCOURS_DEMO = True


@pytest.fixture
def loaded(demo_mode, geography):
    return demo_data_load(patients=PATIENTS)


def _snapshot() -> list[tuple[str, str, str, int]]:
    """Per patient (deterministic public ids): pathway status, eligibility, number of acts."""
    return sorted(
        (str(p.patient.public_id), p.status, p.prescription.eligibility, p.acts.count())
        for p in Pathway.objects.select_related("patient", "prescription")
    )


def test_pathways_are_spread_over_the_statuses(loaded):
    statuses = Counter(Pathway.objects.values_list("status", flat=True))
    assert {
        PathwayStatus.ELIGIBLE,
        PathwayStatus.CONTACTED,
        PathwayStatus.ACTIVE,
        PathwayStatus.COMPLETED,
    } <= set(statuses)
    assert statuses[PathwayStatus.ACTIVE] == max(statuses.values())
    assert loaded.counts["pathways"] == sum(statuses.values())
    assert Act.objects.filter(status="done").exists()
    assert Act.objects.filter(status="booked", starts_at__gt=timezone.now()).exists()


def test_refused_prescriptions_carry_the_psg_codes_of_a_real_reason(loaded):
    refused = Prescription.objects.exclude(eligibility=Eligibility.ELIGIBLE)
    assert refused.exists()
    for prescription in refused:
        codes = {failure["code"] for failure in prescription.failures}
        assert codes
        assert codes <= {"PSG-02", "PSG-03"}
    assert not Prescription.objects.filter(eligibility=Eligibility.ELIGIBLE).exclude(failures=[])


def test_two_refusals_are_overridden_by_a_coordinator_with_a_justification(loaded):
    overridden = Prescription.objects.filter(eligibility=Eligibility.OVERRIDDEN).select_related(
        "override_by", "pathway"
    )
    assert overridden.count() == 2
    for prescription in overridden:
        assert len(prescription.override_justification) >= 20
        assert prescription.override_by is not None
        assert prescription.override_by.role == "coordinator"
        assert prescription.override_by.organisation_id == prescription.pathway.structure_id


def test_no_ledger_ever_exceeds_the_cap(loaded):
    pathways = list(Pathway.objects.prefetch_related("acts"))
    assert pathways
    for pathway in pathways:
        ledger = pathway_ledger(pathway)
        assert ledger.used <= pathway.cap
        assert ledger.remaining >= 0
        assert ledger.followups_used <= 6


def test_acts_are_done_by_qualified_members_of_the_pathway_structure(loaded):
    acts = Act.objects.select_related("pathway", "professional")
    assert acts.exists()
    for act in acts:
        assert act.pathway.structure_id is not None
        assert check_performer(item=act.kind, profession=act.professional.profession) == []
        assert Membership.objects.filter(
            user=act.professional, organisation_id=act.pathway.structure_id
        ).exists()


def test_every_event_and_date_lies_in_the_past_but_future_bookings(loaded):
    now = timezone.now()
    today = timezone.localdate()
    assert not PathwayEvent.objects.filter(at__gt=now).exists()
    assert not Prescription.objects.filter(received_at__gt=now).exists()
    assert not Prescription.objects.filter(prescription_date__gt=today).exists()
    assert not Act.objects.filter(status="done", done_at__gt=now).exists()
    assert not Pathway.objects.filter(closed_at__gt=now).exists()
    # Spread over the past year, not all received today.
    assert not Prescription.objects.filter(received_at__lt=now - timedelta(days=400)).exists()
    assert Prescription.objects.filter(prescription_date__lt=today.replace(day=1)).exists()


def test_the_demo_coordinator_has_a_worklist_and_manual_tasks(loaded):
    coordinator = Membership.objects.get(user__email=DEMO_COORDINATOR)
    worklist = pathway_worklist_for(coordinator)
    assert worklist.count() >= 5
    assert len(set(worklist.values_list("status", flat=True))) >= 3
    tasks = Task.objects.filter(organisation=coordinator.organisation, kind=TaskKind.MANUAL)
    assert tasks.count() == 3
    assert tasks.filter(created_by=coordinator).count() == 3


def test_patients_get_no_message_and_paper_prescriptions_none_either(loaded):
    assert not Notification.objects.filter(recipient_kind="patient").exists()
    mailed = set(Notification.objects.values_list("recipient_ref", flat=True))
    assert mailed <= {
        "prescripteur@demo.oncoparcours.invalid",
        "onco-aura@demo.oncoparcours.invalid",
    }


def test_the_same_seed_gives_the_same_pathways_after_a_reset(loaded):
    first = _snapshot()
    demo_data_reset()
    demo_data_load(patients=PATIENTS)
    assert _snapshot() == first


def test_reset_removes_pathways_acts_tasks_and_notifications(loaded):
    demo_data_reset()
    assert not Pathway.objects.exists()
    assert not Prescription.objects.exists()
    assert not Act.objects.exists()
    assert not PathwayEvent.objects.exists()
    assert not Task.objects.exists()
    assert not Notification.objects.exists()


def test_a_second_command_run_adds_no_pathway(demo_mode, geography):
    call_command("demo_load", patients=60, stdout=io.StringIO(), stderr=io.StringIO())
    before = (Pathway.objects.count(), Act.objects.count(), Task.objects.count())
    out = io.StringIO()
    call_command("demo_load", patients=60, stdout=out, stderr=io.StringIO())
    assert "déjà chargé" in out.getvalue()
    assert (Pathway.objects.count(), Act.objects.count(), Task.objects.count()) == before


def test_the_command_reports_the_pathways_by_status(demo_mode, geography):
    out = io.StringIO()
    call_command("demo_load", patients=60, stdout=out, stderr=io.StringIO())
    assert "parcours (prescriptions reçues) :" in out.getvalue()
    assert "en cours :" in out.getvalue()


def test_each_timeline_reads_in_the_order_the_services_wrote_it(loaded):
    by_pathway: dict[int, list[tuple[int, datetime]]] = {}
    for pathway_id, pk, at in PathwayEvent.objects.values_list("pathway_id", "pk", "at"):
        by_pathway.setdefault(pathway_id, []).append((pk, at))
    assert by_pathway
    for events in by_pathway.values():
        stamps = [at for _pk, at in sorted(events, key=lambda event: event[0])]
        assert stamps == sorted(stamps)


def test_some_open_pathways_are_oriented_to_apa_sessions_near_home(loaded):
    # PSG-11: through the referral service, to an APA offer of the directory within 30 km.
    referrals = Referral.objects.select_related("offer", "pathway__patient__commune")
    assert referrals.count() == loaded.counts["referrals"] > 0
    for referral in referrals:
        offer, home = referral.offer, referral.pathway.patient.commune
        assert offer is not None
        assert (referral.care_type, offer.care_type) == ("apa", "apa")
        assert referral.pathway.status in {PathwayStatus.CONTACTED, PathwayStatus.ACTIVE}
        points = (home.latitude, home.longitude, offer.latitude, offer.longitude)
        assert None not in points
        assert great_circle_km(*points) <= 30.0  # type: ignore[arg-type]
    assert PathwayEvent.objects.filter(kind="referred").count() == referrals.count()
