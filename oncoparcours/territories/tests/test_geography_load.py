from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from oncoparcours.territories.models import Commune, CommunePostalCode, Department, Epci
from oncoparcours.territories.services import geography_load

DEPARTMENTS = "code,name,population\n69,Rhône,1900000\n42,Loire,765000\n"
EPCIS = (
    "siren,name,kind,population\n"
    "200046977,Métropole de Lyon,MET69,1400000\n"
    "244200770,Saint-Étienne Métropole,METRO,400000\n"
)
COMMUNES = (
    "insee_code,name,postal_codes,department_code,epci_siren,population,latitude,longitude\n"
    "69123,Lyon,69001 69002 69003,69,200046977,519127,45.76769,4.83537\n"
    "69266,Villeurbanne,69100,69,200046977,163684,45.76630,4.87966\n"
    "42218,Saint-Étienne,42000 42100,42,244200770,173136,45.43959,4.38748\n"
)


def write_files(directory: Path, communes: str = COMMUNES) -> Path:
    (directory / "departments_aura.csv").write_text(DEPARTMENTS, encoding="utf-8")
    (directory / "epcis_aura.csv").write_text(EPCIS, encoding="utf-8")
    (directory / "communes_aura.csv").write_text(communes, encoding="utf-8")
    return directory


def snapshot():
    return (
        sorted(Department.objects.values_list("code", "name", "population")),
        sorted(Epci.objects.values_list("siren", "name", "kind", "population")),
        sorted(
            Commune.objects.values_list(
                "insee_code", "name", "search_name", "department_id", "epci_id", "population"
            )
        ),
        sorted(CommunePostalCode.objects.values_list("commune_id", "postal_code")),
    )


@pytest.mark.django_db
def test_loading_three_communes_creates_everything(tmp_path):
    report = geography_load(data_dir=write_files(tmp_path))
    assert (report.departments.created, report.epcis.created, report.communes.created) == (2, 2, 3)
    assert report.postal_codes_added == 6
    saint_etienne = Commune.objects.get(insee_code="42218")
    assert saint_etienne.search_name == "saint etienne"
    assert saint_etienne.latitude == pytest.approx(45.43959)
    assert saint_etienne.epci_id == "244200770"


@pytest.mark.django_db
def test_loading_twice_changes_nothing(tmp_path):
    data_dir = write_files(tmp_path)
    geography_load(data_dir=data_dir)
    before = snapshot()
    report = geography_load(data_dir=data_dir)
    assert snapshot() == before
    assert (report.communes.created, report.communes.updated) == (0, 3)
    assert (report.postal_codes_added, report.postal_codes_removed) == (0, 0)


@pytest.mark.django_db
def test_reloading_updates_names_and_postal_codes(tmp_path):
    geography_load(data_dir=write_files(tmp_path))
    changed = COMMUNES.replace("Villeurbanne,69100", "Villeurbanne-Ville,69100 69190").replace(
        "42000 42100", "42100"
    )
    report = geography_load(data_dir=write_files(tmp_path, changed))
    assert Commune.objects.get(insee_code="69266").search_name == "villeurbanne ville"
    assert set(
        CommunePostalCode.objects.filter(commune_id__in=["69266", "42218"]).values_list(
            "postal_code", flat=True
        )
    ) == {"69100", "69190", "42100"}
    assert (report.postal_codes_added, report.postal_codes_removed) == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_row", "code", "message"),
    [
        (
            "6912,Nulle-Part,69000,69,,10,,\n",
            "geography.commune.insee_code",
            "communes_aura.csv, ligne 5 : code INSEE « 6912 » invalide.",
        ),
        (
            "99001,Ailleurs,99000,99,,10,,\n",
            "geography.commune.unknown_department",
            "communes_aura.csv, ligne 5 : département « 99 » inconnu pour la commune 99001.",
        ),
        (
            "69999,Perdue,69999,69,123456789,10,,\n",
            "geography.commune.unknown_epci",
            "communes_aura.csv, ligne 5 : EPCI « 123456789 » inconnu pour la commune 69999.",
        ),
        (
            "69998,Mal placée,6999,69,,10,,\n",
            "geography.commune.postal_code",
            "communes_aura.csv, ligne 5 : codes postaux « 6999 » invalides pour la commune 69998.",
        ),
        (
            "69123,Lyon bis,69001,69,,10,,\n",
            "geography.commune.duplicate",
            "communes_aura.csv, ligne 5 : commune 69123 en double.",
        ),
    ],
)
def test_a_bad_row_is_refused_and_nothing_is_loaded(tmp_path, bad_row, code, message):
    with pytest.raises(ValidationError) as exc:
        geography_load(data_dir=write_files(tmp_path, COMMUNES + bad_row))
    assert [e.code for e in exc.value.error_list] == [code]
    assert exc.value.messages == [message]
    assert snapshot() == ([], [], [], [])


@pytest.mark.django_db
def test_a_bad_row_leaves_an_earlier_load_untouched(tmp_path):
    geography_load(data_dir=write_files(tmp_path))
    before = snapshot()
    bad = (
        COMMUNES.replace("Lyon,69001 69002 69003", "Lyon renommée,69001") + "6912,X,69000,69,,1,,\n"
    )
    with pytest.raises(ValidationError):
        geography_load(data_dir=write_files(tmp_path, bad))
    assert snapshot() == before


@pytest.mark.django_db
def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(ValidationError) as exc:
        geography_load(data_dir=tmp_path)
    assert exc.value.code == "geography.file.missing"


@pytest.mark.django_db
def test_a_file_without_the_expected_columns_is_reported(tmp_path):
    write_files(tmp_path, "insee,nom\n69123,Lyon\n")
    with pytest.raises(ValidationError) as exc:
        geography_load(data_dir=tmp_path)
    assert exc.value.code == "geography.file.columns"


@pytest.mark.django_db
def test_the_command_prints_counts(tmp_path):
    out = StringIO()
    call_command("load_geography", data_dir=write_files(tmp_path), stdout=out)
    assert "Communes : 3 créés, 0 mis à jour." in out.getvalue()
    assert "Codes postaux : 6 ajoutés, 0 retirés." in out.getvalue()


@pytest.mark.django_db
def test_the_command_fails_clearly_on_a_bad_file(tmp_path):
    with pytest.raises(CommandError, match="code INSEE « 6912 » invalide"):
        call_command(
            "load_geography",
            data_dir=write_files(tmp_path, COMMUNES + "6912,X,69000,69,,1,,\n"),
            stdout=StringIO(),
        )
    assert not Commune.objects.exists()


@pytest.mark.django_db
def test_the_shipped_aura_files_load(settings):
    """The real reference (about 4,000 communes) loads, and reloads without change."""
    data_dir = Path(settings.BASE_DIR) / "oncoparcours" / "territories" / "data"
    if not (data_dir / "communes_aura.csv").exists():
        pytest.skip("AURA data files not present")
    report = geography_load(data_dir=data_dir)
    assert report.communes.created > 4000
    assert report.departments.created == 12
    again = geography_load(data_dir=data_dir)
    assert (again.communes.created, again.postal_codes_added, again.postal_codes_removed) == (
        0,
        0,
        0,
    )
