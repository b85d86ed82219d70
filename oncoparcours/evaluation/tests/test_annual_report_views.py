"""Pages and API of the annual report (PSG-17, issue 6 §4, §6): the coordinator generates
(the request only queues a job), comments, submits and corrects; the ARS analyst follows the
year and reads submitted versions only; other roles 403, another structure 404."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from oncoparcours.core.testing import login
from oncoparcours.evaluation.annual_reports import services
from oncoparcours.evaluation.models import AnnualReport, EvaluationJob, JobStatus
from oncoparcours.evaluation.tests.indicators_dataset import dataset_fixture  # noqa: F401
from oncoparcours.evaluation.tests.test_annual_report import (  # noqa: F401
    TODAY,
    convention_fixture,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _february_2027(time_machine):
    time_machine.move_to(datetime(2027, 2, 1, 10, tzinfo=PARIS), tick=False)


def _html(response) -> str:
    return response.content.decode()


def _draft(dataset, capture) -> AnnualReport:
    with capture(execute=True):
        job = services.annual_report_request(by=dataset.personas.coordinator, year=2026)
    return AnnualReport.objects.get(job=job)


def _submitted(dataset, capture) -> AnnualReport:
    report = _draft(dataset, capture)
    return services.annual_report_submit(by=dataset.personas.coordinator, report=report)


def test_the_page_only_queues_the_generation_and_shows_its_progress(
    client, dataset, convention, django_capture_on_commit_callbacks
):
    login(client, dataset.personas.coordinator)
    page = _html(client.get(reverse("evaluation:annual-reports")))
    assert "Générer le rapport annuel 2026" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("evaluation:annual-reports"), {"year": "2026"})
    job = EvaluationJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:annual-report-job", args=[job.public_id])
    # The web request computed nothing: the job waits for the worker, no report exists.
    assert (job.status, job.kind, len(callbacks)) == (JobStatus.QUEUED, "annual_report", 1)
    assert job.parameters == {"year": 2026, "structure": str(dataset.personas.structure.public_id)}
    assert not AnnualReport.objects.exists()
    html = _html(client.get(response["Location"]))
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress max="100" value="0"' in html
    listing = _html(client.get(reverse("evaluation:annual-reports")))
    assert 'http-equiv="refresh"' in listing
    callbacks[0]()  # the worker
    report = AnnualReport.objects.get()
    html = _html(client.get(response["Location"]))
    assert 'http-equiv="refresh"' not in html
    assert reverse("evaluation:annual-report", args=[report.public_id]) in html


def test_a_bad_year_is_shown_next_to_the_form(client, dataset, convention):
    login(client, dataset.personas.coordinator)
    response = client.post(reverse("evaluation:annual-reports"), {"year": "2027"})
    assert response.status_code == 200
    assert "Choisissez une année terminée, entre 2026 et 2026." in _html(response)
    assert not EvaluationJob.objects.exists()


def test_the_coordinator_comments_submits_then_downloads(
    client, dataset, convention, django_capture_on_commit_callbacks
):
    report = _draft(dataset, django_capture_on_commit_callbacks)
    login(client, dataset.personas.coordinator)
    url = reverse("evaluation:annual-report", args=[report.public_id])
    page = _html(client.get(url))
    assert "I-1 Patients inclus" in page
    assert "CONV-LYON-2026" in page
    assert "Commentaire — I-1 Patients inclus" in page
    assert "Commentaire — Financement" in page
    assert "Soumettre le rapport à l&#x27;ARS" in page or "Soumettre le rapport à l'ARS" in page
    response = client.post(url, {"I-1": "Trois inclusions.", "overall_comment": "Année 1"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.comments, report.overall_comment) == ({"I-1": "Trois inclusions."}, "Année 1")
    assert (
        client.get(reverse("evaluation:annual-report-pdf", args=[report.public_id])).status_code
        == 404
    )
    response = client.post(reverse("evaluation:annual-report-submit", args=[report.public_id]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    # After submission: no form, a POST changes nothing.
    page = _html(client.get(url))
    assert "Enregistrer les commentaires" not in page
    assert "Trois inclusions." in page
    client.post(url, {"I-1": "Changé", "overall_comment": "Changé"})
    report.refresh_from_db()
    assert (report.comments, report.overall_comment) == ({"I-1": "Trois inclusions."}, "Année 1")
    pdf = client.get(reverse("evaluation:annual-report-pdf", args=[report.public_id]))
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    text = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages[0].extract_text()
    assert "Rapport annuel 2026 à l'ARS — version 1" in text
    xlsx = client.get(reverse("evaluation:annual-report-xlsx", args=[report.public_id]))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book["Indicateurs"]["A1"].value == "Rapport annuel 2026 à l'ARS — version 1"
    # Correct: a new job, then version 2.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:annual-report-correct", args=[report.public_id]))
    assert response.status_code == 302
    v2 = AnnualReport.objects.get(version=2)
    assert v2.comments == {"I-1": "Trois inclusions."}


def test_the_ars_follows_the_year_and_never_sees_a_draft(
    client, dataset, convention, django_capture_on_commit_callbacks, time_machine
):
    draft = _draft(dataset, django_capture_on_commit_callbacks)
    ars = dataset.personas.ars_analyst
    login(client, ars)
    page = _html(client.get(reverse("evaluation:annual-reports"), {"annee": "2026"}))
    assert dataset.personas.structure.name in page
    assert "31/03/2027" in page
    assert "Non soumis" in page
    assert "En retard" not in page
    assert str(draft.public_id) not in page
    for name in ("evaluation:annual-report", "evaluation:annual-report-pdf"):
        assert client.get(reverse(name, args=[draft.public_id])).status_code == 404
    assert client.post(reverse("evaluation:annual-reports"), {"year": "2026"}).status_code == 403
    # 1 April 2027 without a submitted report: late.
    time_machine.move_to(datetime(2027, 4, 1, 10, tzinfo=PARIS), tick=False)
    login(client, ars)  # sessions last 8 hours
    page = _html(client.get(reverse("evaluation:annual-reports"), {"annee": "2026"}))
    assert "En retard" in page
    services.annual_report_submit(by=dataset.personas.coordinator, report=draft)
    page = _html(client.get(reverse("evaluation:annual-reports"), {"annee": "2026"}))
    assert "Soumis (version 1)" in page
    assert "En retard" in page  # submitted after 31 March
    detail = client.get(reverse("evaluation:annual-report", args=[draft.public_id]))
    assert detail.status_code == 200
    assert "Enregistrer les commentaires" not in _html(detail)
    assert "Corriger" not in _html(detail)
    assert (
        client.post(reverse("evaluation:annual-report-correct", args=[draft.public_id])).status_code
        == 403
    )
    assert (
        client.get(reverse("evaluation:annual-report-xlsx", args=[draft.public_id])).status_code
        == 200
    )


def test_list_pages_read_in_constant_queries(
    client, dataset, convention, django_capture_on_commit_callbacks, django_assert_num_queries
):
    _submitted(dataset, django_capture_on_commit_callbacks)
    login(client, dataset.personas.ars_analyst)
    # Session, user, OTP device, membership (middleware), the conventions of the year with
    # their structure, the submitted reports with structure and submitter.
    with django_assert_num_queries(6):
        client.get(reverse("evaluation:annual-reports"), {"annee": "2026"})
    login(client, dataset.personas.coordinator)
    # Session, user, OTP device, membership, then the running jobs and the reports.
    with django_assert_num_queries(6):
        client.get(reverse("evaluation:annual-reports"))


@pytest.mark.parametrize("who", ["psychologist", "admin", "outsider"])
def test_other_roles_are_refused(
    client, dataset, convention, django_capture_on_commit_callbacks, who
):
    report = _submitted(dataset, django_capture_on_commit_callbacks)
    login(client, getattr(dataset.personas, who))
    for name in ("annual-report", "annual-report-pdf", "annual-report-xlsx"):
        assert client.get(reverse(f"evaluation:{name}", args=[report.public_id])).status_code == 403
    assert client.get(reverse("evaluation:annual-reports")).status_code == 403
    assert (
        client.get(reverse("evaluation:annual-report-job", args=[report.job.public_id])).status_code
        == 403
    )
    for name in ("annual-report-submit", "annual-report-correct"):
        assert (
            client.post(reverse(f"evaluation:{name}", args=[report.public_id])).status_code == 403
        )
    assert client.get("/api/v1/evaluation/annual-reports").status_code == 403
    assert client.get(f"/api/v1/evaluation/annual-reports/{report.public_id}").status_code == 403


def test_another_structures_coordinator_gets_404(
    client, dataset, convention, django_capture_on_commit_callbacks
):
    report = _submitted(dataset, django_capture_on_commit_callbacks)
    login(client, dataset.personas.other_coordinator)
    for name in ("annual-report", "annual-report-pdf", "annual-report-xlsx"):
        assert client.get(reverse(f"evaluation:{name}", args=[report.public_id])).status_code == 404
    assert (
        client.get(reverse("evaluation:annual-report-job", args=[report.job.public_id])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("evaluation:annual-report-correct", args=[report.public_id])
        ).status_code
        == 404
    )
    assert str(report.public_id) not in _html(client.get(reverse("evaluation:annual-reports")))
    assert client.get("/api/v1/evaluation/annual-reports").json() == []
    assert AnnualReport.objects.count() == 1


# API


def test_api_generation_comment_submit_download_correct(
    client, dataset, convention, django_capture_on_commit_callbacks
):
    login(client, dataset.personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/evaluation/annual-reports", {"year": 2026}, content_type="application/json"
        )
    assert response.status_code == 202
    job = response.json()
    status = client.get(f"/api/v1/evaluation/annual-report-jobs/{job['id']}").json()
    assert (status["status"], status["progress"]) == ("done", 100)
    report_id = status["report_id"]
    report = client.get(f"/api/v1/evaluation/annual-reports/{report_id}").json()
    assert (report["status"], report["version"], report["pdf_url"]) == ("draft", 1, None)
    assert [i["code"] for i in report["content"]["indicators"]][:2] == ["I-1", "I-2"]
    response = client.put(
        f"/api/v1/evaluation/annual-reports/{report_id}/comments",
        {"comments": {"I-1": "Commentaire API"}, "overall_comment": "Général"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["comments"] == {"I-1": "Commentaire API"}
    response = client.post(f"/api/v1/evaluation/annual-reports/{report_id}/submit")
    assert response.json()["status"] == "submitted"
    assert client.get(response.json()["pdf_url"]).status_code == 200
    assert client.get(response.json()["xlsx_url"]).status_code == 200
    locked = client.put(
        f"/api/v1/evaluation/annual-reports/{report_id}/comments",
        {"comments": {"I-1": "Trop tard"}},
        content_type="application/json",
    )
    assert locked.status_code == 400
    assert locked.json()["errors"][0]["code"] == "annual_report.locked"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/evaluation/annual-reports/{report_id}/correct")
    assert response.status_code == 202
    v2 = client.get(f"/api/v1/evaluation/annual-report-jobs/{response.json()['id']}").json()[
        "report_id"
    ]
    listed = client.get("/api/v1/evaluation/annual-reports").json()
    assert [(r["id"], r["version"], r["status"]) for r in listed] == [
        (v2, 2, "draft"),
        (report_id, 1, "submitted"),
    ]


def test_api_ars_lists_submitted_reports_only_in_constant_queries(
    client, dataset, convention, django_capture_on_commit_callbacks, django_assert_num_queries
):
    submitted = _submitted(dataset, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.annual_report_correct(by=dataset.personas.coordinator, report=submitted)
    login(client, dataset.personas.ars_analyst)
    # Session, user, OTP device, membership, then the submitted reports with their joins.
    with django_assert_num_queries(5):
        listed = client.get("/api/v1/evaluation/annual-reports", {"year": 2026}).json()
    assert [(r["id"], r["status"]) for r in listed] == [(str(submitted.public_id), "submitted")]
    draft = AnnualReport.objects.get(version=2)
    assert client.get(f"/api/v1/evaluation/annual-reports/{draft.public_id}").status_code == 404
    assert (
        client.post(
            "/api/v1/evaluation/annual-reports", {"year": 2026}, content_type="application/json"
        ).status_code
        == 403
    )


def test_api_refuses_a_bad_year_with_the_error_shape(client, dataset, convention):
    login(client, dataset.personas.coordinator)
    response = client.post(
        "/api/v1/evaluation/annual-reports", {"year": 2030}, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert (error["code"], error["field"]) == ("annual_report.year_invalid", "year")
    assert date(2027, 2, 1) == TODAY
