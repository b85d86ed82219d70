"""CSV import pages (upload → dry-run preview → confirm) and the CSV export download."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from oncoparcours.directory.models import Offer
from oncoparcours.directory.services import offer_export_csv
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.directory.views.imports import SESSION_KEY

pytestmark = pytest.mark.django_db

IMPORT = reverse("directory:import")
CONFIRM = reverse("directory:import-confirm")
EXPORT = reverse("directory:export")


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def _upload(text: str, name: str = "enquete.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def survey(geography) -> str:
    """The export of one offer, plus a new row: one update-free row and one creation."""
    make_offer("Psy Lyon", commune=geography["69123"])
    exported = offer_export_csv()
    header, row = exported.strip().split("\r\n")
    new_row = ";" + row.split(";", 1)[1].replace("Psy Lyon", "APA Clermont").replace(
        ";69123;", ";63113;"
    )
    return f"{header}\r\n{row}\r\n{new_row}\r\n"


def test_upload_previews_what_would_change_and_imports_nothing(client_as, editor, survey):
    client = client_as(editor)
    response = client.post(IMPORT, {"file": _upload(survey)})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)
    page = response.content.decode()
    assert (
        "L\u2019import créerait 1 offre(s), en mettrait à jour 0 et laisserait 1 inchangée(s)"
        in page
    )
    assert "Confirmer l\u2019import" in page
    assert Offer.objects.count() == 1


def test_confirm_imports_the_previewed_file_kept_server_side(client_as, editor, survey, settings):
    client = client_as(editor)
    token = client.post(IMPORT, {"file": _upload(survey)}).context["token"]
    kept = list((settings.VAR_DIR / "directory-imports").glob("*.csv"))
    assert len(kept) == 1
    assert kept[0].stat().st_mode & 0o077 == 0
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert sorted(Offer.objects.values_list("title", flat=True)) == ["APA Clermont", "Psy Lyon"]
    assert not list((settings.VAR_DIR / "directory-imports").glob("*.csv"))
    assert SESSION_KEY not in client.session
    # The same confirmation twice imports nothing more.
    again = client.post(CONFIRM, {"token": token})
    assert again.status_code == 302
    assert Offer.objects.count() == 2


def test_another_session_cannot_confirm_someone_elses_upload(client_as, editor, personas, survey):
    token = client_as(editor).post(IMPORT, {"file": _upload(survey)}).context["token"]
    from oncoparcours.accounts.roles import RoleCode
    from oncoparcours.core.testing import make_member

    other_editor = make_member(personas.admin.organisation, RoleCode.DIRECTORY_EDITOR)
    response = client_as(other_editor).post(CONFIRM, {"token": token})
    assert response.status_code == 302
    assert Offer.objects.count() == 1


def test_malformed_file_is_refused_row_by_row_in_french_and_nothing_is_imported(
    client_as, editor, survey
):
    header, existing, new = survey.strip().split("\r\n")
    bad_commune = new.replace(";63113;", ";99999;")
    duplicate = new
    text = "\r\n".join([header, existing, bad_commune, new, duplicate]) + "\r\n"
    response = client_as(editor).post(IMPORT, {"file": _upload(text)})
    assert response.status_code == 400
    report = response.context["report"]
    assert not report.ok
    rows_in_error = {error.row for error in report.errors}
    assert 3 in rows_in_error  # the unknown commune code, line 3 of the file
    page = response.content.decode()
    assert "rien n\u2019a été importé" in page
    assert "Confirmer l\u2019import" not in page
    assert Offer.objects.count() == 1


def test_a_missing_column_is_named(client_as, editor, survey):
    lines = survey.strip().split("\r\n")
    without_title = "\r\n".join(
        ";".join(cell for index, cell in enumerate(line.split(";")) if index != 1) for line in lines
    )
    response = client_as(editor).post(IMPORT, {"file": _upload(without_title)})
    assert response.status_code == 400
    assert "intitule" in response.content.decode()
    assert Offer.objects.count() == 1


def test_upload_without_a_file_is_explained(client_as, editor):
    response = client_as(editor).post(IMPORT, {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]


def test_export_downloads_the_active_offers(client_as, editor, geography):
    make_offer("Psy Lyon", commune=geography["69123"])
    response = client_as(editor).get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="repertoire-soins-de-support-' in response["Content-Disposition"]
    assert "Psy Lyon" in response.content.decode("utf-8-sig")


def test_import_and_export_refuse_non_editors(client_as, personas, survey, tmp_path: Path):
    client = client_as(personas.ars_analyst)
    assert client.get(IMPORT).status_code == 403
    assert client.post(IMPORT, {"file": _upload(survey)}).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert client.get(EXPORT).status_code == 403
    assert Offer.objects.count() == 1
