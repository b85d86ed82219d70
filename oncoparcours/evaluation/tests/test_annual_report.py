"""The annual report to the ARS (PSG-17, issue 6 §4, §6): the job computes and freezes the
structure's figures (the same ``indicator_set`` as the indicators page), the coordinator
comments, submits (locked), corrects by a new version; documents written at submission.

Data: the hand-built indicators dataset (indicators_dataset.py), the Lyon structure being
``personas.structure``; a signed convention 2026-2028 due every 31 March.
"""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from pypdf import PdfReader

from oncoparcours.evaluation import jobs
from oncoparcours.evaluation.annual_reports import services
from oncoparcours.evaluation.annual_reports.content import result_dict
from oncoparcours.evaluation.indicators.filters import Filters, Period
from oncoparcours.evaluation.models import (
    AnnualReport,
    AnnualReportEvent,
    EvaluationJob,
    JobStatus,
)
from oncoparcours.evaluation.selectors import indicator_set, structure_scope
from oncoparcours.evaluation.tests.indicators_dataset import Dataset, dataset_fixture  # noqa: F401
from oncoparcours.funding import services as funding_services
from oncoparcours.funding.models import Convention

pytestmark = pytest.mark.django_db

# A report covers an ended year: the tests stand in February 2027.
TODAY = date(2027, 2, 1)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(name="convention")
def convention_fixture(dataset: Dataset) -> Convention:
    personas = dataset.personas
    convention = funding_services.convention_create(
        by=personas.ars_analyst,
        structure=personas.structure,
        reference="CONV-LYON-2026",
        start_date=date(2026, 1, 1),
        end_date=date(2028, 12, 31),
        territories=[dataset.lyon_territory],
        expected_patients_per_year=120,
        report_due_month=3,
        report_due_day=31,
        funding_terms="Forfait par patient.",
    )
    return funding_services.convention_sign(
        by=personas.ars_analyst, convention=convention, signed_on=date(2025, 12, 15)
    )


@pytest.fixture
def paid(dataset: Dataset, convention: Convention) -> None:
    funding_services.payment_record(
        by=dataset.personas.ars_analyst,
        structure=dataset.personas.structure,
        kind="forfait",
        amount=Decimal("200.00"),
        paid_on=date(2026, 7, 10),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
        reference="VIR-LYON-S1",
    )


def generate(coordinator, capture, year: int = 2026) -> AnnualReport:
    """Requests the report and runs the job as the worker would (eager task after commit)."""
    with capture(execute=True):
        job = services.annual_report_request(by=coordinator, year=year, today=TODAY)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_code
    return AnnualReport.objects.get(job=job)


def test_the_job_freezes_the_structures_indicators_conventions_and_funding(
    dataset, convention, paid, django_capture_on_commit_callbacks
):
    personas = dataset.personas
    report = generate(personas.coordinator, django_capture_on_commit_callbacks)
    assert (report.structure, report.year, report.version) == (personas.structure, 2026, 1)
    assert report.status == "draft"
    assert report.created_by == personas.coordinator
    # The same figures as the indicators page for the structure and the year, not hard-coded.
    scope = structure_scope(str(personas.structure.public_id))
    assert scope is not None
    expected = indicator_set(scope, Period(2026), Filters())
    frozen = {item["code"]: item for item in report.content["indicators"]}
    assert list(frozen) == [r.code for r in expected.results]
    for result in expected.results:
        assert {k: v for k, v in frozen[result.code].items() if k != "title"} == result_dict(result)
    # By hand: Lyon's pathways 1, 2 and 3 reached their first bilan in 2026 (I-1 = 3).
    assert frozen["I-1"]["value"] == "3"
    assert report.content["conventions"] == [
        {
            "reference": "CONV-LYON-2026",
            "status": "signed",
            "start_date": "2026-01-01",
            "end_date": "2028-12-31",
            "expected_patients_per_year": 120,
            "report_due": "2027-03-31",
        }
    ]
    # Done acts of 2026: pathway 1 = 3 * 45 + 2 * 22.50 = 180 (at the cap), pathway 2 = 45,
    # pathway 3 = 45 (its booked follow-up not done) → 270 due; 200 paid → balance 70.
    funding = report.content["funding"]
    assert (funding["done"], funding["due"], funding["pathways"]) == ("270.00", "270.00", 3)
    assert (funding["forfait_paid"], funding["forfait_balance"]) == ("200.00", "70.00")
    assert report.content["counts"]["conventions"] == 1
    assert report.content["structure"]["name"] == personas.structure.name
    # Nothing is written until submission; the event says who generated it.
    assert not report.pdf
    assert not report.xlsx
    event = AnnualReportEvent.objects.get(report=report)
    assert (event.kind, event.actor) == ("generated", personas.coordinator)
    assert report.job.metadata == {"report": str(report.public_id), "year": 2026, "version": 1}
    assert not report.job.result  # a report is a row, not a job file


def test_the_job_moves_from_queued_to_done_with_progress(
    dataset, convention, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[tuple[str, int]] = []
    original = jobs._set_progress

    def spy(job_id, percent, step):
        original(job_id, percent, step)
        job = EvaluationJob.objects.get(pk=job_id)
        seen.append((job.status, job.progress))

    monkeypatch.setattr(jobs, "_set_progress", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.annual_report_request(
            by=dataset.personas.coordinator, year=2026, today=TODAY
        )
    job.refresh_from_db()
    # The request only queued it: nothing computed, no report yet.
    assert (job.status, job.progress, job.kind) == (JobStatus.QUEUED, 0, "annual_report")
    assert not AnnualReport.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert seen == [("running", 5), ("running", 60), ("running", 90)]
    assert AnnualReport.objects.get().job == job
    assert jobs.job_run(str(job.public_id)) == "skipped"


def test_years_are_checked_against_the_clock_and_the_first_convention(dataset, convention):
    coordinator = dataset.personas.coordinator
    for year, code in ((2027, "year_invalid"), (2025, "year_invalid")):
        with pytest.raises(ValidationError) as caught:
            services.annual_report_request(by=coordinator, year=year, today=TODAY)
        error = caught.value.error_dict["year"][0]
        assert error.code == f"annual_report.{code}"
    assert error.message % error.params == "Choisissez une année terminée, entre 2026 et 2026."
    # In 2026 the first report (on 2026) cannot be generated yet.
    with pytest.raises(ValidationError) as caught:
        services.annual_report_request(by=coordinator, year=2026, today=date(2026, 11, 1))
    assert caught.value.error_dict["year"][0].code == "annual_report.year_invalid"
    assert not EvaluationJob.objects.exists()


def test_a_structure_without_a_signed_convention_owes_no_report(dataset, caplog):
    with pytest.raises(ValidationError) as caught:
        services.annual_report_request(by=dataset.personas.coordinator, year=2026, today=TODAY)
    error = caught.value.error_dict["year"][0]
    assert error.code == "annual_report.no_convention"
    assert error.message == "Aucune convention signée avec l'ARS : aucun rapport annuel n'est dû."
    assert "codes=annual_report.no_convention" in caplog.text


def test_a_second_request_is_refused_while_queued_or_drafted(
    dataset, convention, django_capture_on_commit_callbacks
):
    coordinator = dataset.personas.coordinator
    services.annual_report_request(by=coordinator, year=2026, today=TODAY)  # queued, not run
    with pytest.raises(ValidationError) as caught:
        services.annual_report_request(by=coordinator, year=2026, today=TODAY)
    assert caught.value.error_dict["year"][0].code == "annual_report.already_running"
    jobs.job_run(str(EvaluationJob.objects.get().public_id))
    with pytest.raises(ValidationError) as caught:
        services.annual_report_request(by=coordinator, year=2026, today=TODAY)
    assert caught.value.error_dict["year"][0].code == "annual_report.draft_exists"
    assert EvaluationJob.objects.count() == 1


def test_comments_are_saved_per_section_and_validated(
    dataset, convention, django_capture_on_commit_callbacks
):
    coordinator = dataset.personas.coordinator
    report = generate(coordinator, django_capture_on_commit_callbacks)
    services.annual_report_comment(
        by=coordinator,
        report=report,
        comments={"I-1": "  Montée en charge progressive.  ", "funding": "Versement S2 attendu."},
        overall_comment="Première année.",
    )
    report.refresh_from_db()
    assert report.comments == {
        "I-1": "Montée en charge progressive.",
        "funding": "Versement S2 attendu.",
    }
    assert report.overall_comment == "Première année."
    services.annual_report_comment(by=coordinator, report=report, comments={"funding": ""})
    report.refresh_from_db()
    assert report.comments == {"I-1": "Montée en charge progressive."}
    assert report.overall_comment == "Première année."  # None: unchanged
    with pytest.raises(ValidationError) as caught:
        services.annual_report_comment(
            by=coordinator, report=report, comments={"I-99": "x", "I-2": "é" * 4001}
        )
    assert caught.value.error_dict["I-99"][0].code == "annual_report.section_unknown"
    assert caught.value.error_dict["I-2"][0].code == "annual_report.comment_too_long"
    report.refresh_from_db()
    assert report.comments == {"I-1": "Montée en charge progressive."}  # all or nothing
    kinds = list(AnnualReportEvent.objects.filter(report=report).values_list("kind", "data"))
    assert kinds == [
        ("generated", {"job": str(report.job.public_id), "version": 1}),
        ("commented", {"sections": ["I-1", "funding", "overall_comment"]}),
        ("commented", {"sections": ["funding"]}),
    ]


def test_submission_locks_the_report_and_writes_its_pdf_and_xlsx(
    dataset, convention, paid, django_capture_on_commit_callbacks, caplog
):
    personas = dataset.personas
    report = generate(personas.coordinator, django_capture_on_commit_callbacks)
    services.annual_report_comment(
        by=personas.coordinator,
        report=report,
        comments={"I-1": "Montée en charge « progressive » — 3 patients.", "conventions": "RAS"},
        overall_comment="Première année d'activité.",
    )
    report = services.annual_report_submit(by=personas.coordinator, report=report)
    report.refresh_from_db()
    assert report.status == "submitted"
    assert report.submitted_by == personas.coordinator
    assert report.submitted_at is not None
    assert f"annual_report report={report.public_id} version=1 submitted" in caplog.text

    text = "\n".join(page.extract_text() for page in PdfReader(report.pdf.open("rb")).pages)
    assert "Rapport annuel 2026 à l'ARS — version 1" in text
    assert personas.structure.name in text
    assert "CONV-LYON-2026" in text
    assert "31 mars 2027" in text
    for amount in ("270,00 €", "200,00 €", "70,00 €"):
        assert amount in text
    assert "I-1 Patients inclus" in text
    assert "Commentaire de la structure : Montée en charge « progressive » — 3 patients." in text
    assert "Première année d'activité." in text

    book = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))
    assert book.sheetnames == ["Indicateurs", "Conventions et financement", "Commentaires"]
    rows = list(book["Indicateurs"].iter_rows(values_only=True))
    i1 = next(row for row in rows if row[0] == "I-1 Patients inclus" and not row[1])
    assert i1[2] == 3
    assert i1[7] == "Montée en charge « progressive » — 3 patients."
    funding = {
        row[0]: row[1] for row in book["Conventions et financement"].iter_rows(values_only=True)
    }
    assert funding["Forfait dû (après plafond par patient)"] == 270
    assert funding["Forfait versé"] == 200
    assert funding["CONV-LYON-2026"] is not None
    comments = list(book["Commentaires"].iter_rows(values_only=True))
    assert ("Commentaire général", "Première année d'activité.") in comments


def test_a_submitted_report_refuses_comments_and_a_second_submission(
    dataset, convention, django_capture_on_commit_callbacks, caplog
):
    coordinator = dataset.personas.coordinator
    report = generate(coordinator, django_capture_on_commit_callbacks)
    services.annual_report_comment(by=coordinator, report=report, comments={"I-1": "Avant"})
    services.annual_report_submit(by=coordinator, report=report)
    report.refresh_from_db()
    before = (report.comments, report.overall_comment, report.submitted_at, report.pdf.name)
    for attempt in (
        lambda: services.annual_report_comment(
            by=coordinator, report=report, comments={"I-1": "Après"}, overall_comment="Après"
        ),
        lambda: services.annual_report_submit(by=coordinator, report=report),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        error = caught.value.error_dict["__all__"][0]
        assert error.code == "annual_report.locked"
        assert error.message.startswith("Ce rapport a été soumis à l'ARS")
    report.refresh_from_db()
    assert (report.comments, report.overall_comment, report.submitted_at, report.pdf.name) == before
    assert "codes=annual_report.locked" in caplog.text
    # A new request for the year points to the correction.
    with pytest.raises(ValidationError) as caught:
        services.annual_report_request(by=coordinator, year=2026, today=TODAY)
    assert caught.value.error_dict["year"][0].code == "annual_report.already_submitted"


def test_a_correction_is_version_2_with_the_comments_copied_and_v1_unchanged(
    dataset, convention, django_capture_on_commit_callbacks
):
    coordinator = dataset.personas.coordinator
    v1 = generate(coordinator, django_capture_on_commit_callbacks)
    services.annual_report_comment(
        by=coordinator, report=v1, comments={"I-8": "Trois bilans"}, overall_comment="Bilan v1"
    )
    services.annual_report_submit(by=coordinator, report=v1)
    v1.refresh_from_db()
    frozen_v1 = (v1.status, v1.comments, v1.content, v1.submitted_at, v1.pdf.name, v1.xlsx.name)
    # A draft cannot be "corrected".
    with django_capture_on_commit_callbacks(execute=True):
        job = services.annual_report_correct(by=coordinator, report=v1)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error_code
    v2 = AnnualReport.objects.get(job=job)
    assert (v2.version, v2.status, v2.supersedes) == (2, "draft", v1)
    assert (v2.comments, v2.overall_comment) == ({"I-8": "Trois bilans"}, "Bilan v1")
    assert v2.content["indicators"] == v1.content["indicators"]
    services.annual_report_comment(by=coordinator, report=v2, comments={"I-8": "Corrigé"})
    v1.refresh_from_db()
    assert (v1.status, v1.comments, v1.content, v1.submitted_at, v1.pdf.name, v1.xlsx.name) == (
        frozen_v1
    )
    with pytest.raises(ValidationError) as caught:
        services.annual_report_correct(by=coordinator, report=v2)
    assert caught.value.error_dict["__all__"][0].code == "annual_report.not_submitted"
    with pytest.raises(ValidationError) as caught:
        services.annual_report_correct(by=coordinator, report=v1)
    assert caught.value.error_dict["__all__"][0].code == "annual_report.draft_exists"
    services.annual_report_submit(by=coordinator, report=v2)
    with pytest.raises(ValidationError) as caught:
        services.annual_report_correct(by=coordinator, report=v1)
    assert caught.value.error_dict["__all__"][0].code == "annual_report.not_latest"
    assert AnnualReport.objects.count() == 2


def test_a_failing_generation_ends_failed_with_a_code_and_no_draft(
    dataset, convention, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("ARCHAMBAULT Éloïse")

    monkeypatch.setattr(services, "compute_content", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.annual_report_request(
            by=dataset.personas.coordinator, year=2026, today=TODAY
        )
    job.refresh_from_db()
    assert (job.status, job.error_code) == (JobStatus.FAILED, "job.unexpected_error")
    assert not AnnualReport.objects.exists()
    assert "ARCHAMBAULT" not in caplog.text
