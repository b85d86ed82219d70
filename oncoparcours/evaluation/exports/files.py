"""The files of the export: the data CSV, its dictionary and a README, zipped. Pure (plain
file objects)."""

import csv
import io
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from oncoparcours.evaluation.exports.columns import COLUMN_NAMES, COLUMNS, QUASI_IDENTIFIERS
from oncoparcours.evaluation.exports.kanon import Outcome

DATA_NAME = "donnees.csv"
DICTIONARY_NAME = "dictionnaire.csv"
README_NAME = "LISEZMOI.md"
# Spreadsheets run a cell that starts like a formula; organisation names are typed by people.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_COLUMNS = frozenset({"structure_nom"})


def csv_writer(handle: TextIO) -> Any:
    """A writer in the French spreadsheet convention (";", CRLF), after the BOM and header."""
    handle.write("\ufeff")
    writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    return writer


def defused(record: list[str]) -> list[str]:
    return [
        f"'{value}" if name in TEXT_COLUMNS and value.startswith(_FORMULA_START) else value
        for name, value in zip(COLUMN_NAMES, record, strict=True)
    ]


def dictionary_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["colonne", "type", "quasi_identifiant", "description"])
    for column in COLUMNS:
        writer.writerow(
            [
                column.name,
                column.kind,
                "oui" if column.quasi_identifier else "non",
                column.description,
            ]
        )
    return "\ufeff" + buffer.getvalue()


def readme(
    *, year: int, generated_at: datetime, k: int, outcome: Outcome, excluded_objections: int
) -> str:
    by_step = outcome.by_rung
    lines = [
        f"# Export pseudonymisé d'évaluation du parcours de soins global après cancer — {year}",
        "",
        "- Source : plateforme OncoParcours, parcours dont la prescription date de "
        f"{year} (un parcours par ligne).",
        f"- Produit le : {generated_at:%d/%m/%Y à %H:%M} (heure de Paris).",
        f"- k-anonymat : chaque combinaison de quasi-identifiants ({', '.join(QUASI_IDENTIFIERS)}) "
        f"concerne au moins k = {k} patients distincts.",
        f"- Parcours lus : {outcome.source_rows} ; lignes exportées : {outcome.rows}.",
        f"- Lignes généralisées : {outcome.generalised} (commune → EPCI : {by_step['epci']}, "
        f"→ département : {by_step['departement']}, → région : {by_step['region']}, "
        f"tranche d'âge élargie : {by_step['age']}).",
        f"- Lignes supprimées (classe restée inférieure à k) : {outcome.suppressed}.",
        f"- Patients exclus pour opposition (consentement « évaluation » retiré) : "
        f"{excluded_objections}.",
        "",
        "Aucun identifiant direct : ni nom, ni date de naissance, ni NIR/INS, ni coordonnées, "
        "ni adresse, ni texte libre. Le pseudonyme est un HMAC-SHA256 calculé avec un secret "
        "(poivre) qui n'est jamais exporté ; il ne permet pas de ré-identifier un patient hors "
        "de la plateforme.",
        "",
        f"Fichiers : `{DATA_NAME}` (séparateur « ; », UTF-8 avec BOM, virgule décimale), "
        f"`{DICTIONARY_NAME}` (description de chaque colonne).",
        "",
        "Ne pas tenter de ré-identifier les personnes ni croiser ces données avec d'autres "
        "sources nominatives (méthodologie de référence MR-004).",
        "",
    ]
    return "\n".join(lines)


def write_zip(target: BinaryIO, *, data_path: Path, extras: Iterable[tuple[str, str]]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(data_path, DATA_NAME)
        for name, text in extras:
            archive.writestr(name, text.encode("utf-8"))
