"""Report pages, the pathway page's section and the reports API: who may read, download and
resend; what the section says about withheld deliveries (PSG-14, PSG-16); query counts."""

import pytest
from django.urls import reverse

from oncoparcours.reports.models import DeliveryStatus
from oncoparcours.reports.services import report_issue
from oncoparcours.reports.tests.factories import (
    PRESCRIBER_SCOPE,
    consent,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

GP_NO_CONSENT = "Le patient n&#x27;a pas consenti au partage avec son médecin traitant."


@pytest.fixture
def report(personas, team, apa_assessment, django_capture_on_commit_callbacks):
    consent(apa_assessment.pathway.patient, PRESCRIBER_SCOPE, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        return report_issue(by=team.apa, assessment=apa_assessment)


def url(name: str, obj) -> str:
    return reverse(f"reports:{name}", kwargs={"public_id": obj.public_id})


def test_the_pathway_page_lists_reports_with_deliveries_and_why(client_as, personas, report):
    page = client_as(personas.coordinator).get(
        reverse("pathways:detail", kwargs={"public_id": report.pathway.public_id})
    )
    html = page.content.decode()
    assert "Comptes rendus" in html
    assert url("pdf", report) in html
    assert "Envoyé" in html
    assert "Non envoyé : pas de consentement" in html
    assert GP_NO_CONSENT in html
    assert "Envoyer à nouveau" in html
    assert "Rédiger le projet" in html


def test_the_coordinator_and_the_author_read_and_download(client_as, personas, team, report):
    for who in (personas.coordinator, team.apa):
        client = client_as(who)
        page = client.get(url("detail", report))
        assert page.status_code == 200
        assert GP_NO_CONSENT in page.content.decode()
        download = client.get(url("pdf", report))
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert f"compte-rendu-{report.public_id}.pdf" in download["Content-Disposition"]
        assert b"".join(download.streaming_content)[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("who", "status"),
    [("other_coordinator", 404), ("ars_analyst", 403), ("outsider", 403), ("dietitian", 404)],
)
def test_others_cannot_read_download_or_resend(client_as, personas, team, report, who, status):
    member = getattr(team, who, None) or getattr(personas, who)
    client = client_as(member)
    assert client.get(url("detail", report)).status_code == status
    assert client.get(url("pdf", report)).status_code == status
    gp = report.deliveries.get(recipient_role="gp")
    assert client.post(url("resend", gp), {"address": "x@y.test"}).status_code == status
    gp.refresh_from_db()
    assert gp.status == DeliveryStatus.WITHHELD_NO_CONSENT


def test_a_refused_resend_shows_the_reason(client_as, personas, report):
    gp = report.deliveries.get(recipient_role="gp")
    page = client_as(personas.coordinator).post(url("resend", gp), {"address": "dr@mssante.test"})
    assert page.status_code == 200
    assert GP_NO_CONSENT in page.content.decode()


def test_a_resend_with_the_address_goes(
    client_as, personas, report, django_capture_on_commit_callbacks
):
    from oncoparcours.reports.tests.factories import GP_SCOPE

    consent(report.pathway.patient, GP_SCOPE, personas.coordinator)
    gp = report.deliveries.get(recipient_role="gp")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(personas.coordinator).post(
            url("resend", gp), {"address": "dr.durand@medecin.mssante.test"}
        )
    assert response.status_code == 302
    gp.refresh_from_db()
    assert (gp.status, gp.address) == (DeliveryStatus.SENT, "dr.durand@medecin.mssante.test")


# --- API --------------------------------------------------------------------------------------


def test_api_reads_a_report_and_its_deliveries(client_as, personas, report):
    client = client_as(personas.coordinator)
    body = client.get(f"/api/v1/reports/{report.public_id}").json()
    assert body["id"] == str(report.public_id)
    assert body["kind"] == "apa_assessment"
    assert body["performed_on"] == "2026-06-10"
    by_role = {d["recipient_role"]: d for d in body["deliveries"]}
    assert by_role["prescriber"]["status"] == "sent"
    assert by_role["gp"]["status"] == "withheld_no_consent"
    assert by_role["gp"]["reason"] == (
        "Le patient n'a pas consenti au partage avec son médecin traitant."
    )
    assert "address" not in by_role["gp"]
    pdf = client.get(f"/api/v1/reports/{report.public_id}/pdf")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content)[:5] == b"%PDF-"


def test_api_resend_refusal_and_success(
    client_as, personas, report, django_capture_on_commit_callbacks
):
    from oncoparcours.reports.tests.factories import GP_SCOPE

    client = client_as(personas.coordinator)
    gp = report.deliveries.get(recipient_role="gp")
    endpoint = f"/api/v1/reports/deliveries/{gp.public_id}/resend"
    refused = client.post(endpoint, {"address": "dr@mssante.test"}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["code"] == "report.no_consent"
    consent(report.pathway.patient, GP_SCOPE, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            endpoint, {"address": "dr@mssante.test"}, content_type="application/json"
        )
    assert done.status_code == 200
    # Queued when answered: the job sends it once the request's transaction has committed.
    assert done.json()["status"] == "queued"
    gp.refresh_from_db()
    assert gp.status == DeliveryStatus.SENT


@pytest.mark.parametrize(
    ("who", "status"), [("other_coordinator", 404), ("ars_analyst", 403), ("outsider", 403)]
)
def test_api_refuses_others(client_as, personas, report, who, status):
    client = client_as(getattr(personas, who))
    gp = report.deliveries.get(recipient_role="gp")
    assert client.get(f"/api/v1/reports/{report.public_id}").status_code == status
    assert client.get(f"/api/v1/reports/{report.public_id}/pdf").status_code == status
    assert client.get(f"/api/v1/pathways/{report.pathway.public_id}/reports").status_code == status
    assert (
        client.post(
            f"/api/v1/reports/deliveries/{gp.public_id}/resend", {}, content_type="application/json"
        ).status_code
        == status
    )


def test_a_professional_lists_only_the_reports_of_their_assessments(
    client_as, personas, team, report
):
    from oncoparcours.reports.tests.factories import make_assessment

    diet = make_assessment(personas, team.dietitian, report.pathway, "diet_assessment")
    report_issue(by=team.dietitian, assessment=diet)
    endpoint = f"/api/v1/pathways/{report.pathway.public_id}/reports"
    assert len(client_as(personas.coordinator).get(endpoint).json()) == 2
    mine = client_as(team.dietitian).get(endpoint).json()
    assert [r["kind"] for r in mine] == ["diet_assessment"]


def test_the_pathway_reports_endpoint_costs_the_same_for_1_or_5_reports(
    client_as, personas, team, report, django_assert_num_queries
):
    from oncoparcours.reports.tests.factories import make_assessment

    client = client_as(personas.coordinator)
    endpoint = f"/api/v1/pathways/{report.pathway.public_id}/reports"

    def show(count: int) -> None:
        # Session, user, OTP device, membership; the pathway with its joins, events, acts,
        # referrals (access_pathway); the reports joined with pathway, patient, structure,
        # prescription, assessment, author, act, professional; their deliveries.
        with django_assert_num_queries(10):
            assert len(client.get(endpoint).json()) == count

    show(1)
    for kind in ("diet_assessment", "psy_assessment", "diet_assessment", "psy_assessment"):
        assessment = make_assessment(personas, team.dietitian, report.pathway, kind)
        report_issue(by=personas.coordinator, assessment=assessment)
    show(5)


def test_the_pathway_page_costs_the_same_for_1_or_3_reports(client_as, personas, team, report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from oncoparcours.reports.tests.factories import make_assessment

    client = client_as(personas.coordinator)
    page = reverse("pathways:detail", kwargs={"public_id": report.pathway.public_id})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured.captured_queries)

    one = count()
    for kind in ("diet_assessment", "psy_assessment"):
        report_issue(
            by=personas.coordinator,
            assessment=make_assessment(personas, team.dietitian, report.pathway, kind),
        )
    assert count() == one
