from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from oncoparcours.pathways.models import Pathway, PathwayEvent, Prescription
from oncoparcours.pathways.services import eligibility_override
from oncoparcours.pathways.tests.factories import RPPS, make_prescriber, receive
from oncoparcours.regulation.models import RegulatoryParameter

PDF = b"%PDF-1.7\n%fake scan\n"


def codes(exc: ValidationError) -> set[str | None]:
    return {e.code for errors in exc.error_dict.values() for e in errors}


def kinds(pathway: Pathway) -> list[str]:
    return list(pathway.events.values_list("kind", flat=True))


def assert_nothing_saved() -> None:
    assert not Prescription.objects.exists()
    assert not Pathway.objects.exists()
    assert not PathwayEvent.objects.exists()


def test_an_eligible_prescription_opens_a_pathway_oriented_to_the_structure(personas, patient):
    pathway = receive(personas.coordinator, patient)
    assert pathway.status == "eligible"
    assert pathway.structure == personas.structure
    assert pathway.uncovered is False
    assert pathway.age_group == "adult"
    assert pathway.cap == Decimal("180.00")
    assert pathway.deadline is None
    prescription = pathway.prescription
    assert prescription.eligibility == "eligible"
    assert prescription.failures == []
    assert prescription.ald_cancer is True
    assert prescription.active_treatment_end_date == date(2026, 1, 15)
    assert prescription.received_by == personas.coordinator
    assert prescription.prescriber_rpps == RPPS
    assert kinds(pathway) == ["received", "eligibility_checked", "oriented"]


def test_a_logged_in_prescriber_is_recorded_from_his_account(personas, patient):
    prescriber = make_prescriber(personas)
    pathway = receive(
        prescriber,
        patient,
        prescriber=prescriber.user,
        prescriber_name="",
        prescriber_rpps="",
        prescriber_specialty="",
        channel="form",
    )
    prescription = pathway.prescription
    assert prescription.prescriber == prescriber.user
    assert prescription.prescriber_specialty == "oncology"
    assert prescription.prescriber_rpps == RPPS
    assert prescription.prescriber_name == prescriber.user.get_full_name()
    assert pathway.status == "eligible"


def test_psg01_a_patient_without_cancer_ald_is_refused_and_kept(personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    assert pathway.status == "refused"
    assert pathway.prescription.eligibility == "refused"
    assert [f["code"] for f in pathway.prescription.failures] == ["PSG-01"]
    assert pathway.prescription.failures[0]["field"] == "ald_cancer"
    assert kinds(pathway) == ["received", "refused", "oriented"]
    assert pathway.events.get(kind="refused").data == {"codes": ["PSG-01"]}
    # Kept and shown to the coordinator of the covering structure.
    assert pathway.structure == personas.structure


def test_psg02_a_prescriber_of_another_specialty_is_refused(personas, patient):
    pathway = receive(personas.coordinator, patient, prescriber_specialty="other")
    assert pathway.status == "refused"
    assert [f["code"] for f in pathway.prescription.failures] == ["PSG-02"]


def test_psg03_twelve_months_and_one_day_after_the_end_of_treatment_is_refused(personas, patient):
    pathway = receive(
        personas.coordinator, patient, prescription_date=date(2027, 1, 16), today=date(2027, 2, 1)
    )
    assert pathway.status == "refused"
    assert [f["code"] for f in pathway.prescription.failures] == ["PSG-03"]
    assert "15/01/2027" in pathway.prescription.failures[0]["message"]


def test_psg03_exactly_twelve_months_after_is_accepted(personas, patient):
    pathway = receive(
        personas.coordinator, patient, prescription_date=date(2027, 1, 15), today=date(2027, 2, 1)
    )
    assert pathway.status == "eligible"


def test_every_failed_rule_is_kept_at_once(personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(
        personas.coordinator,
        patient,
        prescriber_specialty="other",
        prescription_date=date(2027, 1, 16),
        today=date(2027, 2, 1),
    )
    assert [f["code"] for f in pathway.prescription.failures] == ["PSG-01", "PSG-02", "PSG-03"]


def test_psg04_an_unknown_prestation_is_a_data_error_and_nothing_is_saved(personas, patient):
    with pytest.raises(ValidationError) as exc:
        receive(personas.coordinator, patient, items=["apa_assessment", "massage"])
    assert codes(exc.value) == {"PSG-04"}
    assert "massage" in exc.value.error_dict["items"][0].messages[0]
    assert_nothing_saved()


def test_an_empty_prescription_is_refused_with_nothing_saved(personas, patient):
    with pytest.raises(ValidationError) as exc:
        receive(personas.coordinator, patient, items=[])
    assert codes(exc.value) == {"PSG-04"}
    assert_nothing_saved()


def test_a_future_date_and_missing_prescriber_are_data_errors(personas, patient):
    with pytest.raises(ValidationError) as exc:
        receive(
            personas.coordinator,
            patient,
            prescription_date=date(2026, 7, 1),
            prescriber_name=" ",
            prescriber_rpps="12345678901",
            prescriber_specialty="astrology",
            channel="fax",
        )
    assert codes(exc.value) == {
        "prescription.date_in_future",
        "prescription.required",
        "identifier.rpps.checksum",
        "prescription.specialty_invalid",
        "prescription.channel_invalid",
    }
    assert_nothing_saved()


def test_a_date_before_the_scheme_existed_is_a_data_error(personas, patient):
    with pytest.raises(ValidationError) as exc:
        receive(personas.coordinator, patient, prescription_date=date(2020, 1, 1))
    assert codes(exc.value) == {"prescription.parameters_missing"}
    assert_nothing_saved()


def test_a_pdf_scan_is_stored_with_the_paper_prescription(personas, patient, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("ordonnance.pdf", PDF, content_type="application/pdf")
    pathway = receive(personas.coordinator, patient, document=scan)
    assert str(pathway.prescription.document.name).startswith("prescriptions/")
    assert pathway.prescription.document.read() == PDF


def test_a_document_that_is_not_pdf_jpeg_or_png_is_refused(personas, patient, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("ordonnance.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    with pytest.raises(ValidationError) as exc:
        receive(personas.coordinator, patient, document=fake)
    assert codes(exc.value) == {"prescription.document_type"}
    assert "PDF" in exc.value.error_dict["document"][0].messages[0]
    assert_nothing_saved()
    assert list(tmp_path.iterdir()) == []


def test_a_document_over_ten_megabytes_is_refused(personas, patient, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    big = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        receive(personas.coordinator, patient, document=big)
    assert codes(exc.value) == {"prescription.document_size"}
    assert_nothing_saved()


def test_the_cap_is_the_one_in_force_at_the_prescription_date(personas, patient):
    current = RegulatoryParameter.objects.get(key="psgac.cap_per_patient")
    current.effective_to = date(2026, 2, 28)
    current.save()
    RegulatoryParameter.objects.create(
        key="psgac.cap_per_patient",
        value=Decimal("200.00"),
        effective_from=date(2026, 3, 1),
        source="Arrêté fictif de test",
    )
    before = receive(personas.coordinator, patient, prescription_date=date(2026, 2, 1))
    after = receive(personas.coordinator, patient, prescription_date=date(2026, 5, 1))
    assert before.cap == Decimal("180.00")
    assert after.cap == Decimal("200.00")


def test_a_coordinator_overrides_a_refusal_with_a_justification(personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    justification = "ALD en cours d'ouverture, confirmée par le médecin conseil."
    eligibility_override(by=personas.coordinator, pathway=pathway, justification=justification)
    pathway.refresh_from_db()
    prescription = pathway.prescription
    assert pathway.status == "eligible"
    assert prescription.eligibility == "overridden"
    assert prescription.override_by == personas.coordinator
    assert prescription.override_at is not None
    # The reasons stay on record.
    assert [f["code"] for f in prescription.failures] == ["PSG-01"]
    event = pathway.events.get(kind="overridden")
    assert event.actor == personas.coordinator
    assert event.reason == justification
    assert event.data == {"codes": ["PSG-01"]}


def test_a_short_justification_is_refused(personas, patient):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    with pytest.raises(ValidationError) as exc:
        eligibility_override(by=personas.coordinator, pathway=pathway, justification="ok")
    assert codes(exc.value) == {"pathway.override_justification_short"}
    pathway.refresh_from_db()
    assert pathway.status == "refused"
    assert not pathway.events.filter(kind="overridden").exists()


@pytest.mark.parametrize("who", ["psychologist", "other_coordinator", "admin", "ars_analyst"])
def test_only_the_structures_coordinator_may_override(personas, patient, who):
    patient.ald_cancer = False
    patient.save()
    pathway = receive(personas.coordinator, patient)
    with pytest.raises(ValidationError) as exc:
        eligibility_override(
            by=getattr(personas, who),
            pathway=pathway,
            justification="Une justification suffisamment longue.",
        )
    assert exc.value.code == "pathway.override_forbidden"
    pathway.refresh_from_db()
    assert pathway.status == "refused"


def test_an_eligible_pathway_cannot_be_overridden(personas, patient):
    pathway = receive(personas.coordinator, patient)
    with pytest.raises(ValidationError) as exc:
        eligibility_override(
            by=personas.coordinator,
            pathway=pathway,
            justification="Une justification suffisamment longue.",
        )
    assert exc.value.code == "pathway.transition_not_allowed"
