"""The pure parts of the pseudonymised export: pseudonyms, coarse values, k-anonymity, rows.
No database."""

import csv
import io
import os
import random
import subprocess
import sys
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest

from oncoparcours.evaluation.exports import files
from oncoparcours.evaluation.exports.columns import COLUMN_NAMES, QUASI_IDENTIFIERS
from oncoparcours.evaluation.exports.kanon import (
    GeoLevel,
    Outcome,
    Place,
    QuasiIdentifiers,
    k_anonymise,
)
from oncoparcours.evaluation.exports.pseudonym import pseudonym
from oncoparcours.evaluation.exports.rows import PathwaySource, build_row, csv_record
from oncoparcours.evaluation.exports.vocabulary import (
    AgeBand,
    age_bands_for,
    cancer_site_group,
    quarter,
)
from oncoparcours.regulation.parameters import PsgacParameters

# The arrêté du 24 décembre 2020 as seeded (child ≤ 14, AJA 15-25), written out: no database.
PARAMS = PsgacParameters(
    assessment_max_rate=Decimal("45.00"),
    followup_max_rate=Decimal("22.50"),
    cap_per_patient=Decimal("180.00"),
    max_followups=6,
    max_assessments_per_kind=1,
    prescription_window_months=12,
    delivery_window_months=12,
    assessment_minutes=60,
    followup_minutes=30,
    child_max_years=14,
    aja_min_years=15,
    aja_max_years=25,
    contact_after_days=7,
    deadline_within_days=30,
    budget_threshold_percent=80,
)
BANDS = age_bands_for(PARAMS)
K = 5

LYON = Place("69123", "200046977", "69")
VILLEURBANNE = Place("69266", "200046977", "69")
SAINT_ETIENNE = Place("42218", "244200770", "42")
NO_EPCI = Place("42999", "", "42")
CLERMONT = Place("63113", "246300701", "63")


@dataclass(frozen=True)
class Row:
    pseudonym: str
    qi: QuasiIdentifiers


def rows(n: int, place: Place, *, age: int = 50, sex: str = "F", site: str = "breast", tag=""):
    band = BANDS.band(age)
    return [
        Row(
            f"{tag}{place.commune}-{age}-{sex}-{site}-{i}", QuasiIdentifiers(band, sex, place, site)
        )
        for i in range(n)
    ]


def classes(kept):
    found = defaultdict(set)
    for row, written in kept:
        found[written].add(row.pseudonym)
    return found


# Pseudonyms


def test_pseudonym_is_keyed_stable_and_short():
    patient = UUID("12345678-1234-5678-1234-567812345678")
    first = pseudonym(patient, "poivre-a")
    assert first == pseudonym(str(patient), "poivre-a")
    assert len(first) == 16
    assert int(first, 16) >= 0
    # Another pepper, another pseudonym: a plain hash of the identifier would not depend on it.
    assert pseudonym(patient, "poivre-b") != first
    assert str(patient).replace("-", "")[:16] != first


def test_pseudonym_refuses_an_empty_pepper():
    with pytest.raises(ValueError, match="pepper"):
        pseudonym("x", "")


# Coarse values


def test_age_bands_start_at_each_psgac_age_group_edge():
    assert [band.label for band in BANDS.fine] == [
        "0-14",
        "15-17",
        "18-25",
        "26-39",
        "40-54",
        "55-64",
        "65-74",
        "75+",
    ]
    assert [band.label for band in BANDS.wide] == ["0-14", "15-25", "26-64", "65+"]
    # Every band lies inside one age group (child ≤ 14, AJA 15-25, adult).
    assert [BANDS.group(band) for band in BANDS.fine] == [
        "child",
        "aja",
        "aja",
        *["adult"] * 5,
    ]
    assert BANDS.band(14).label == "0-14"
    assert BANDS.band(25).label == "18-25"
    assert BANDS.band(26).label == "26-39"
    assert BANDS.widen(AgeBand(40, 54)).label == "26-64"


def test_age_bands_follow_a_new_aja_upper_bound():
    bands = age_bands_for(PsgacParameters(**{**PARAMS.__dict__, "aja_max_years": 24}))
    assert [band.label for band in bands.fine][:4] == ["0-14", "15-17", "18-24", "25-39"]


def test_cancer_sites_are_grouped_like_indicator_i5():
    assert cancer_site_group("C50.9") == "breast"
    assert cancer_site_group("C20") == "colorectal"
    assert cancer_site_group("C71") == "other"
    assert cancer_site_group("") == "unknown"


def test_dates_become_quarters():
    assert quarter(date(2026, 1, 1)) == "2026-T1"
    assert quarter(date(2026, 6, 30)) == "2026-T2"
    assert quarter(date(2026, 12, 31)) == "2026-T4"


# k-anonymity


def test_a_class_of_exactly_k_patients_stays_as_it_is():
    kept, outcome = k_anonymise(rows(K, LYON), k=K, bands=BANDS)
    assert len(kept) == K
    assert {written.geo_code for _row, written in kept} == {"69123"}
    assert {written.geo_level for _row, written in kept} == {GeoLevel.COMMUNE}
    assert (outcome.generalised, outcome.suppressed) == (0, 0)


def test_a_class_of_k_minus_one_moves_up_to_the_epci():
    # 4 in Lyon and 1 in Villeurbanne: neither holds 5, the Métropole de Lyon does.
    source = rows(K - 1, LYON) + rows(1, VILLEURBANNE)
    kept, outcome = k_anonymise(source, k=K, bands=BANDS)
    assert {(w.geo_level, w.geo_code) for _r, w in kept} == {(GeoLevel.EPCI, "200046977")}
    assert (outcome.rows, outcome.generalised, outcome.suppressed) == (5, 5, 0)
    assert outcome.by_rung == {"epci": 5, "departement": 0, "region": 0, "age": 0}


def test_only_the_small_class_moves_a_large_one_keeps_its_commune():
    source = rows(6, LYON) + rows(3, VILLEURBANNE) + rows(2, SAINT_ETIENNE) + rows(1, CLERMONT)
    source += rows(2, NO_EPCI)
    kept, outcome = k_anonymise(source, k=K, bands=BANDS)
    written = {row.pseudonym: w for row, w in kept}
    assert all(written[row.pseudonym].geo_code == "69123" for row in source[:6])
    # Villeurbanne's 3 climb to the EPCI (3), then the department (3): still too small, then
    # the region with the others still too small: 3 + 2 + 1 + 2 = 8.
    assert {written[row.pseudonym].geo_code for row in source[6:]} == {"84"}
    assert (outcome.rows, outcome.generalised, outcome.suppressed) == (14, 8, 0)


def test_wide_age_bands_come_after_the_region():
    # Two 40-54 and three 55-64 women with breast cancer spread over the region: 26-64 at the
    # region level holds 5.
    source = rows(2, LYON, age=45) + rows(3, CLERMONT, age=60)
    kept, outcome = k_anonymise(source, k=K, bands=BANDS)
    assert {(w.geo_code, w.age_band.label) for _r, w in kept} == {("84", "26-64")}
    assert outcome.by_rung["age"] == 5


def test_a_row_that_cannot_reach_k_is_suppressed_and_counted():
    source = rows(K, LYON) + rows(1, LYON, sex="M", site="prostate")
    kept, outcome = k_anonymise(source, k=K, bands=BANDS)
    assert len(kept) == K
    assert all(w.sex == "F" for _r, w in kept)
    assert (outcome.source_rows, outcome.rows, outcome.suppressed) == (6, 5, 1)


def test_k_counts_distinct_patients_not_rows():
    # Five pathways of only three patients: not five people.
    source = [*rows(3, LYON), *rows(2, LYON)]
    kept, outcome = k_anonymise(source, k=K, bands=BANDS)
    assert kept == []
    assert outcome.suppressed == 5


@pytest.mark.parametrize("seed", range(25))
def test_every_written_class_holds_at_least_k_patients(seed):
    rng = random.Random(seed)
    places = [LYON, VILLEURBANNE, SAINT_ETIENNE, NO_EPCI, CLERMONT]
    source = []
    for i in range(rng.randint(0, 150)):
        qi = QuasiIdentifiers(
            BANDS.band(rng.randint(0, 95)),
            rng.choice("FMU"),
            rng.choice(places),
            rng.choice(["breast", "lung", "other", "unknown"]),
        )
        # Some patients have two pathways.
        source.append(Row(f"p{rng.randint(0, i)}", qi))
    k = rng.choice([5, 6, 10])
    kept, outcome = k_anonymise(source, k=k, bands=BANDS)
    assert all(len(patients) >= k for patients in classes(kept).values())
    assert outcome.rows + outcome.suppressed == outcome.source_rows == len(source)
    assert outcome.rows == len(kept)
    assert outcome.generalised == sum(outcome.by_rung.values())


# Rows and files

SOURCE = PathwaySource(
    patient_public_id=UUID("12345678-1234-5678-1234-567812345678"),
    birth_date=date(1961, 3, 14),
    sex="F",
    place=LYON,
    cancer_site="C50.4",
    structure_public_id=UUID("87654321-4321-8765-4321-876543218765"),
    structure_name="=Association",
    prescriber_specialty="oncology",
    prescription_date=date(2026, 5, 4),
    active_treatment_end_date=date(2026, 1, 15),
    first_assessment_date=date(2026, 5, 20),
    eligibility="eligible",
    failure_codes=["PSG-03", "PSG-01", "PSG-03"],
    status="active",
    done_by_kind={"apa_assessment": 1, "psy_followup": 2},
    no_shows=1,
    spent=Decimal("90"),
    cap=Decimal("180.00"),
    measures={
        "six_minute_walk": [Decimal("412"), Decimal("455")],
        "hads_anxiety": [Decimal("9")],
        "bmi": [Decimal("27.4"), Decimal("26.6")],
    },
    reports_sent={"prescriber": 2},
)


def test_a_row_keeps_coarse_values_only():
    row = build_row(SOURCE, pepper="poivre", bands=BANDS)
    kept, _outcome = k_anonymise([row] * 1, k=1, bands=BANDS)
    record = dict(zip(COLUMN_NAMES, csv_record(row, kept[0][1], BANDS), strict=True))
    assert record["pseudonyme"] == pseudonym(SOURCE.patient_public_id, "poivre")
    assert record["tranche_age"] == "65-74"  # 65 on 4 May 2026
    assert record["groupe_age"] == "adult"
    assert (record["niveau_geo"], record["code_geo"]) == ("commune", "69123")
    assert record["localisation_cancer"] == "breast"
    assert record["trimestre_prescription"] == "2026-T2"
    assert record["regles_non_respectees"] == "PSG-01|PSG-03"
    # 15 January → 4 May 2026 = 109 days; 4 → 20 May = 16 days.
    assert record["delai_fin_traitement_prescription_j"] == "109"
    assert record["delai_prescription_premier_bilan_j"] == "16"
    assert (
        record["bilans_apa"],
        record["suivis_psychologiques"],
        record["suivis_dietetiques"],
    ) == (
        "1",
        "2",
        "0",
    )
    assert (record["depense_eur"], record["plafond_eur"]) == ("90,00", "180,00")
    # I-11: two reports reached the prescriber, none the GP (no consent, no address…).
    assert (
        record["comptes_rendus_envoyes_prescripteur"],
        record["comptes_rendus_envoyes_medecin_traitant"],
    ) == ("2", "0")
    assert (record["tm6_premier_m"], record["tm6_dernier_m"]) == ("410", "460")
    # One HADS only: no "last" measure; BMI rounded to the unit.
    assert (record["hads_a_premier"], record["hads_a_dernier"]) == ("9", "")
    assert (record["imc_premier"], record["imc_dernier"]) == ("27", "27")
    assert "1961" not in ";".join(record.values())
    assert "14/03" not in ";".join(record.values())


def test_the_zip_holds_the_data_the_dictionary_and_a_french_readme(tmp_path: Path):
    row = build_row(SOURCE, pepper="poivre", bands=BANDS)
    kept, outcome = k_anonymise([row], k=1, bands=BANDS)
    data = tmp_path / "donnees.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = files.csv_writer(handle)
        writer.writerow(files.defused(csv_record(row, kept[0][1], BANDS)))
    readme = files.readme(
        year=2026,
        generated_at=datetime(2027, 1, 5, 9, 30),
        k=5,
        outcome=outcome,
        excluded_objections=2,
    )
    target = io.BytesIO()
    files.write_zip(
        target,
        data_path=data,
        extras=[(files.DICTIONARY_NAME, files.dictionary_csv()), (files.README_NAME, readme)],
    )
    archive = zipfile.ZipFile(target)
    assert sorted(archive.namelist()) == ["LISEZMOI.md", "dictionnaire.csv", "donnees.csv"]
    content = archive.read("donnees.csv").decode("utf-8")
    assert content.startswith("\ufeffpseudonyme;tranche_age;")
    lines = list(csv.reader(io.StringIO(content.lstrip("\ufeff")), delimiter=";"))
    assert lines[0] == list(COLUMN_NAMES)
    # An organisation name that starts like a formula is defused.
    assert lines[1][COLUMN_NAMES.index("structure_nom")] == "'=Association"
    dictionary = archive.read("dictionnaire.csv").decode("utf-8").lstrip("\ufeff")
    documented = [line[0] for line in csv.reader(io.StringIO(dictionary), delimiter=";")][1:]
    assert documented == list(COLUMN_NAMES)
    text = archive.read("LISEZMOI.md").decode("utf-8")
    assert "k = 5" in text
    assert "Lignes supprimées (classe restée inférieure à k) : 0" in text
    assert "opposition (consentement « évaluation » retiré) : 2" in text
    assert "poivre" in text
    assert "jamais exporté" in text
    assert set(QUASI_IDENTIFIERS) == {
        "tranche_age",
        "sexe",
        "niveau_geo",
        "code_geo",
        "localisation_cancer",
    }
    assert Outcome().as_dict()["rows"] == 0


def _import_base_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ONCOPARCOURS_EXPORT_")}
    return subprocess.run(
        [sys.executable, "-c", "import config.settings.base"],
        env={**clean, "ONCOPARCOURS_SECRET_KEY": "x", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_require_the_pepper_and_a_k_of_at_least_5():
    missing = _import_base_settings()
    assert missing.returncode != 0
    assert "ONCOPARCOURS_EXPORT_PEPPER is required" in missing.stderr
    low_k = _import_base_settings(ONCOPARCOURS_EXPORT_PEPPER="p", ONCOPARCOURS_EXPORT_K="4")
    assert "ONCOPARCOURS_EXPORT_K must be at least 5" in low_k.stderr
    assert _import_base_settings(ONCOPARCOURS_EXPORT_PEPPER="p").returncode == 0
