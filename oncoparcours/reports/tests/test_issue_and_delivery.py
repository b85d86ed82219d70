"""report_issue and report_resend: the PDF, consent gating (PSG-14/16), channels, retries and
the timeline."""

import email
import json
import logging
from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import make_member, make_organisation
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.patients.models import IdentityStatus, InsKind
from oncoparcours.patients.services import consent_withdraw
from oncoparcours.patients.tests.factories import make_nir
from oncoparcours.reports.models import DeliveryStatus, RecipientAddress, Report, ReportDelivery
from oncoparcours.reports.services import report_issue, report_resend
from oncoparcours.reports.tasks import MAX_RETRIES, deliver_report
from oncoparcours.reports.tests.factories import (
    GP_SCOPE,
    PRESCRIBER_SCOPE,
    consent,
    make_apa_assessment,
    make_assessment,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]

GP_NO_CONSENT = "Le patient n'a pas consenti au partage avec son médecin traitant."


def pdf_text(report: Report) -> str:
    with report.file.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return "\n".join(page.extract_text() for page in reader.pages)


def deliveries(report: Report) -> dict[str, ReportDelivery]:
    return {d.recipient_role: d for d in report.deliveries.all()}


def outbox_files(settings, suffix: str) -> list:
    folder = settings.ONCOPARCOURS_MSSANTE_OUTBOX
    return sorted(folder.glob(f"*{suffix}")) if folder.exists() else []


@pytest.fixture
def worker_like_retries():
    """A worker runs Celery's retry instead of propagating it: so do eager jobs here."""
    conf = deliver_report.app.conf
    previous = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = previous


def test_the_pdf_reads_identity_instruments_scores_and_interpretations(
    personas, team, apa_assessment
):
    report = report_issue(by=team.apa, assessment=apa_assessment)
    text = pdf_text(report)
    assert "LEFÈVRE Camille" in text
    assert "17/05/1960" in text
    assert "INS" not in text  # provisional identity: the matricule never travels (INS-06)
    assert str(PRESTATIONS["apa_assessment"].label) in text
    assert "10 juin 2026" in text
    assert "Paul Mercier" in text
    assert "Dr Alice Martin" in text
    assert "Dr Jean Durand" in text
    # 6MWT, hand-computed in factories: 450 m, predicted 496,3 m, 90,7 %, lower limit 357,3 m.
    assert "Test de marche de 6 minutes" in text
    assert "450 m" in text
    assert "496,3" in text
    assert "90,7" in text
    assert "357,3" in text
    assert "Distance dans les valeurs attendues" in text
    assert "Enright" in text
    assert "1998" in text
    assert "enright-sherrill-1998" in text
    # Handgrip: best of 22,5 / 24 / 20 is 24 kg, not low for a woman (EWGSOP2 < 16 kg).
    assert "24 kg" in text
    assert "22,5" not in text  # only the best trial of each hand is reported
    assert "ewgsop2-2019" in text
    # Observations are escaped, not read as markup; the summary is there.
    assert "Fatigue l'après-midi & <peur> de chuter." in text
    assert "Capacités conservées, motivation à accompagner." in text
    assert "Document médical confidentiel" in text
    assert "page 1/" in text
    assert report.size == report.file.size
    assert report.kind == "apa_assessment"
    name = report.file.name or ""
    assert name.startswith("reports/2026/06/")
    assert "Lef" not in name


def test_a_qualified_identity_carries_its_ins(personas, team, pathway):
    patient = pathway.patient
    patient.ins_matricule = make_nir("2600569123045")
    patient.ins_kind = InsKind.NIR
    patient.identity_status = IdentityStatus.QUALIFIED
    patient.save()
    report = report_issue(by=team.apa, assessment=make_apa_assessment(personas, team, pathway))
    text = pdf_text(report)
    assert "INS (identité qualifiée)" in text
    assert patient.ins_matricule in text
    assert "1.2.250.1.213.1.4.8" in text


def test_consented_prescriber_gets_the_file_channel_and_gp_without_consent_is_withheld(
    settings, personas, team, apa_assessment, django_capture_on_commit_callbacks, caplog
):
    consent(apa_assessment.pathway.patient, PRESCRIBER_SCOPE, personas.coordinator)
    with (
        django_capture_on_commit_callbacks(execute=True),
        caplog.at_level(logging.INFO),
    ):
        report = report_issue(by=team.apa, assessment=apa_assessment)
    sent = deliveries(report)
    prescriber, gp = sent["prescriber"], sent["gp"]
    assert (prescriber.status, prescriber.attempts, prescriber.channel) == (
        DeliveryStatus.SENT,
        1,
        "mssante_file",
    )
    assert prescriber.address == "dr.martin@hcl.mssante.test"
    assert prescriber.consent is not None
    assert prescriber.sent_at is not None
    assert (gp.status, gp.reason) == (DeliveryStatus.WITHHELD_NO_CONSENT, GP_NO_CONSENT)
    assert gp.attempts == 0

    (eml,) = outbox_files(settings, ".eml")
    (meta,) = outbox_files(settings, ".json")
    message = email.message_from_bytes(eml.read_bytes())
    assert message["To"] == "dr.martin@hcl.mssante.test"
    assert "Lefèvre" not in (message["Subject"] or "")
    (attachment,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    with report.file.open("rb") as handle:
        assert attachment.get_payload(decode=True) == handle.read()
    data = json.loads(meta.read_text())
    assert data["format"] == "oncoparcours.mssante-outbox/1"
    assert data["delivery_id"] == str(prescriber.public_id)
    assert data["message_file"] == eml.name
    assert data["recipient"]["role"] == "prescriber"
    assert data["recipient"]["rpps"] == "10003456786"
    assert data["patient"] is None  # provisional identity
    assert data["document"]["sha256"] == report.sha256
    assert not list(settings.ONCOPARCOURS_MSSANTE_OUTBOX.glob(".*"))  # no temporary left

    events = {e.kind: e for e in report.pathway.events.all()}
    assert events["report_sent"].data == {
        "report": str(report.public_id),
        "delivery": str(prescriber.public_id),
        "recipient_role": "prescriber",
        "channel": "mssante_file",
        "status": "sent",
    }
    assert events["report_sent"].actor is None
    assert events["report_withheld"].data["recipient_role"] == "gp"
    assert events["report_withheld"].actor == team.apa
    # Codes and ids only, in events and logs alike.
    assert "Durand" not in json.dumps(events["report_withheld"].data)
    assert "dr.martin" not in caplog.text
    assert "Lefèvre" not in caplog.text


def test_the_email_channel_attaches_the_pdf(
    settings, personas, team, apa_assessment, django_capture_on_commit_callbacks
):
    settings.ONCOPARCOURS_REPORT_CHANNEL = "email"
    patient = apa_assessment.pathway.patient
    consent(patient, PRESCRIBER_SCOPE, personas.coordinator)
    consent(patient, GP_SCOPE, personas.coordinator)
    RecipientAddress.objects.create(
        patient=patient, role="gp", address="dr.durand@medecin.mssante.test", updated_by=team.apa
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = report_issue(by=team.apa, assessment=apa_assessment)
    assert {d.status for d in report.deliveries.all()} == {DeliveryStatus.SENT}
    assert sorted(m.to[0] for m in mail.outbox) == [
        "dr.durand@medecin.mssante.test",
        "dr.martin@hcl.mssante.test",
    ]
    gp_mail = next(m for m in mail.outbox if m.to == ["dr.durand@medecin.mssante.test"])
    label = PRESTATIONS["apa_assessment"].label
    assert gp_mail.subject == f"Compte rendu PSGAC — {label} du 10/06/2026"
    assert "Bonjour Dr Jean Durand," in gp_mail.body
    assert "C. L." in gp_mail.body
    assert "LEFÈVRE" not in gp_mail.body
    assert "avec son médecin traitant" in gp_mail.body
    ((name, content, mimetype),) = gp_mail.attachments
    assert (name, mimetype) == (f"compte-rendu-{report.public_id}.pdf", "application/pdf")
    assert content[:5] == b"%PDF-"
    assert not outbox_files(settings, ".eml")


def test_an_unknown_gp_address_is_withheld_then_entered_and_remembered(
    settings, personas, team, pathway, django_capture_on_commit_callbacks
):
    consent(pathway.patient, GP_SCOPE, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_issue(by=team.apa, assessment=make_apa_assessment(personas, team, pathway))
    gp = deliveries(report)["gp"]
    assert gp.status == DeliveryStatus.WITHHELD_NO_ADDRESS
    assert gp.reason.startswith(
        "L'adresse de messagerie sécurisée du médecin traitant est inconnue"
    )
    # No consent for the prescriber: withheld for that reason first, whatever the address.
    assert deliveries(report)["prescriber"].status == DeliveryStatus.WITHHELD_NO_CONSENT

    with pytest.raises(ValidationError) as refused:
        report_resend(by=personas.coordinator, delivery=gp, address="pas-une-adresse")
    assert refused.value.error_dict["address"][0].code == "report.address.invalid"

    with django_capture_on_commit_callbacks(execute=True):
        report_resend(
            by=personas.coordinator, delivery=gp, address=" dr.durand@medecin.mssante.test "
        )
    gp.refresh_from_db()
    assert (gp.status, gp.address, gp.reason) == (
        DeliveryStatus.SENT,
        "dr.durand@medecin.mssante.test",
        "",
    )
    remembered = RecipientAddress.objects.get(patient=pathway.patient, role="gp")
    assert remembered.address == "dr.durand@medecin.mssante.test"

    # The next report of the patient goes to the remembered address straight away.
    diet = make_assessment(personas, team.dietitian, pathway, "diet_assessment")
    with django_capture_on_commit_callbacks(execute=True):
        second = report_issue(by=team.dietitian, assessment=diet)
    assert deliveries(second)["gp"].status == DeliveryStatus.SENT
    assert len(outbox_files(settings, ".eml")) == 2


def test_a_withdrawn_consent_withholds(personas, team, apa_assessment):
    patient = apa_assessment.pathway.patient
    given = consent(patient, GP_SCOPE, personas.coordinator, given_at=date(2026, 5, 2))
    consent_withdraw(by=personas.coordinator, consent=given, withdrawn_at=date(2026, 6, 1))
    report = report_issue(by=team.apa, assessment=apa_assessment)
    gp = deliveries(report)["gp"]
    assert (gp.status, gp.reason) == (DeliveryStatus.WITHHELD_NO_CONSENT, GP_NO_CONSENT)


def test_a_consent_withdrawn_before_the_job_runs_stops_the_sending(
    settings, personas, team, apa_assessment, django_capture_on_commit_callbacks
):
    patient = apa_assessment.pathway.patient
    given = consent(patient, PRESCRIBER_SCOPE, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = report_issue(by=team.apa, assessment=apa_assessment)
    assert deliveries(report)["prescriber"].status == DeliveryStatus.QUEUED
    consent_withdraw(by=personas.coordinator, consent=given, withdrawn_at=date(2026, 6, 15))
    for callback in callbacks:
        callback()
    prescriber = deliveries(report)["prescriber"]
    assert prescriber.status == DeliveryStatus.WITHHELD_NO_CONSENT
    assert prescriber.attempts == 0
    assert not outbox_files(settings, ".eml")


def test_a_transport_failure_is_retried_then_failed_then_resent(
    settings,
    tmp_path,
    personas,
    team,
    apa_assessment,
    django_capture_on_commit_callbacks,
    worker_like_retries,
):
    consent(apa_assessment.pathway.patient, PRESCRIBER_SCOPE, personas.coordinator)
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the outbox folder should be")
    settings.ONCOPARCOURS_MSSANTE_OUTBOX = blocked
    with django_capture_on_commit_callbacks(execute=True):
        report = report_issue(by=team.apa, assessment=apa_assessment)
    prescriber = deliveries(report)["prescriber"]
    assert prescriber.status == DeliveryStatus.FAILED
    assert prescriber.attempts == MAX_RETRIES + 1
    assert prescriber.error_code == "file.FileExistsError"
    assert prescriber.reason == "L'envoi a échoué (file.FileExistsError) : vous pouvez le relancer."
    failed = report.pathway.events.get(kind="report_failed")
    assert failed.data["error"] == "file.FileExistsError"

    settings.ONCOPARCOURS_MSSANTE_OUTBOX = tmp_path / "outbox"
    with django_capture_on_commit_callbacks(execute=True):
        report_resend(by=personas.coordinator, delivery=prescriber)
    prescriber.refresh_from_db()
    assert (prescriber.status, prescriber.attempts, prescriber.reason) == (
        DeliveryStatus.SENT,
        MAX_RETRIES + 2,
        "",
    )
    assert report.pathway.events.filter(kind="report_sent").count() == 1


def test_a_transient_failure_is_retried_until_it_goes(
    settings,
    personas,
    team,
    apa_assessment,
    django_capture_on_commit_callbacks,
    worker_like_retries,
):
    from unittest import mock

    from oncoparcours.notifications.backends import TransportError
    from oncoparcours.reports.channels import MssanteFileChannel

    consent(apa_assessment.pathway.patient, PRESCRIBER_SCOPE, personas.coordinator)
    real_send = MssanteFileChannel.send
    calls = {"n": 0}

    def flaky(self, delivery, pdf_bytes):
        calls["n"] += 1
        if calls["n"] < 3:
            raise TransportError("file.OSError")
        return real_send(self, delivery, pdf_bytes)

    with (
        mock.patch.object(MssanteFileChannel, "send", flaky),
        django_capture_on_commit_callbacks(execute=True),
    ):
        report = report_issue(by=team.apa, assessment=apa_assessment)
    prescriber = deliveries(report)["prescriber"]
    assert (prescriber.status, prescriber.attempts) == (DeliveryStatus.SENT, 3)
    assert len(outbox_files(settings, ".eml")) == 1


def test_resend_needs_the_consent_and_a_resendable_delivery(
    personas, team, apa_assessment, django_capture_on_commit_callbacks
):
    patient = apa_assessment.pathway.patient
    consent(patient, PRESCRIBER_SCOPE, personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        report = report_issue(by=team.apa, assessment=apa_assessment)
    gp, prescriber = deliveries(report)["gp"], deliveries(report)["prescriber"]
    with pytest.raises(ValidationError) as refused:
        report_resend(by=personas.coordinator, delivery=gp, address="dr.durand@mssante.test")
    assert [e.code for e in refused.value.error_dict["__all__"]] == ["report.no_consent"]
    assert refused.value.error_dict["__all__"][0].message == GP_NO_CONSENT
    with pytest.raises(ValidationError) as refused:
        report_resend(by=personas.coordinator, delivery=prescriber)
    assert refused.value.error_dict["__all__"][0].code == "report.delivery.not_resendable"
    with pytest.raises(ValidationError) as refused:
        report_resend(by=personas.other_coordinator, delivery=gp)
    assert "report.not_allowed" in [e.code for e in refused.value.error_dict["__all__"]]
    assert not RecipientAddress.objects.exists()

    # The consent recorded later: the withheld delivery goes.
    consent(patient, GP_SCOPE, personas.coordinator, given_at=date(2026, 6, 15))
    with django_capture_on_commit_callbacks(execute=True):
        report_resend(by=team.apa, delivery=gp, address="dr.durand@mssante.test")
    gp.refresh_from_db()
    assert gp.status == DeliveryStatus.SENT


def test_one_report_per_assessment_version_by_its_author_or_the_coordinator(
    personas, team, apa_assessment
):
    outsider = make_member(
        make_organisation("Cabinet APA", OrgKind.STRUCTURE_PORTEUSE),
        RoleCode.APA_PROFESSIONAL,
    )
    with pytest.raises(ValidationError) as refused:
        report_issue(by=outsider, assessment=apa_assessment)
    assert refused.value.error_dict["__all__"][0].code == "report.not_allowed"
    with pytest.raises(ValidationError):
        report_issue(by=team.dietitian, assessment=apa_assessment)
    report_issue(by=personas.coordinator, assessment=apa_assessment)
    with pytest.raises(ValidationError) as refused:
        report_issue(by=team.apa, assessment=apa_assessment)
    assert refused.value.error_dict["__all__"][0].code == "report.already_issued"
    assert Report.objects.count() == 1
