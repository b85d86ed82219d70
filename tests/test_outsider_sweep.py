"""Every page and endpoint refuses the outsider: an authenticated user of an unrelated
organisation with an unrelated role (a community pharmacist). The sweep is exhaustive: a new
view or endpoint without an entry here fails `test_every_route_is_covered`.
"""

import datetime
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from oncoparcours.accounts.services import api_token_create
from oncoparcours.coordination.models import Task, TaskStatus
from oncoparcours.patients.models import Consent, ConsentScope, Patient
from oncoparcours.territories.models import InterventionTerritory

pytestmark = pytest.mark.django_db

REFUSED = {403, 404}
# Valid bodies, so that what refuses is the permission check, not the schema.
ORG_BODY = {"name": "Pharmacie pirate", "kind": "pharmacy"}
MEMBER_BODY = {
    "email": "intrus@test.invalid",
    "first_name": "I",
    "last_name": "N",
    "role": "psychologist",
}
TERRITORY_BODY = {"name": "Annexion", "commune_codes": ["69123"]}
PATIENT_BODY = {
    "birth_name": "Intrus",
    "first_given_name": "Ivan",
    "birth_date": "1980-01-01",
    "sex": "M",
    "commune_insee": "63113",
}
CONSENT_BODY = {"scope": "share_reports_gp", "given_at": "2026-01-05"}
OFFER_BODY = {
    "title": "Offre pirate",
    "care_type": "apa",
    "audiences": ["adults"],
    "group_formats": ["group"],
    "delivery_modes": ["in_person"],
    "cost": "free",
    "provider_name": "Club pirate",
    "commune_insee": "69123",
    "source": "self_declaration",
}

# Pages any logged-in person may open, whatever their role: their own home and account, the
# authentication flow, and public reference data (communes: INSEE open data).
OPEN_TO_EVERY_MEMBER = {
    "core:home",
    "accounts:login",
    "accounts:logout",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:otp-verify",
    "accounts:otp-setup",
    "accounts:profile",
    "accounts:switch-membership",
    "territories:commune-search",
    "territories:commune-points",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "api:me",
    "api:roles",
    "api:commune_search",
    "api:commune_get",
    "api:department_list",
    "api:epci_list",
    # Regulatory parameters are public law: every member may read them.
    "regulation:list",
    "api:regulatory_parameter_list",
    "api:regulatory_parameter_versions",
    # The supportive-care directory is published (issue 5): its search and active offers are
    # open to anyone, anonymous visitors included.
    "api:directory_search",
    "api:offer_get",
    # Its pages too: the search, each active offer's page, and the commune suggestions of the
    # search's place field (INSEE open data).
    "directory:search",
    "directory:offer",
    "directory:commune-suggestions",
}


@pytest.fixture
def world(personas, geography):
    territory = InterventionTerritory.objects.create(
        name="Territoire secret", structure=personas.structure
    )
    territory.communes.set([geography["69123"]])
    patient = Patient.objects.create(
        birth_name="TESTSWEEP",
        first_given_name="Alix",
        birth_date="1970-05-05",
        sex="F",
        commune=geography["69123"],
        structure=personas.structure,
    )
    consent = Consent.objects.create(
        patient=patient,
        scope=ConsentScope.SHARE_REPORTS_PRESCRIBER,
        given_at="2026-01-05",
        recorded_by=personas.coordinator,
    )
    task = Task.objects.create(organisation=personas.structure, title="TÂCHESECRÈTE")
    from oncoparcours.pathways.services import prescription_receive

    patient.refresh_from_db()  # the string dates above become dates
    pathway = prescription_receive(
        by=personas.coordinator,
        patient=patient,
        prescriber=None,
        prescriber_name="Dr Sweep",
        prescriber_specialty="oncology",
        prescription_date=datetime.date(2026, 5, 1),
        items=["psy_assessment"],
        channel="paper",
    )
    from decimal import Decimal

    from oncoparcours.pathways.models import Act

    # Written directly: the sweep's pathway is refused, no service would book on it.
    act = Act.objects.create(
        pathway=pathway,
        kind="psy_assessment",
        professional=personas.psychologist.user,
        starts_at=datetime.datetime(2026, 6, 10, 10, tzinfo=datetime.UTC),
        duration_minutes=60,
        mode="in_person",
        place="Cabinet secret",
        amount=Decimal("45.00"),
        booked_by=personas.coordinator,
    )
    from oncoparcours.directory.models import OfferChangeProposal
    from oncoparcours.directory.tests.factories import make_offer

    offer = make_offer(
        "Offre du balayage",
        commune=geography["69123"],
        provider_organisation=personas.structure,
    )
    proposal = OfferChangeProposal.objects.create(
        offer=offer, proposed_by=personas.coordinator, changes={"title": "Proposé"}
    )
    from oncoparcours.professionals.models import Contract, Diploma

    # Written directly: the sweep's psychologist has no profession, no service would sign it.
    contract = Contract.objects.create(
        professional=personas.psychologist.user,
        structure=personas.structure,
        kind="contracted",
        start_date=datetime.date(2026, 1, 1),
        assessment_rate=Decimal("45.00"),
        followup_rate=Decimal("22.50"),
        created_by=personas.coordinator,
    )
    diploma = Diploma.objects.create(
        professional=personas.psychologist.user,
        title="DIPLÔMESECRET",
        issuer="Université secrète",
        obtained_on=datetime.date(2010, 6, 30),
        evidence="diplomas/sweep.pdf",
        evidence_type="application/pdf",
        uploaded_by=personas.psychologist,
    )
    from oncoparcours.payments.models import Statement

    # Written directly: a draft statement of the treating structure's psychologist.
    statement = Statement.objects.create(
        structure=personas.structure,
        professional=personas.psychologist.user,
        month=datetime.date(2026, 6, 1),
    )
    from oncoparcours.funding.models import Convention, FundingAllocation, FundingEnvelope

    # Written directly: the ARS's signed convention with the treating structure, its envelope.
    convention = Convention.objects.create(
        reference="CONVSECRÈTE",
        ars=personas.ars_analyst.organisation,
        structure=personas.structure,
        status="signed",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2028, 12, 31),
        signed_on=datetime.date(2025, 12, 15),
        expected_patients_per_year=100,
        report_due_month=3,
        report_due_day=31,
        created_by=personas.ars_analyst,
    )
    convention.territories.set([territory])
    envelope = FundingEnvelope.objects.create(
        ars=personas.ars_analyst.organisation,
        year=2026,
        region="Auvergne-Rhône-Alpes",
        label="FIR balayage",
        amount=Decimal("1000.00"),
        source_note="Test",
        created_by=personas.ars_analyst,
    )
    FundingAllocation.objects.create(
        envelope=envelope,
        structure=personas.structure,
        amount=Decimal("100.00"),
        purpose="Coordination",
        decided_on=datetime.date(2026, 2, 1),
        created_by=personas.ars_analyst,
    )
    from oncoparcours.assessments.models import Assessment

    # Written directly: the sweep's act is on a refused pathway, no service would take it.
    assessment = Assessment.objects.create(
        act=act,
        pathway=pathway,
        kind="psy_assessment",
        performed_on=datetime.date(2026, 6, 10),
        summary="BILANSECRET",
        submitted_by=personas.psychologist,
    )
    from oncoparcours.assessments.models import ApaProject
    from oncoparcours.reports.models import Report, ReportDelivery

    # Written directly: a report (its file never read: refused before), a withheld delivery,
    # an APA project.
    report = Report.objects.create(
        pathway=pathway,
        assessment=assessment,
        kind="psy_assessment",
        file="reports/sweep.pdf",
        size=1,
        sha256="0" * 64,
        created_by=personas.psychologist,
    )
    delivery = ReportDelivery.objects.create(
        report=report,
        recipient_role="gp",
        channel="mssante_file",
        status="withheld_no_address",
        reason="Adresse inconnue.",
    )
    apa_project = ApaProject.objects.create(
        pathway=pathway,
        goals="PROJETSECRET",
        activity_types=["endurance"],
        sessions_per_week=2,
        intensity="light",
        session_minutes=30,
        written_by=personas.coordinator,
    )
    from oncoparcours.evaluation.models import EvaluationJob

    # Written directly: a finished export of the ARS (its file never read: refused before).
    evaluation_job = EvaluationJob.objects.create(
        kind="pseudonymised_export",
        parameters={"year": 2026},
        status="done",
        result="evaluation/sweep.zip",
        requested_by=personas.ars_analyst,
    )
    from oncoparcours.evaluation.models import AnnualReport

    # Written directly: the Lyon structure's submitted annual report and its generation job.
    annual_report = AnnualReport.objects.create(
        structure=personas.structure,
        year=2025,
        status="submitted",
        job=EvaluationJob.objects.create(
            kind="annual_report",
            parameters={"year": 2025, "structure": str(personas.structure.public_id)},
            status="done",
            requested_by=personas.coordinator,
        ),
        content={"structure": {"name": personas.structure.name}},
        overall_comment="RAPPORTSECRET",
        created_by=personas.coordinator,
        submitted_by=personas.coordinator,
        submitted_at=datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC),
        pdf="evaluation/annual-reports/sweep.pdf",
        xlsx="evaluation/annual-reports/sweep.xlsx",
    )
    return {
        "annual_report": annual_report.public_id,
        "annual_report_job": annual_report.job.public_id,
        "evaluation_job": evaluation_job.public_id,
        "convention": convention.public_id,
        "envelope": envelope.public_id,
        "statement": statement.public_id,
        "contract": contract.public_id,
        "diploma": diploma.public_id,
        "offer": offer.public_id,
        "proposal": proposal.public_id,
        "act": act.public_id,
        "pathway": pathway.public_id,
        "organisation": personas.structure.public_id,
        "membership": personas.psychologist.public_id,
        "psychologist_user": personas.psychologist.user.public_id,
        "territory": territory.public_id,
        "patient": patient.public_id,
        "consent": consent.public_id,
        "task": task.public_id,
        "assessment": assessment.public_id,
        "report": report.public_id,
        "delivery": delivery.public_id,
        "apa_project": apa_project.public_id,
    }


def _web_cases(w):
    org = {"public_id": w["organisation"]}
    return {
        # name: (kwargs, methods)
        "organisations:list": (None, ["GET"]),
        "organisations:create": ({}, ["GET", "POST"]),
        "organisations:detail": (org, ["GET"]),
        "organisations:edit": (org, ["GET", "POST"]),
        "organisations:archive": (org, ["GET", "POST"]),
        "organisations:member-add": (org, ["GET", "POST"]),
        "organisations:member-end": (
            {"public_id": w["organisation"], "membership_id": w["membership"]},
            ["POST"],
        ),
        "territories:list": ({}, ["GET"]),
        "territories:create": ({}, ["GET", "POST"]),
        "territories:detail": ({"public_id": w["territory"]}, ["GET"]),
        "territories:edit": ({"public_id": w["territory"]}, ["GET", "POST"]),
        "territories:archive": ({"public_id": w["territory"]}, ["GET", "POST"]),
        "regulation:version-create": ({"key": "psgac.cap_per_patient"}, ["GET", "POST"]),
        "pathways:list": ({}, ["GET"]),
        "pathways:prescription-create": ({}, ["GET", "POST"]),
        "pathways:prescribe": ({}, ["GET", "POST"]),
        "pathways:detail": ({"public_id": w["pathway"]}, ["GET"]),
        "pathways:override": ({"public_id": w["pathway"]}, ["POST"]),
        "pathways:contacted": ({"public_id": w["pathway"]}, ["POST"]),
        "pathways:close": ({"public_id": w["pathway"]}, ["POST"]),
        "pathways:reassign": ({"public_id": w["pathway"]}, ["POST"]),
        "pathways:refer": ({"public_id": w["pathway"]}, ["POST"]),
        "pathways:act-reschedule": ({"act_id": w["act"]}, ["POST"]),
        "pathways:act-book": ({"public_id": w["pathway"]}, ["POST"]),
        "pathways:act-complete": ({"act_id": w["act"]}, ["POST"]),
        "pathways:act-no-show": ({"act_id": w["act"]}, ["POST"]),
        "pathways:act-cancel": ({"act_id": w["act"]}, ["POST"]),
        "pathways:act-void": ({"act_id": w["act"]}, ["POST"]),
        # Assessments (issue 4 §2): the act's professional fills, the care team reads.
        "assessments:fill": ({"act_id": w["act"]}, ["GET", "POST"]),
        "assessments:detail": ({"public_id": w["assessment"]}, ["GET"]),
        "pathways:agenda": ({}, ["GET"]),
        "pathways:prescriptions": ({}, ["GET"]),
        "patients:list": ({}, ["GET"]),
        "coordination:list": ({}, ["GET"]),
        "coordination:create": ({}, ["GET", "POST"]),
        "coordination:complete": ({"public_id": w["task"]}, ["POST"]),
        "coordination:reopen": ({"public_id": w["task"]}, ["POST"]),
        "coordination:cancel": ({"public_id": w["task"]}, ["POST"]),
        "patients:detail": ({"public_id": w["patient"]}, ["GET"]),
        "patients:create": ({}, ["GET", "POST"]),
        "patients:edit": ({"public_id": w["patient"]}, ["GET", "POST"]),
        "patients:consent-record": ({"public_id": w["patient"]}, ["GET", "POST"]),
        "patients:consent-withdraw": (
            {"public_id": w["patient"], "consent_id": w["consent"]},
            ["GET", "POST"],
        ),
        # The directory: a provider's proposal (the intruders provide nothing), editors' pages,
        # CSV import and export, coverage (editors, admins, ARS analysts).
        "directory:propose": ({"public_id": w["offer"]}, ["GET", "POST"]),
        "directory:editor-list": ({}, ["GET"]),
        "directory:create": ({}, ["GET", "POST"]),
        "directory:edit": ({"public_id": w["offer"]}, ["GET", "POST"]),
        "directory:archive": ({"public_id": w["offer"]}, ["GET", "POST"]),
        "directory:verify": ({"public_id": w["offer"]}, ["POST"]),
        "directory:history": ({"public_id": w["offer"]}, ["GET"]),
        "directory:proposals": ({}, ["GET"]),
        "directory:proposal": ({"public_id": w["proposal"]}, ["GET"]),
        "directory:proposal-approve": ({"public_id": w["proposal"]}, ["POST"]),
        "directory:proposal-reject": ({"public_id": w["proposal"]}, ["POST"]),
        "directory:import": ({}, ["GET", "POST"]),
        "directory:import-confirm": ({}, ["POST"]),
        "directory:export": ({}, ["GET"]),
        "directory:coverage": ({}, ["GET"]),
        "directory:coverage-csv": ({}, ["GET"]),
        # Professionals (issue 4 §1): the structure's coordinator, the professional, the ARS.
        "professionals:list": ({}, ["GET"]),
        "professionals:me": ({}, ["GET"]),
        "professionals:structure": (org, ["GET"]),
        "professionals:contract-create": (org, ["GET", "POST"]),
        "professionals:structure-diplomas": (org, ["GET"]),
        "professionals:contract-end": ({"public_id": w["contract"]}, ["GET", "POST"]),
        "professionals:diploma-file": ({"public_id": w["diploma"]}, ["GET"]),
        "professionals:diploma-archive": ({"public_id": w["diploma"]}, ["POST"]),
        "professionals:detail": ({"user_id": w["psychologist_user"]}, ["GET"]),
        "professionals:profile-edit": ({"user_id": w["psychologist_user"]}, ["GET", "POST"]),
        "professionals:diploma-add": ({"user_id": w["psychologist_user"]}, ["GET", "POST"]),
        "professionals:workspace": ({}, ["GET"]),
        # Payments (issue 4 §6): the structure's coordinator, the professional (their own).
        "payments:list": ({}, ["GET"]),
        "payments:prepare": ({}, ["POST"]),
        "payments:detail": ({"public_id": w["statement"]}, ["GET"]),
        "payments:validate": ({"public_id": w["statement"]}, ["POST"]),
        "payments:mark-paid": ({"public_id": w["statement"]}, ["POST"]),
        "payments:csv": ({"public_id": w["statement"]}, ["GET"]),
        "payments:pdf": ({"public_id": w["statement"]}, ["GET"]),
        # Funding (issue 6): the ARS's pages, a coordinator's own structure page.
        "funding:home": ({}, ["GET"]),
        "funding:balance": ({}, ["GET"]),
        "funding:balance-csv": ({}, ["GET"]),
        "funding:structure": (org, ["GET"]),
        "funding:conventions": ({}, ["GET"]),
        "funding:convention-create": ({}, ["GET", "POST"]),
        "funding:convention-detail": ({"public_id": w["convention"]}, ["GET"]),
        "funding:convention-sign": ({"public_id": w["convention"]}, ["GET", "POST"]),
        "funding:convention-end": ({"public_id": w["convention"]}, ["GET", "POST"]),
        "funding:envelopes": ({}, ["GET"]),
        "funding:envelope-create": ({}, ["GET", "POST"]),
        "funding:envelope-detail": ({"public_id": w["envelope"]}, ["GET"]),
        "funding:allocation-create": ({"public_id": w["envelope"]}, ["POST"]),
        "funding:payments": ({}, ["GET"]),
        "funding:payment-create": ({}, ["GET", "POST"]),
        # Pseudonymised exports (issue 6 §5): the ARS analyst only.
        "evaluation:exports": ({}, ["GET", "POST"]),
        "evaluation:export-job": ({"public_id": w["evaluation_job"]}, ["GET"]),
        "evaluation:export-file": ({"public_id": w["evaluation_job"]}, ["GET"]),
        # Indicators (issue 6 §2): ARS analysts, ONCO AURA, a coordinator for their structure.
        "evaluation:indicators": ({}, ["GET"]),
        "evaluation:indicators-csv": ({}, ["GET"]),
        # Dashboard (issue 6 §3): same readers; downloads are ?format=csv|xlsx on the page.
        "evaluation:dashboard": ({}, ["GET"]),
        # Annual reports (issue 6 §4): the structure's coordinator; the ARS reads submitted ones.
        "evaluation:annual-reports": ({}, ["GET", "POST"]),
        "evaluation:annual-report-job": ({"public_id": w["annual_report_job"]}, ["GET"]),
        "evaluation:annual-report": ({"public_id": w["annual_report"]}, ["GET", "POST"]),
        "evaluation:annual-report-submit": ({"public_id": w["annual_report"]}, ["POST"]),
        "evaluation:annual-report-correct": ({"public_id": w["annual_report"]}, ["POST"]),
        "evaluation:annual-report-pdf": ({"public_id": w["annual_report"]}, ["GET"]),
        "evaluation:annual-report-xlsx": ({"public_id": w["annual_report"]}, ["GET"]),
        # Reports and the APA project (issue 4 §3, §4): the coordinator and the author.
        "reports:detail": ({"public_id": w["report"]}, ["GET"]),
        "reports:pdf": ({"public_id": w["report"]}, ["GET"]),
        "reports:resend": ({"public_id": w["delivery"]}, ["POST"]),
        "reports:apa-project-write": ({"public_id": w["pathway"]}, ["GET", "POST"]),
        "reports:apa-project": ({"public_id": w["apa_project"]}, ["GET"]),
        "reports:apa-project-pdf": ({"public_id": w["apa_project"]}, ["GET"]),
    }


def _api_cases(w):
    base = "/api/v1"
    org = w["organisation"]
    return {
        "api:organisation_list": (f"{base}/organisations", "GET"),
        "api:organisation_create": (f"{base}/organisations", "POST", ORG_BODY),
        "api:organisation_get": (f"{base}/organisations/{org}", "GET"),
        "api:organisation_update": (f"{base}/organisations/{org}", "PATCH"),
        "api:organisation_archive": (f"{base}/organisations/{org}/archive", "POST"),
        "api:member_list_endpoint": (f"{base}/organisations/{org}/members", "GET"),
        "api:member_add": (f"{base}/organisations/{org}/members", "POST", MEMBER_BODY),
        "api:member_end": (f"{base}/organisations/{org}/members/{w['membership']}/end", "POST"),
        "api:territory_list": (f"{base}/territories", "GET"),
        "api:territory_create": (
            f"{base}/territories",
            "POST",
            {**TERRITORY_BODY, "structure_id": str(org)},
        ),
        "api:territory_get": (f"{base}/territories/{w['territory']}", "GET"),
        "api:territory_update": (f"{base}/territories/{w['territory']}", "PATCH"),
        "api:territory_archive": (f"{base}/territories/{w['territory']}/archive", "POST"),
        "api:regulatory_parameter_version_create": (
            f"{base}/regulation/parameters/psgac.cap_per_patient/versions",
            "POST",
            {"value": "1.00", "effective_from": "2099-01-01", "source": "Arrêté pirate"},
        ),
        "api:patient_list": (f"{base}/patients", "GET"),
        "api:task_list": (f"{base}/tasks", "GET"),
        "api:task_create": (f"{base}/tasks", "POST", {"title": "Tâche pirate"}),
        "api:task_get": (f"{base}/tasks/{w['task']}", "GET"),
        "api:task_update": (f"{base}/tasks/{w['task']}", "PATCH", {"title": "Effacée"}),
        "api:task_complete": (f"{base}/tasks/{w['task']}/complete", "POST"),
        "api:task_reopen": (f"{base}/tasks/{w['task']}/reopen", "POST"),
        "api:task_cancel": (f"{base}/tasks/{w['task']}/cancel", "POST"),
        "api:patient_get": (f"{base}/patients/{w['patient']}", "GET"),
        "api:patient_create": (f"{base}/patients", "POST", PATIENT_BODY),
        "api:patient_update": (
            f"{base}/patients/{w['patient']}",
            "PATCH",
            {"birth_name": "Effacé"},
        ),
        "api:consent_create": (f"{base}/patients/{w['patient']}/consents", "POST", CONSENT_BODY),
        "api:prescription_create": (
            f"{base}/pathways/prescriptions",
            "POST",
            {
                "patient_id": str(w["patient"]),
                "prescriber_name": "Dr Intrus",
                "prescriber_specialty": "oncology",
                "prescription_date": "2026-05-01",
                "items": ["psy_assessment"],
            },
        ),
        "api:pathway_list": (f"{base}/pathways", "GET"),
        "api:pathway_buckets": (f"{base}/pathways/buckets", "GET"),
        "api:prescription_list_mine": (f"{base}/pathways/prescriptions/mine", "GET"),
        "api:pathway_get": (f"{base}/pathways/{w['pathway']}", "GET"),
        "api:pathway_override": (
            f"{base}/pathways/{w['pathway']}/override",
            "POST",
            {"justification": "Une justification pirate assez longue."},
        ),
        "api:pathway_contacted": (f"{base}/pathways/{w['pathway']}/contacted", "POST"),
        "api:pathway_refer": (
            f"{base}/pathways/{w['pathway']}/referrals",
            "POST",
            {"care_type": "apa", "provider_name": "Club pirate"},
        ),
        "api:pathway_reassign": (
            f"{base}/pathways/{w['pathway']}/reassign",
            "POST",
            {"structure_id": str(w["organisation"]), "reason": "Intrus."},
        ),
        "api:pathway_close": (
            f"{base}/pathways/{w['pathway']}/close",
            "POST",
            {"outcome": "withdrawn", "reason": "Intrus."},
        ),
        "api:act_book": (
            f"{base}/pathways/{w['pathway']}/acts",
            "POST",
            {
                "kind": "psy_assessment",
                "professional_id": str(w["psychologist_user"]),
                "starts_at": "2026-06-10T10:00:00+02:00",
                "mode": "in_person",
                "place": "Cabinet pirate",
                "amount": "45.00",
            },
        ),
        "api:act_complete": (f"{base}/pathways/acts/{w['act']}/complete", "POST"),
        "api:act_assessment_submit": (
            f"{base}/acts/{w['act']}/assessment",
            "POST",
            {"summary": "Saisie pirate."},
        ),
        "api:assessment_get": (f"{base}/assessments/{w['assessment']}", "GET"),
        "api:pathway_assessment_list": (f"{base}/pathways/{w['pathway']}/assessments", "GET"),
        "api:pathway_outcome_list": (f"{base}/pathways/{w['pathway']}/outcomes", "GET"),
        "api:act_no_show": (f"{base}/pathways/acts/{w['act']}/no-show", "POST"),
        "api:act_cancel": (
            f"{base}/pathways/acts/{w['act']}/cancel",
            "POST",
            {"reason": "Intrus."},
        ),
        "api:act_reschedule": (
            f"{base}/pathways/acts/{w['act']}/reschedule",
            "POST",
            {"starts_at": "2026-06-11T10:00:00+02:00"},
        ),
        "api:consent_withdraw": (
            f"{base}/patients/{w['patient']}/consents/{w['consent']}/withdraw",
            "POST",
        ),
        "api:offer_create": (f"{base}/directory/offers", "POST", OFFER_BODY),
        "api:offer_update": (
            f"{base}/directory/offers/{w['offer']}",
            "PATCH",
            {"title": "Offre piratée"},
        ),
        "api:offer_archive": (f"{base}/directory/offers/{w['offer']}/archive", "POST"),
        "api:offer_verify": (f"{base}/directory/offers/{w['offer']}/verify", "POST"),
        "api:offer_change_propose": (
            f"{base}/directory/offers/{w['offer']}/proposals",
            "POST",
            {"changes": {"title": "Offre piratée"}},
        ),
        "api:offer_change_list": (f"{base}/directory/proposals", "GET"),
        "api:offer_change_approve": (
            f"{base}/directory/proposals/{w['proposal']}/approve",
            "POST",
        ),
        "api:offer_change_reject": (
            f"{base}/directory/proposals/{w['proposal']}/reject",
            "POST",
            {"note": "Intrus."},
        ),
        "api:offer_export": (f"{base}/directory/export", "GET"),
        "api:offer_import": (f"{base}/directory/import", "POST"),
        "api:contract_list_endpoint": (f"{base}/professionals/structures/{org}/contracts", "GET"),
        "api:contract_create": (
            f"{base}/professionals/structures/{org}/contracts",
            "POST",
            {
                "professional_id": str(w["psychologist_user"]),
                "kind": "salaried",
                "start_date": "2030-01-01",
                "assessment_rate": "1.00",
                "followup_rate": "1.00",
            },
        ),
        "api:contract_end": (
            f"{base}/professionals/contracts/{w['contract']}/end",
            "POST",
            {"end_date": "2026-02-01"},
        ),
        "api:professional_profile_get": (
            f"{base}/professionals/{w['psychologist_user']}/profile",
            "GET",
        ),
        "api:professional_profile_update": (
            f"{base}/professionals/{w['psychologist_user']}/profile",
            "PATCH",
            {"practice_address": "Adresse pirate"},
        ),
        "api:diploma_list_endpoint": (
            f"{base}/professionals/{w['psychologist_user']}/diplomas",
            "GET",
        ),
        "api:diploma_add": (f"{base}/professionals/{w['psychologist_user']}/diplomas", "POST"),
        "api:structure_diploma_list": (f"{base}/professionals/structures/{org}/diplomas", "GET"),
        "api:act_void": (
            f"{base}/pathways/acts/{w['act']}/void",
            "POST",
            {"reason": "Intrus."},
        ),
        "api:statement_list": (f"{base}/payments/statements", "GET"),
        "api:statement_get": (f"{base}/payments/statements/{w['statement']}", "GET"),
        "api:statement_prepare_endpoint": (
            f"{base}/payments/statements/prepare",
            "POST",
            {"month": "2026-06"},
        ),
        "api:statement_validate_endpoint": (
            f"{base}/payments/statements/{w['statement']}/validate",
            "POST",
        ),
        "api:statement_mark_paid_endpoint": (
            f"{base}/payments/statements/{w['statement']}/mark-paid",
            "POST",
            {"paid_on": "2026-07-01", "reference": "VIR-PIRATE"},
        ),
        "api:statement_csv_endpoint": (f"{base}/payments/statements/{w['statement']}/csv", "GET"),
        "api:statement_pdf_endpoint": (f"{base}/payments/statements/{w['statement']}/pdf", "GET"),
        "api:funding_convention_list": (f"{base}/funding/conventions", "GET"),
        "api:funding_convention_create": (
            f"{base}/funding/conventions",
            "POST",
            {
                "reference": "CONV-PIRATE",
                "structure_id": str(org),
                "start_date": "2030-01-01",
                "end_date": "2030-12-31",
                "territory_ids": [str(w["territory"])],
                "expected_patients_per_year": 1,
                "report_due_month": 1,
                "report_due_day": 1,
            },
        ),
        "api:funding_convention_get": (f"{base}/funding/conventions/{w['convention']}", "GET"),
        "api:funding_convention_sign": (
            f"{base}/funding/conventions/{w['convention']}/sign",
            "POST",
            {"signed_on": "2026-01-01"},
        ),
        "api:funding_convention_end": (
            f"{base}/funding/conventions/{w['convention']}/end",
            "POST",
            {"terminated_on": "2026-02-01", "reason": "Intrus."},
        ),
        "api:funding_envelope_list": (f"{base}/funding/envelopes", "GET"),
        "api:funding_envelope_create": (
            f"{base}/funding/envelopes",
            "POST",
            {
                "year": 2026,
                "region": "X",
                "label": "Pirate",
                "amount": "1.00",
                "source_note": "Intrus.",
            },
        ),
        "api:funding_envelope_get": (f"{base}/funding/envelopes/{w['envelope']}", "GET"),
        "api:funding_allocation_create": (
            f"{base}/funding/envelopes/{w['envelope']}/allocations",
            "POST",
            {"structure_id": str(org), "amount": "1.00", "decided_on": "2026-02-01"},
        ),
        "api:funding_payment_list": (f"{base}/funding/payments", "GET"),
        "api:funding_payment_record": (
            f"{base}/funding/payments",
            "POST",
            {
                "structure_id": str(org),
                "kind": "forfait",
                "amount": "1.00",
                "paid_on": "2026-02-01",
                "period_start": "2026-01-01",
                "period_end": "2026-01-31",
                "reference": "VIR-PIRATE",
            },
        ),
        "api:funding_balance_get": (f"{base}/funding/balance", "GET"),
        "api:funding_structure_balance": (f"{base}/funding/structures/{org}/balance", "GET"),
        "api:diploma_evidence": (
            f"{base}/professionals/diplomas/{w['diploma']}/evidence",
            "GET",
        ),
        "api:diploma_archive": (f"{base}/professionals/diplomas/{w['diploma']}/archive", "POST"),
        "api:professional_workspace": (f"{base}/professionals/me/workspace", "GET"),
        "api:evaluation_export_start": (f"{base}/evaluation/exports", "POST", {"year": 2026}),
        "api:evaluation_export_list": (f"{base}/evaluation/exports", "GET"),
        "api:evaluation_job_get": (f"{base}/evaluation/jobs/{w['evaluation_job']}", "GET"),
        "api:evaluation_job_result": (
            f"{base}/evaluation/jobs/{w['evaluation_job']}/result",
            "GET",
        ),
        "api:indicator_list": (f"{base}/evaluation/indicators", "GET"),
        "api:indicator_definitions": (f"{base}/evaluation/indicators/definitions", "GET"),
        "api:annual_report_start": (f"{base}/evaluation/annual-reports", "POST", {"year": 2025}),
        "api:annual_report_list": (f"{base}/evaluation/annual-reports", "GET"),
        "api:annual_report_job_get": (
            f"{base}/evaluation/annual-report-jobs/{w['annual_report_job']}",
            "GET",
        ),
        "api:annual_report_get": (f"{base}/evaluation/annual-reports/{w['annual_report']}", "GET"),
        "api:annual_report_comment": (
            f"{base}/evaluation/annual-reports/{w['annual_report']}/comments",
            "PUT",
            {"comments": {"I-1": "Pirate"}},
        ),
        "api:annual_report_submit": (
            f"{base}/evaluation/annual-reports/{w['annual_report']}/submit",
            "POST",
        ),
        "api:annual_report_correct": (
            f"{base}/evaluation/annual-reports/{w['annual_report']}/correct",
            "POST",
        ),
        "api:annual_report_pdf": (
            f"{base}/evaluation/annual-reports/{w['annual_report']}/pdf",
            "GET",
        ),
        "api:annual_report_xlsx": (
            f"{base}/evaluation/annual-reports/{w['annual_report']}/xlsx",
            "GET",
        ),
        "api:report_get": (f"{base}/reports/{w['report']}", "GET"),
        "api:report_pdf_download": (f"{base}/reports/{w['report']}/pdf", "GET"),
        "api:pathway_report_list": (f"{base}/pathways/{w['pathway']}/reports", "GET"),
        "api:report_delivery_resend": (
            f"{base}/reports/deliveries/{w['delivery']}/resend",
            "POST",
            {"address": "intrus@mssante.test"},
        ),
        "api:apa_project_create": (
            f"{base}/pathways/{w['pathway']}/apa-project",
            "POST",
            {
                "goals": "Piratage",
                "activity_types": ["endurance"],
                "sessions_per_week": 2,
                "intensity": "light",
                "session_minutes": 30,
            },
        ),
        "api:apa_project_get": (f"{base}/apa-projects/{w['apa_project']}", "GET"),
        "api:apa_project_pdf_download": (f"{base}/apa-projects/{w['apa_project']}/pdf", "GET"),
    }


def _route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue  # Django admin: is_staff only, tested by Django
                walk(p.url_patterns, p.namespace or namespace)
            elif isinstance(p, URLPattern) and p.name and namespace:
                names.add(f"{namespace}:{p.name}")

    walk(get_resolver().url_patterns, None)
    return names


def test_every_route_is_covered(world):
    covered = set(_web_cases(world)) | set(_api_cases(world)) | OPEN_TO_EVERY_MEMBER
    assert _route_names() - covered == set()


LISTS = {"organisations:list", "territories:list", "patients:list"}
# Every staff member has a team task list and may add to it: their own team's, never another's.
LISTS |= {"coordination:list", "coordination:create"}
# A coordinator may open these for their own structure; what they show must not leak.
OWN_SCOPE = {"territories:create", "patients:create"}
API_LISTS = {"api:organisation_list", "api:territory_list", "api:patient_list"}
API_LISTS |= {"api:pathway_list"}
# Bucket counts: a coordinator gets their own structure's numbers, never another's rows.
API_LISTS |= {"api:pathway_buckets"}
LISTS |= {"pathways:list"}
# A coordinator sees their own structure's professionals there.
LISTS |= {"professionals:list"}
OWN_SCOPE |= {"pathways:prescription-create"}
API_LISTS |= {"api:task_list", "api:task_create"}
# A coordinator may create a patient in their own structure (the body names none).
API_OWN_SCOPE = {"api:patient_create"}
# Payments: a coordinator lists and prepares their own structure's statements only.
LISTS |= {"payments:list"}
OWN_SCOPE |= {"payments:prepare"}
API_LISTS |= {"api:statement_list"}
API_OWN_SCOPE |= {"api:statement_prepare_endpoint"}
# Funding: a coordinator reads their own structure's conventions and figures only.
LISTS |= {"funding:home", "funding:conventions"}
API_LISTS |= {"api:funding_convention_list", "api:funding_payment_list", "api:funding_balance_get"}
# Indicators: a coordinator reads their own structure's figures only.
LISTS |= {"evaluation:indicators", "evaluation:indicators-csv"}
LISTS |= {"evaluation:dashboard"}
API_LISTS |= {"api:indicator_list", "api:indicator_definitions"}
# Annual reports: a coordinator lists and generates their own structure's reports only (a
# generation they may not start answers 400 with their own structure's reason, never a leak).
LISTS |= {"evaluation:annual-reports"}
API_LISTS |= {"api:annual_report_list"}
API_OWN_SCOPE |= {"api:annual_report_start"}
OWN_SCOPE_ANSWERS = {"api:annual_report_start": (202, 400)}
# What identifies the treating team's data: none of it may appear to another actor.
SECRETS = (
    "Association Après-Cancer Lyon",
    "Territoire secret",
    "TESTSWEEP",
    "TÂCHESECRÈTE",
    "Cabinet secret",
    "DIPLÔMESECRET",
    "BILANSECRET",
    "CONVSECRÈTE",
    "RAPPORTSECRET",
)


@pytest.fixture(params=["outsider", "other_coordinator"])
def intruder(request, personas):
    return getattr(personas, request.param)


def test_intruder_is_refused_on_every_page(client_as, intruder, world):
    client = client_as(intruder)
    for name, (kwargs, methods) in _web_cases(world).items():
        url = reverse(name, kwargs=kwargs or None)
        for method in methods:
            response = client.get(url) if method == "GET" else client.post(url, {"name": "X"})
            own_scope = name in OWN_SCOPE and intruder.role == "coordinator"
            if (name in LISTS or own_scope) and response.status_code == 200:
                # A list shows the intruder's own organisation's rows only.
                page = response.content.decode()
                assert not any(secret in page for secret in SECRETS), name
                continue
            assert response.status_code in REFUSED, (name, method, response.status_code)


def test_intruder_is_refused_on_every_endpoint(client, intruder, world):
    _token, key = api_token_create(membership=intruder, name="sweep")
    headers = {"Authorization": f"Bearer {key}"}
    for name, (url, method, *body) in _api_cases(world).items():
        data = json.dumps(body[0] if body else {})
        response = client.generic(
            method, url, data=data, content_type="application/json", headers=headers
        )
        own_scope = name in API_OWN_SCOPE and intruder.role == "coordinator"
        answers = (200, 201, *OWN_SCOPE_ANSWERS.get(name, ()))
        if (name in API_LISTS or own_scope) and response.status_code in answers:
            assert not any(secret in response.content.decode() for secret in SECRETS), name
            continue
        assert response.status_code in REFUSED, (name, method, response.status_code)


def test_nothing_changed_after_the_sweep(client_as, client, personas, world):
    test_intruder_is_refused_on_every_page(client_as, personas.outsider, world)
    test_intruder_is_refused_on_every_endpoint(client, personas.other_coordinator, world)
    personas.structure.refresh_from_db()
    assert personas.structure.archived_at is None
    assert personas.structure.name == "Association Après-Cancer Lyon"
    territory = InterventionTerritory.objects.get(public_id=world["territory"])
    assert territory.archived_at is None
    personas.psychologist.refresh_from_db()
    assert personas.psychologist.ended_at is None
    from oncoparcours.organisations.models import Organisation

    assert not Organisation.objects.filter(name="Pharmacie pirate").exists()
    assert not InterventionTerritory.objects.filter(name="Annexion").exists()
    patient = Patient.objects.get(public_id=world["patient"])
    assert patient.birth_name == "TESTSWEEP"
    assert patient.consents.count() == 1
    assert patient.consents.get().withdrawn_at is None
    assert not Patient.objects.filter(birth_name="Intrus", structure=personas.structure).exists()
    from oncoparcours.regulation.models import RegulatoryParameter

    assert not RegulatoryParameter.objects.filter(source="Arrêté pirate").exists()
    from oncoparcours.pathways.models import Pathway

    pathway = Pathway.objects.get(public_id=world["pathway"])
    assert pathway.status == "refused"
    assert pathway.events.count() == 3
    assert Pathway.objects.count() == 1
    from oncoparcours.pathways.models import Act

    act = Act.objects.get(public_id=world["act"])
    assert (act.status, act.starts_at.day, act.cancel_reason) == ("booked", 10, "")
    assert Act.objects.count() == 1
    task = Task.objects.get(public_id=world["task"])
    assert (task.title, task.status) == ("TÂCHESECRÈTE", TaskStatus.OPEN)
    assert not Task.objects.filter(organisation=personas.structure).exclude(pk=task.pk).exists()
    from oncoparcours.directory.models import Offer

    offer = Offer.objects.get(public_id=world["offer"])
    assert (offer.title, offer.archived_at, offer.last_verified_at) == (
        "Offre du balayage",
        None,
        None,
    )
    assert Offer.objects.count() == 1
    proposal = offer.change_proposals.get()
    assert (proposal.status, proposal.changes) == ("pending", {"title": "Proposé"})
    from oncoparcours.professionals.models import Contract, Diploma, ProfessionalEvent

    contract = Contract.objects.get(public_id=world["contract"])
    assert (contract.end_date, Contract.objects.count()) == (None, 1)
    diploma = Diploma.objects.get(public_id=world["diploma"])
    assert (diploma.archived_at, Diploma.objects.count()) == (None, 1)
    assert not ProfessionalEvent.objects.exists()
    from oncoparcours.payments.models import PayableLine, Statement

    statement = Statement.objects.get(public_id=world["statement"])
    assert (statement.status, statement.total, Statement.objects.count()) == ("draft", None, 1)
    assert not PayableLine.objects.exists()
    from oncoparcours.funding.models import Convention, FundingAllocation, StructurePayment

    convention = Convention.objects.get(public_id=world["convention"])
    assert (convention.status, convention.terminated_on, Convention.objects.count()) == (
        "signed",
        None,
        1,
    )
    assert FundingAllocation.objects.count() == 1
    assert not StructurePayment.objects.exists()
    from oncoparcours.assessments.models import Assessment

    assessment = Assessment.objects.get(public_id=world["assessment"])
    assert (assessment.summary, assessment.superseded_at, Assessment.objects.count()) == (
        "BILANSECRET",
        None,
        1,
    )
    from oncoparcours.evaluation.models import EvaluationJob, ExportDownload

    assert (EvaluationJob.objects.count(), ExportDownload.objects.count()) == (2, 0)
    from oncoparcours.evaluation.models import AnnualReport

    annual_report = AnnualReport.objects.get(public_id=world["annual_report"])
    assert (annual_report.overall_comment, annual_report.comments) == ("RAPPORTSECRET", {})
    assert AnnualReport.objects.count() == 1
    from oncoparcours.assessments.models import ApaProject
    from oncoparcours.reports.models import RecipientAddress, ReportDelivery

    delivery = ReportDelivery.objects.get(public_id=world["delivery"])
    assert (delivery.status, delivery.address) == ("withheld_no_address", "")
    assert not RecipientAddress.objects.exists()
    assert ApaProject.objects.get().goals == "PROJETSECRET"


def test_anonymous_visitor_is_sent_to_login_or_refused(client, world):
    for name, (kwargs, _methods) in _web_cases(world).items():
        response = client.get(reverse(name, kwargs=kwargs or None))
        assert response.status_code in (302, 403, 405), name
        if response.status_code == 302:
            assert response["Location"].startswith("/comptes/connexion/")
    for name, (url, method, *_body) in _api_cases(world).items():
        response = client.generic(method, url, data="{}", content_type="application/json")
        assert response.status_code in (401, 403), name
