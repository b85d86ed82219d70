"""Reading an uploaded file: its encoding, delimiter and header, then one ``Row`` of raw cells
per non-empty line. A file-level problem (encoding, unknown or missing columns, too many
lines) stops here, before any row is checked."""

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from oncoparcours.directory.services.csv_columns import BY_HEADER, COLUMNS, header_key
from oncoparcours.directory.services.csv_io.report import ImportReport, RowError

MAX_ROWS = 20_000


def _decode(file: bytes | str | IO[bytes]) -> str:
    if isinstance(file, str):
        return file.lstrip("\ufeff")
    raw = file if isinstance(file, bytes) else file.read()
    return raw.decode("utf-8-sig")


def _sniff_delimiter(text: str) -> str:
    """``;`` unless the header line only has commas (a file saved by another tool)."""
    header = text.split("\n", 1)[0]
    return "," if ";" not in header and "," in header else ";"


@dataclass
class Row:
    number: int
    cells: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # Fields whose cell could not be read: their error is already said once.
    unreadable: set[str] = field(default_factory=set)

    def error(self, column: str | None, code: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, code, message))


def read_rows(file: bytes | str | IO[bytes], report: ImportReport) -> list[Row]:
    def file_error(code: str, message: str, column: str | None = None) -> list[Row]:
        report.file_errors.append(RowError(None, column, code, message))
        return []

    try:
        text = _decode(file)
    except UnicodeDecodeError:
        return file_error(
            "directory.csv.encoding",
            _("Le fichier n'est pas en UTF-8 : enregistrez-le au format « CSV UTF-8 »."),
        )
    if not text.strip():
        return file_error("directory.csv.empty", _("Le fichier est vide."))
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    try:
        lines = list(reader)
    except csv.Error:
        return file_error("directory.csv.malformed", _("Le fichier CSV est mal formé."))
    header = [header_key(cell) for cell in lines[0]]
    unknown = [
        raw for raw, key in zip(lines[0], header, strict=True) if key and key not in BY_HEADER
    ]
    for raw in unknown:
        file_error(
            "directory.csv.unknown_column",
            _("Colonne inconnue : « %(column)s ».") % {"column": raw.strip()},
            raw.strip(),
        )
    seen: set[str] = set()
    for key in header:
        if key in seen and key in BY_HEADER:
            file_error(
                "directory.csv.duplicate_column",
                _("La colonne « %(column)s » apparaît deux fois.") % {"column": key},
                key,
            )
        seen.add(key)
    missing = [c.header for c in COLUMNS if c.required and c.header not in header]
    if missing:
        file_error(
            "directory.csv.missing_columns",
            _("Colonnes obligatoires absentes : %(columns)s. Aucune ligne n'a été importée.")
            % {"columns": ", ".join(missing)},
        )
    body = lines[1:]
    if len(body) > MAX_ROWS:
        file_error(
            "directory.csv.too_many_rows",
            _("Le fichier dépasse %(max)s lignes : découpez-le.") % {"max": MAX_ROWS},
        )
    if report.file_errors:
        return []
    rows: list[Row] = []
    for index, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = Row(number=index, cells={})
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            row.error(
                None,
                "directory.csv.too_many_cells",
                _("La ligne a plus de cellules que l'en-tête n'a de colonnes."),
            )
        for position, key in enumerate(header):
            if key in BY_HEADER:
                row.cells[key] = cells[position] if position < len(cells) else ""
        rows.append(row)
    return rows
