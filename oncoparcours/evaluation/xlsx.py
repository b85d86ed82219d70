"""A small XLSX writer for the evaluation downloads (indicators page, dashboard blocks).

Numbers stay numbers in the workbook (the reader sums and charts them); text cells are written
as text, never as formulas: a value starting with "=", "+", "-" or "@" (a structure's name, a
label) is stored as a string with the quote-prefix style, so that a spreadsheet does not
evaluate it (formula injection).
"""

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

Cell = str | int | Decimal | date | None

# Excel refuses sheet titles longer than 31 characters or with these characters.
_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: Sequence[Sequence[Cell]]
    # How many leading rows are headings (bold).
    header_rows: int = 1


def sheet_title(title: str, taken: Iterable[str] = ()) -> str:
    """``title`` made valid and unique among ``taken`` (31 characters, no []:*?/\\)."""
    base = title.translate(_FORBIDDEN).strip()[:31] or "Feuille"
    used = set(taken)
    candidate, n = base, 2
    while candidate in used:
        suffix = f" ({n})"
        candidate = base[: 31 - len(suffix)] + suffix
        n += 1
    return candidate


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    titles: list[str] = []
    for sheet in sheets:
        title = sheet_title(sheet.title, titles)
        titles.append(title)
        worksheet = workbook.create_sheet(title)
        for number, row in enumerate(sheet.rows):
            cells = []
            for value in row:
                # openpyxl writes Decimal and date as numbers and dates (its stubs say less).
                cell = WriteOnlyCell(worksheet, value=value)  # type: ignore[arg-type]
                if isinstance(value, str) and value.startswith(_FORMULA_START):
                    cell.data_type = "s"
                    cell.quotePrefix = True
                if number < sheet.header_rows:
                    cell.font = bold
                cells.append(cell)
            worksheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
