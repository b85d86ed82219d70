"""Pages and API of the pseudonymised export: the ARS analyst only, every download logged,
the job page refreshing itself while it runs (issue 6 §5-7)."""

import io
import zipfile

import pytest
from django.urls import reverse

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import login, make_member, make_organisation
from oncoparcours.evaluation import jobs
from oncoparcours.evaluation.models import EvaluationJob, ExportDownload, JobStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _done_job(analyst, capture) -> EvaluationJob:
    with capture(execute=True):
        job = jobs.export_request(by=analyst, year=2026)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def _html(response) -> str:
    return response.content.decode()


def test_the_analyst_starts_an_export_and_lands_on_its_page(
    client, personas, django_capture_on_commit_callbacks
):
    login(client, personas.ars_analyst)
    page = client.get(reverse("evaluation:exports"))
    assert page.status_code == 200
    assert "Lancer l&#x27;export" in _html(page) or "Lancer l'export" in _html(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:exports"), {"year": "2026"})
    job = EvaluationJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("evaluation:export-job", args=[job.public_id])
    assert job.requested_by == personas.ars_analyst
    assert job.parameters == {"year": 2026}
    detail = client.get(response["Location"])
    html = _html(detail)
    assert "Terminé" in html
    assert reverse("evaluation:export-file", args=[job.public_id]) in html
    assert 'http-equiv="refresh"' not in html  # finished: no more reloads


def test_a_bad_year_is_shown_next_to_the_form(client, personas):
    login(client, personas.ars_analyst)
    response = client.post(reverse("evaluation:exports"), {"year": "2019"})
    assert response.status_code == 200
    assert "Choisissez une année entre 2021 et" in _html(response)
    assert not EvaluationJob.objects.exists()


def test_a_running_job_page_refreshes_itself_and_shows_its_progress(client, personas):
    job = EvaluationJob.objects.create(
        kind="pseudonymised_export",
        parameters={"year": 2026},
        requested_by=personas.ars_analyst,
        status=JobStatus.RUNNING,
        progress=42,
        step="Écriture des lignes",
    )
    login(client, personas.ars_analyst)
    html = _html(client.get(reverse("evaluation:export-job", args=[job.public_id])))
    assert '<meta http-equiv="refresh" content="3">' in html
    assert '<progress max="100" value="42"' in html
    assert "42 % — Écriture des lignes" in html
    assert reverse("evaluation:export-file", args=[job.public_id]) not in html
    # Not finished: no file to download yet.
    assert client.get(reverse("evaluation:export-file", args=[job.public_id])).status_code == 404
    listing = _html(client.get(reverse("evaluation:exports")))
    assert 'http-equiv="refresh"' in listing


def test_every_download_is_recorded_and_logged(
    client, personas, django_capture_on_commit_callbacks, caplog
):
    job = _done_job(personas.ars_analyst, django_capture_on_commit_callbacks)
    login(client, personas.ars_analyst)
    response = client.get(reverse("evaluation:export-file", args=[job.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f"export-pseudonymise-2026-{job.public_id}.zip" in response["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "donnees.csv" in archive.namelist()
    download = ExportDownload.objects.get()
    assert (download.job, download.membership) == (job, personas.ars_analyst)
    assert (
        f"evaluation download job={job.public_id} membership={personas.ars_analyst.public_id}"
        in caplog.text
    )


def test_the_list_page_reads_in_constant_queries(
    client, personas, django_capture_on_commit_callbacks, django_assert_num_queries
):
    for _ in range(3):
        EvaluationJob.objects.create(
            kind="pseudonymised_export",
            parameters={"year": 2025},
            requested_by=personas.ars_analyst,
            status=JobStatus.DONE,
            metadata={"rows": 12},
        )
    login(client, personas.ars_analyst)
    # Session, user, OTP device, membership (middleware), then the jobs with their requester
    # in one query, whatever their number.
    with django_assert_num_queries(5):
        client.get(reverse("evaluation:exports"))


@pytest.mark.parametrize("who", ["coordinator", "psychologist", "admin", "outsider"])
def test_other_roles_are_refused_the_pages(
    client, personas, django_capture_on_commit_callbacks, who
):
    job = _done_job(personas.ars_analyst, django_capture_on_commit_callbacks)
    login(client, getattr(personas, who))
    for url in (
        reverse("evaluation:exports"),
        reverse("evaluation:export-job", args=[job.public_id]),
        reverse("evaluation:export-file", args=[job.public_id]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("evaluation:exports"), {"year": "2026"}).status_code == 403
    assert EvaluationJob.objects.count() == 1
    assert not ExportDownload.objects.exists()


def test_an_analyst_of_another_organisation_does_not_see_the_job(
    client, personas, django_capture_on_commit_callbacks
):
    job = _done_job(personas.ars_analyst, django_capture_on_commit_callbacks)
    other_ars = make_organisation("Autre ARS", OrgKind.ARS)
    stranger = make_member(other_ars, RoleCode.ARS_ANALYST, "analyste@autre-ars.test")
    login(client, stranger)
    assert client.get(reverse("evaluation:export-job", args=[job.public_id])).status_code == 404
    assert client.get(reverse("evaluation:export-file", args=[job.public_id])).status_code == 404
    assert str(job.public_id) not in _html(client.get(reverse("evaluation:exports")))


# API


def test_api_start_answers_202_then_status_then_result(
    client, personas, django_capture_on_commit_callbacks
):
    login(client, personas.ars_analyst)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/evaluation/exports", {"year": 2026}, content_type="application/json"
        )
    assert response.status_code == 202
    job_id = response.json()["id"]
    status = client.get(f"/api/v1/evaluation/jobs/{job_id}").json()
    assert status["status"] == "done"
    assert status["progress"] == 100
    assert status["metadata"]["k"] == 5
    assert status["result_available"] is True
    assert status["result_url"] == f"/api/v1/evaluation/jobs/{job_id}/result"
    result = client.get(status["result_url"])
    assert result.status_code == 200
    assert result["Content-Type"] == "application/zip"
    assert ExportDownload.objects.filter(job__public_id=job_id).count() == 1
    listed = client.get("/api/v1/evaluation/exports").json()
    assert [item["id"] for item in listed] == [job_id]


def test_api_refuses_a_bad_year_with_the_error_shape(client, personas):
    login(client, personas.ars_analyst)
    response = client.post(
        "/api/v1/evaluation/exports", {"year": 2019}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "export.year_invalid"
    assert response.json()["errors"][0]["field"] == "year"


def test_api_refuses_other_roles(client, personas, django_capture_on_commit_callbacks):
    job = _done_job(personas.ars_analyst, django_capture_on_commit_callbacks)
    login(client, personas.coordinator)
    assert (
        client.post(
            "/api/v1/evaluation/exports", {"year": 2026}, content_type="application/json"
        ).status_code
        == 403
    )
    for url in (
        f"/api/v1/evaluation/jobs/{job.public_id}",
        f"/api/v1/evaluation/jobs/{job.public_id}/result",
        "/api/v1/evaluation/exports",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert response.json()["errors"][0]["code"] == "permission.denied"
    assert not ExportDownload.objects.exists()
