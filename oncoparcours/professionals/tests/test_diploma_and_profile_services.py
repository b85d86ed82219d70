import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from oncoparcours.core.errors import error_items_from_validation
from oncoparcours.core.files import MAX_UPLOAD_BYTES as MAX_EVIDENCE_BYTES
from oncoparcours.professionals import services
from oncoparcours.professionals.models import Diploma, EventKind, ProfessionalEvent
from oncoparcours.professionals.tests.conftest import PDF, TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _add(by, professional, evidence, **overrides):
    values = {
        "title": "Master STAPS APAS",
        "issuer": "Université Lyon 1",
        "obtained_on": datetime.date(2015, 6, 30),
        "evidence": evidence,
        "today": TODAY,
        **overrides,
    }
    return services.diploma_add(by=by, professional=professional, **values)


def _codes(exc):
    return {item["code"] for item in error_items_from_validation(exc.value)}


def test_a_professional_adds_a_pdf_diploma_stored_under_a_random_name(personas, psychologist):
    diploma = _add(personas.psychologist, psychologist, SimpleUploadedFile("moi.pdf", PDF))
    assert diploma.evidence_type == "application/pdf"
    assert diploma.evidence.name.startswith("diplomas/")
    assert "moi" not in diploma.evidence.name
    assert diploma.evidence.read() == PDF
    assert ProfessionalEvent.objects.get().kind == EventKind.DIPLOMA_ADDED


def test_a_file_that_is_not_pdf_jpeg_or_png_is_refused_whatever_its_name(personas, psychologist):
    with pytest.raises(ValidationError) as exc:
        _add(personas.psychologist, psychologist, SimpleUploadedFile("d.pdf", b"MZ\x90\x00exe"))
    assert _codes(exc) == {"diploma.evidence_type"}
    assert not Diploma.objects.exists()
    assert not ProfessionalEvent.objects.exists()


def test_evidence_over_ten_megabytes_is_refused(personas, psychologist):
    big = io.BytesIO(PDF + b"0" * MAX_EVIDENCE_BYTES)
    with pytest.raises(ValidationError) as exc:
        _add(personas.psychologist, psychologist, big)
    assert _codes(exc) == {"diploma.evidence_size"}
    assert not Diploma.objects.exists()


def test_missing_fields_and_a_future_date_are_all_reported(personas, psychologist):
    with pytest.raises(ValidationError) as exc:
        _add(
            personas.psychologist,
            psychologist,
            None,
            title=" ",
            issuer="",
            obtained_on=datetime.date(2030, 1, 1),
        )
    assert _codes(exc) == {
        "diploma.title_required",
        "diploma.issuer_required",
        "diploma.obtained_on_future",
        "diploma.evidence_required",
    }


def test_archiving_keeps_the_diploma_and_refuses_a_second_time(personas, psychologist):
    diploma = _add(personas.psychologist, psychologist, SimpleUploadedFile("d.png", PDF))
    services.diploma_archive(by=personas.coordinator, diploma=diploma)
    diploma.refresh_from_db()
    assert diploma.archived_at is not None
    with pytest.raises(ValidationError) as exc:
        services.diploma_archive(by=personas.coordinator, diploma=diploma)
    assert _codes(exc) == {"diploma.already_archived"}


def test_profile_update_sets_identifiers_practice_place_and_records_changed_fields(
    personas, psychologist, geography
):
    profile = services.profile_update(
        by=personas.psychologist,
        professional=psychologist,
        adeli="691234567",
        commune_insee="69123",
        practice_address="3 rue de la Santé",
        video_consultations=True,
    )
    assert (profile.adeli, profile.practice_commune_id, profile.video_consultations) == (
        "691234567",
        "69123",
        True,
    )
    event = ProfessionalEvent.objects.get()
    assert event.data["fields"] == [
        "adeli",
        "commune_insee",
        "practice_address",
        "video_consultations",
    ]


def test_profile_update_refuses_bad_identifiers_and_a_category_for_a_non_apa_profession(
    personas, psychologist
):
    with pytest.raises(ValidationError) as exc:
        services.profile_update(
            by=personas.psychologist,
            professional=psychologist,
            adeli="12",
            rpps="12345678901",
            qualification_code="1",
            commune_insee="99999",
        )
    assert _codes(exc) == {
        "identifier.adeli.format",
        "identifier.rpps.checksum",
        "profile.qualification_not_apa",
        "profile.commune_unknown",
    }
    psychologist.refresh_from_db()
    assert psychologist.rpps == ""
    assert not ProfessionalEvent.objects.exists()
