"""The pseudonymised export end to end (issue 6 §5 "Done means"): source data with known
identities, the job run by the (eager) worker, the produced CSV scanned for every identifier of
the source, and k ≥ 5 on its quasi-identifiers."""

import csv
import io
import os
import re
import zipfile
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.assessments.models import Assessment, InstrumentRecord
from oncoparcours.evaluation import jobs
from oncoparcours.evaluation.exports.columns import QUASI_IDENTIFIERS
from oncoparcours.evaluation.exports.pseudonym import pseudonym
from oncoparcours.evaluation.models import EvaluationJob, JobStatus
from oncoparcours.pathways.services import act_book, act_complete, pathway_mark_contacted
from oncoparcours.pathways.tests.factories import (
    cover,
    make_eligible_patient,
    make_professional,
    receive,
)
from oncoparcours.patients.models import Consent, ConsentScope
from oncoparcours.patients.tests.factories import make_nir

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
PEPPER = "poivre-de-test-ne-pas-exporter"
# Invented identities (no real person); each must be absent from the export.
WOMEN_VILLEURBANNE = [
    ("ARCHAMBAULT", "Éloïse", date(1975, 3, 14)),
    ("BERTHELOT", "Maëlys", date(1976, 7, 2)),
    ("CHAMPOLLION", "Gwendoline", date(1974, 11, 30)),
    ("DESMAREST", "Ombeline", date(1978, 1, 9)),
    ("ESCOFFIER", "Philippine", date(1977, 5, 21)),
    ("FONTAINEBLEAU", "Bérénice", date(1973, 9, 17)),
]
WOMEN_LUNG = [  # 3 in Lyon, 2 in Villeurbanne: 5 together in the Métropole de Lyon
    ("GRANDPIERRE", "Clothilde", date(1980, 2, 3), "69123"),
    ("HAUTECLOCQUE", "Domitille", date(1981, 4, 12), "69123"),
    ("ISAMBERT", "Apolline", date(1979, 8, 25), "69123"),
    ("JOUVENCEL", "Sidonie", date(1982, 12, 6), "69266"),
    ("KERGUELEN", "Hortense", date(1983, 10, 19), "69266"),
]
LONE_MAN = ("LAMORICIERE", "Barthélémy", date(1954, 6, 8), "63113")
OBJECTOR = ("MONTMORENCY", "Radegonde", date(1975, 4, 4), "69266")


def _identity(i: int, name: str, given: str, born: date, sex: str) -> dict[str, str]:
    nir13 = f"{1 if sex == 'M' else 2}{born:%y%m}69123{i:03d}"
    return {
        "birth_name": name,
        "used_name": f"{name}-EPOUSE{i}",
        "first_given_name": given,
        "ins_matricule": make_nir(nir13),
        "ins_kind": "nir",
        "email": f"{given.lower()}.{name.lower()}@courriel.test",
        "phone": f"06 71 2{i % 10} 3{i % 10} 4{i % 10}",
        "address": f"{17 + i} rue des Capucines-{name.title()}",
        "gp_name": f"Dr Généraliste{name.title()}",
    }


@pytest.fixture
def source(personas, geography, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ONCOPARCOURS_EXPORT_PEPPER = PEPPER
    cover(personas.structure, geography["69123"], geography["69266"])
    cover(personas.other_structure, geography["63113"])
    apa = make_professional(
        personas.structure, RoleCode.APA_PROFESSIONAL, "apa_teacher", "apa@lyon.test"
    )
    identities = []
    pathways = []

    def add(i, name, given, born, insee, sex, site):
        identity = _identity(i, name, given, born, sex)
        patient = make_eligible_patient(
            personas.structure,
            geography[insee],
            birth_date=born,
            sex=sex,
            cancer_site=site,
            **identity,
        )
        identities.append({**identity, "birth_date": born})
        pathway = receive(personas.coordinator, patient, prescriber_name="Dr Prescriptrice Unique")
        pathways.append(pathway)
        return patient, pathway

    for i, (name, given, born) in enumerate(WOMEN_VILLEURBANNE):
        add(i, name, given, born, "69266", "F", "C50.1")
    for i, (name, given, born, insee) in enumerate(WOMEN_LUNG, start=10):
        add(i, name, given, born, insee, "F", "C34.1")
    add(20, *LONE_MAN, "M", "C61")
    objector, _pathway = add(21, *OBJECTOR, "F", "C50.1")
    Consent.objects.create(
        patient=objector,
        scope=ConsentScope.EVALUATION_DATA,
        given_at=date(2026, 4, 1),
        withdrawn_at=date(2026, 6, 1),
        recorded_by=personas.coordinator,
    )
    # The first woman's pathway: an APA assessment done and its 6-minute walk measured.
    first = pathway_mark_contacted(by=personas.coordinator, pathway=pathways[0])
    act = act_book(
        by=personas.coordinator,
        pathway=first,
        kind="apa_assessment",
        professional=apa.user,
        starts_at=datetime(2026, 6, 10, 10, tzinfo=PARIS),
        mode="in_person",
        place="Gymnase",
        amount=Decimal("45.00"),
    )
    act_complete(by=personas.coordinator, act=act, done_on=date(2026, 6, 10))
    assessment = Assessment.objects.create(
        act=act,
        pathway=first,
        kind="apa_assessment",
        performed_on=date(2026, 6, 10),
        summary="Synthèse-confidentielle-unique ARCHAMBAULT",
        submitted_by=apa,
    )
    InstrumentRecord.objects.create(
        assessment=assessment,
        instrument="six_minute_walk",
        version="enright-sherrill-1998",
        score=Decimal("412"),
    )
    return {"identities": identities, "patient_ids": [p.patient.public_id for p in pathways]}


def run_export(analyst, capture, year=2026) -> EvaluationJob:
    with capture(execute=True):
        job = jobs.export_request(by=analyst, year=year)
    job.refresh_from_db()
    return job


def read_zip(job: EvaluationJob) -> dict[str, str]:
    with job.result.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def csv_rows(content: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))


def test_the_export_holds_no_direct_identifier_and_is_k_anonymous(
    source, personas, django_capture_on_commit_callbacks
):
    job = run_export(personas.ars_analyst, django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE, job.error_code
    files = read_zip(job)
    data = files["donnees.csv"]
    everything = "\n".join(files.values())
    lowered = everything.lower()
    for identity in source["identities"]:
        for field in ("birth_name", "used_name", "first_given_name", "email", "address", "gp_name"):
            assert identity[field].lower() not in lowered, field
        assert identity["ins_matricule"] not in everything
        assert identity["ins_matricule"][:13] not in everything
        assert identity["phone"] not in everything
        assert identity["phone"].replace(" ", "") not in everything
        born = identity["birth_date"]
        for written in (f"{born:%d/%m/%Y}", born.isoformat(), f"{born:%Y%m%d}"):
            assert written not in everything
    assert "prescriptrice" not in lowered
    assert "synthèse-confidentielle-unique" not in lowered
    assert PEPPER not in everything
    # No full date at all in the data (quarters only).
    assert not re.search(r"\b\d{2}/\d{2}/\d{4}\b", data)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", data)

    rows = csv_rows(data)
    classes = defaultdict(set)
    for row in rows:
        classes[tuple(row[name] for name in QUASI_IDENTIFIERS)].add(row["pseudonyme"])
    assert classes
    assert all(len(patients) >= 5 for patients in classes.values())
    # Hand-computed: the 6 women of Villeurbanne (breast) keep their commune; the 5 women with
    # lung cancer (3 Lyon, 2 Villeurbanne) move up to the Métropole de Lyon; the man alone in
    # Clermont-Ferrand is suppressed; the objector is left out before anything.
    assert sorted(classes) == [
        ("40-54", "F", "commune", "69266", "breast"),
        ("40-54", "F", "epci", "200046977", "lung"),
    ]
    assert job.metadata == {
        "year": 2026,
        "k": 5,
        "excluded_objections": 1,
        "source_rows": 12,
        "rows": 11,
        "suppressed": 1,
        "generalised": 5,
        "generalised_by_step": {"epci": 5, "departement": 0, "region": 0, "age": 0},
    }
    assert len(rows) == 11
    assert "Lignes supprimées (classe restée inférieure à k) : 1" in files["LISEZMOI.md"]


def test_rows_carry_the_pathway_values_and_a_stable_pseudonym(
    source, personas, django_capture_on_commit_callbacks
):
    job = run_export(personas.ars_analyst, django_capture_on_commit_callbacks)
    rows = {row["pseudonyme"]: row for row in csv_rows(read_zip(job)["donnees.csv"])}
    first = rows[pseudonym(source["patient_ids"][0], PEPPER)]
    assert first["structure_nom"] == personas.structure.name
    assert first["specialite_prescripteur"] == "oncology"
    assert first["trimestre_prescription"] == "2026-T2"
    assert first["statut_parcours"] == "active"
    # End of treatment 15 January → prescription 1 May 2026: 106 days; → first assessment on
    # 10 June: 40 days.
    assert first["delai_fin_traitement_prescription_j"] == "106"
    assert first["delai_prescription_premier_bilan_j"] == "40"
    assert (first["bilans_apa"], first["depense_eur"], first["plafond_eur"]) == (
        "1",
        "45,00",
        "180,00",
    )
    assert (first["tm6_premier_m"], first["tm6_dernier_m"]) == ("410", "")
    # A second export (same pepper) gives the same pseudonyms: analysts can follow a patient.
    again = run_export(personas.ars_analyst, django_capture_on_commit_callbacks)
    assert set(rows) == {row["pseudonyme"] for row in csv_rows(read_zip(again)["donnees.csv"])}


def test_the_job_moves_from_queued_to_done_with_progress(
    source, personas, django_capture_on_commit_callbacks, monkeypatch
):
    seen: list[tuple[str, int]] = []
    original = jobs._set_progress

    def spy(job_id, percent, step):
        original(job_id, percent, step)
        job = EvaluationJob.objects.get(pk=job_id)
        seen.append((job.status, job.progress))

    monkeypatch.setattr(jobs, "_set_progress", spy)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.export_request(by=personas.ars_analyst, year=2026)
    job.refresh_from_db()
    assert (job.status, job.progress, job.started_at) == (JobStatus.QUEUED, 0, None)
    assert len(callbacks) == 1  # enqueued after commit, not during the request
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.started_at is not None
    assert job.finished_at is not None
    assert job.started_at <= job.finished_at
    assert all(status == JobStatus.RUNNING for status, _p in seen)
    progress = [p for _s, p in seen]
    assert progress == sorted(progress)
    assert progress[0] == 0
    assert progress[-1] == 95
    # A redelivered message never runs a finished job twice.
    assert jobs.job_run(str(job.public_id)) == "skipped"


def test_a_failing_export_ends_failed_with_a_code_and_no_file(
    source, personas, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("ARCHAMBAULT Éloïse 14/03/1975")

    monkeypatch.setattr(jobs, "build_export", broken)
    job = run_export(personas.ars_analyst, django_capture_on_commit_callbacks)
    assert (job.status, job.error_code) == (JobStatus.FAILED, "job.unexpected_error")
    assert not job.result
    assert not job.has_result
    assert "ARCHAMBAULT" not in caplog.text
    assert f"job={job.public_id}" in caplog.text


def test_an_unknown_year_or_a_running_export_is_refused(personas):
    with pytest.raises(ValidationError) as exc:
        jobs.export_request(by=personas.ars_analyst, year=2019)
    assert exc.value.error_dict["year"][0].code == "export.year_invalid"
    jobs.export_request(by=personas.ars_analyst, year=2025)  # queued (never run: no commit)
    with pytest.raises(ValidationError) as exc:
        jobs.export_request(by=personas.ars_analyst, year=2025)
    assert exc.value.error_dict["year"][0].code == "export.already_running"
    assert exc.value.error_dict["year"][0].message.startswith("Un export de cette année")


def test_expired_result_files_are_deleted_and_the_job_kept(
    source, personas, django_capture_on_commit_callbacks, settings
):
    job = run_export(personas.ars_analyst, django_capture_on_commit_callbacks)
    path = job.result.path
    settings.ONCOPARCOURS_EXPORT_RETENTION_DAYS = 30
    assert job.finished_at is not None
    assert jobs.purge_expired_results(now=job.finished_at) == 0
    later = job.finished_at + timedelta(days=31)
    assert jobs.purge_expired_results(now=later) == 1
    job.refresh_from_db()
    assert not job.result
    assert job.result_deleted_at == later
    assert not job.has_result
    assert job.metadata["rows"] == 11
    assert not os.path.exists(path)
