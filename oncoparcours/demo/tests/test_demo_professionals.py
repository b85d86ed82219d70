"""Issue 4 in the demo: professionals' files, assessments and reports, APA projects, statements."""

from decimal import Decimal

import pytest
from django.db.models import Count, Q, Sum
from django.test import Client
from django.utils import timezone

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.assessments.models import ApaProject, Assessment, InstrumentRecord
from oncoparcours.core.testing import login
from oncoparcours.demo.generator import demo_data_load, demo_data_reset
from oncoparcours.pathways.rules.prestations import APA_ASSESSMENT, is_assessment
from oncoparcours.payments.models import PayableLine, Statement, StatementStatus
from oncoparcours.payments.rules import first_of_month
from oncoparcours.professionals.models import (
    Contract,
    ContractKind,
    Diploma,
    ProfessionalProfile,
)
from oncoparcours.professionals.workspace import workspace_for
from oncoparcours.regulation.selectors import psgac_parameters_at
from oncoparcours.reports.models import DeliveryStatus, Report, ReportDelivery

PATIENTS = 400
LOGINS = {
    RoleCode.APA_PROFESSIONAL: "apa@demo.oncoparcours.invalid",
    RoleCode.DIETITIAN: "dietetique@demo.oncoparcours.invalid",
    RoleCode.PSYCHOLOGIST: "psychologue@demo.oncoparcours.invalid",
}


@pytest.fixture
def loaded(settings, geography):
    settings.ONCOPARCOURS_DEMO = True
    return demo_data_load(patients=PATIENTS)


def _snapshot() -> list[tuple[str, str, str, int, str]]:
    """Per assessment (deterministic patient ids): kind, day, number of results, first score."""
    return sorted(
        (
            str(a.pathway.patient.public_id),
            a.kind,
            a.performed_on.isoformat(),
            a.results.count(),
            str(a.results.order_by("position").values_list("score", flat=True).first()),
        )
        for a in Assessment.objects.select_related("pathway__patient")
    )


def _professionals_have_profile_diploma_and_contract_within_the_maxima(loaded) -> None:
    contracts = list(Contract.objects.select_related("professional"))
    assert contracts
    assert {c.kind for c in contracts} == {ContractKind.CONTRACTED, ContractKind.SALARIED}
    at_max = 0
    for contract in contracts:
        params = psgac_parameters_at(contract.start_date)
        # PSG-07, PSG-08: never above the maxima in force when the contract starts.
        assert contract.assessment_rate <= params.assessment_max_rate
        assert contract.followup_rate <= params.followup_max_rate
        at_max += contract.assessment_rate == params.assessment_max_rate
        assert ProfessionalProfile.objects.filter(user=contract.professional).exists()
    assert 0 < at_max < len(contracts)
    assert Diploma.objects.filter(evidence_type="application/pdf").count() == len(
        {c.professional_id for c in contracts}
    )
    # PSG-13: every APA professional has a qualification category.
    apa = ProfessionalProfile.objects.filter(user__profession="apa_teacher")
    assert apa.exists()
    assert not apa.filter(qualification_category__isnull=True).exists()
    assert loaded.counts["contracts_contracted"] + loaded.counts["contracts_salaried"] == len(
        contracts
    )


def _assessments_store_results_and_some_reports_are_withheld(loaded) -> None:
    assessments = Assessment.objects.all()
    assert assessments.count() == loaded.counts["assessments"] > 0
    assert not assessments.annotate(n=Count("results")).filter(n=0).exists()
    assert InstrumentRecord.objects.filter(instrument="hads").exists()
    # Follow-ups re-measure: some pathways have the distress measured at two dates or more.
    series = (
        InstrumentRecord.objects.filter(instrument="distress_thermometer")
        .values("assessment__pathway")
        .annotate(n=Count("assessment__performed_on", distinct=True))
        .filter(n__gte=2)
    )
    assert series.exists()
    # One report per assessment, withheld when the patient did not consent (PSG-14/16).
    assert Report.objects.count() == assessments.count()
    withheld = ReportDelivery.objects.filter(status=DeliveryStatus.WITHHELD_NO_CONSENT)
    assert withheld.count() == loaded.counts["deliveries_withheld_no_consent"] > 0
    assert ReportDelivery.objects.exclude(status=DeliveryStatus.WITHHELD_NO_CONSENT).exists()
    for delivery in withheld.select_related("report__pathway__patient")[:20]:
        assert delivery.consent is None
        assert "consenti" in delivery.reason
    # The forms were filled on the act's day or after (demo backdating), never before.
    for assessment in assessments.select_related("act")[:50]:
        assert assessment.act.day <= timezone.localdate(assessment.submitted_at)
        assert assessment.submitted_at < timezone.now()
    projects = ApaProject.objects.select_related("assessment")
    assert projects.count() == loaded.counts["apa_projects"] > 0
    assert all(p.assessment is not None and p.assessment.kind == APA_ASSESSMENT for p in projects)
    assert projects.filter(suggested_offers__isnull=False).exists()


def _statements_add_up_and_the_current_month_stays_unattached(loaded) -> None:
    statements = Statement.objects.annotate(lines_total=Sum("lines__amount"))
    assert statements.exists()
    for statement in statements:
        if statement.status != StatementStatus.DRAFT:
            assert statement.total == statement.lines_total
        assert statement.lines_total > 0
    assert statements.filter(status=StatementStatus.PAID).exists()
    assert statements.filter(status=StatementStatus.VALIDATED).exists()
    assert statements.filter(status=StatementStatus.DRAFT).exists()
    current = first_of_month(timezone.localdate())
    assert not Statement.objects.filter(month=current).exists()
    # The lines of the current month wait for the next preparation; each line is paid at its
    # contract's rate (PSG-07/08), never above the maximum.
    assert not PayableLine.objects.filter(month=current, statement__isnull=False).exists()
    for line in PayableLine.objects.select_related("act", "contract")[:100]:
        expected = (
            line.contract.assessment_rate
            if is_assessment(line.act.kind)
            else line.contract.followup_rate
        )
        assert line.amount == expected
        assert line.contract.kind == ContractKind.CONTRACTED


def _named_professionals_have_work_in_each_workspace_section(loaded) -> None:
    now = timezone.now()
    for role, email in LOGINS.items():
        actor = Membership.objects.get(user__email=email, role=role)
        workspace = workspace_for(actor, now=now)
        assert workspace.upcoming, email
        assert workspace.to_document, email
        assert workspace.reports, email
        assert workspace.statements, email
        assert workspace.pathways, email
        page = login(Client(), actor).get("/professionnels/mon-espace/")
        assert page.status_code == 200, email
    psychologist = Membership.objects.get(user__email=LOGINS[RoleCode.PSYCHOLOGIST])
    assert (
        Statement.objects.filter(professional=psychologist.user, status=StatementStatus.DRAFT)
        .exclude(month=first_of_month(timezone.localdate()))
        .exists()
    )


def test_the_demo_gives_the_professionals_their_work(loaded):
    """One load for every check (a demo load takes seconds)."""
    _professionals_have_profile_diploma_and_contract_within_the_maxima(loaded)
    _assessments_store_results_and_some_reports_are_withheld(loaded)
    _statements_add_up_and_the_current_month_stays_unattached(loaded)
    _named_professionals_have_work_in_each_workspace_section(loaded)


def test_same_seed_same_assessments_and_reset_then_reload(loaded):
    first = _snapshot()
    totals = list(Statement.objects.order_by("month", "total").values_list("month", "total"))
    demo_data_reset()
    for model in (Assessment, Report, Statement, PayableLine, Contract, Diploma, ApaProject):
        assert not model.objects.exists(), model.__name__
    assert not ProfessionalProfile.objects.filter(Q(user__email__endswith=".invalid")).exists()
    demo_data_load(patients=PATIENTS)
    assert _snapshot() == first
    assert (
        list(Statement.objects.order_by("month", "total").values_list("month", "total")) == totals
    )
    assert Decimal("0") < sum((t or Decimal("0")) for _m, t in totals)
