"""French A4 documents drawn with reportlab's platypus: reports, APA projects, statements.

``PdfDocument`` collects flowables (headings, paragraphs, key/value and data tables) and
``build()`` returns the PDF bytes, each page with the same header (structure, title, date in
French) and footer ("Document médical confidentiel", "page 1/2").

Every text goes through ``escape``: platypus reads paragraphs as a small XML markup, so a
patient named "<b>" or an "&" in an observation must not change the document. The standard
Helvetica fonts (no file to ship) cover French in their WinAnsi encoding: accents, œ, €, « »,
the typographic apostrophe, — and … (a test reads them back); narrow no-break spaces, which French number formatting may
produce but WinAnsi lacks, become ordinary no-break spaces.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape as _xml_escape

from django.utils import formats, translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

CONFIDENTIAL = "Document médical confidentiel"
MARGIN = 18 * mm
HEADER_SPACE = 22 * mm
FOOTER_SPACE = 14 * mm
FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
GREY = colors.HexColor("#666666")
LINE = colors.HexColor("#bbbbbb")
HEAD_FILL = colors.HexColor("#eeeeee")

# Characters outside WinAnsi that French text commonly carries, mapped to ones inside it.
_WINANSI_FRIENDLY = str.maketrans(
    {
        "\u202f": "\u00a0",  # narrow no-break space (French thousands, before ; : ! ?)
        "\u2009": " ",  # thin space
        "\u2007": "\u00a0",  # figure space
        "\u2011": "-",  # non-breaking hyphen
    }
)


def escape(text: object) -> str:
    """Plain text as platypus markup: XML-escaped, line breaks kept, WinAnsi-friendly."""
    value = "" if text is None else str(text)
    value = value.translate(_WINANSI_FRIENDLY)
    return _xml_escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def french_date(day: date) -> str:
    """3 décembre 2026 (1er for the first day of a month, as French writes it)."""
    with translation.override("fr"):
        text = formats.date_format(day, "j F Y")
    return f"1er{text[1:]}" if day.day == 1 else text


def french_number(value: object) -> str:
    """Decimal comma, no trailing zeros: Decimal("18.500") → "18,5", "523.000" → "523"."""
    text = str(value)
    if "." in text and "e" not in text.lower():
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["Normal"], fontName=FONT, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=GREY),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=9),
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19, spaceAfter=6
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=12,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=10.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=2,
        ),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }


def _numbered_canvas(header: "_Header") -> type[Canvas]:
    """A canvas that draws header and footer once the page count is known ("page 1/3")."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()  # type: ignore[attr-defined]

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                header.draw(self, self._pageNumber, total)  # type: ignore[attr-defined]
                super().showPage()
            super().save()

    return NumberedCanvas


@dataclass(frozen=True)
class _Header:
    structure: str
    title: str
    issued_on: date

    def draw(self, canvas: Canvas, page: int, total: int) -> None:
        width, height = A4
        canvas.saveState()
        top = height - MARGIN
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawString(MARGIN, top, self.structure.translate(_WINANSI_FRIENDLY))
        canvas.setFont(FONT, 9)
        canvas.drawRightString(width - MARGIN, top, french_date(self.issued_on))
        canvas.setFont(FONT, 9)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, top - 12, self.title.translate(_WINANSI_FRIENDLY))
        canvas.setStrokeColor(LINE)
        canvas.line(MARGIN, top - 18, width - MARGIN, top - 18)
        bottom = MARGIN - 6 * mm
        canvas.line(MARGIN, bottom + 10, width - MARGIN, bottom + 10)
        canvas.setFont(FONT, 8)
        canvas.drawString(MARGIN, bottom, CONFIDENTIAL)
        canvas.drawRightString(width - MARGIN, bottom, f"page {page}/{total}")
        canvas.restoreState()


@dataclass
class PdfDocument:
    """One document: add blocks in reading order, then ``build()``."""

    title: str
    structure_name: str
    issued_on: date
    author: str = "OncoParcours"
    flowables: list[Flowable] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.styles = _styles()

    @property
    def frame_width(self) -> float:
        return float(A4[0] - 2 * MARGIN)

    def heading(self, text: str, level: int = 1) -> None:
        self.flowables.append(Paragraph(escape(text), self.styles[f"h{min(max(level, 1), 3)}"]))

    def paragraph(self, text: str, *, small: bool = False) -> None:
        if str(text).strip():
            style = self.styles["small" if small else "body"]
            self.flowables.append(Paragraph(escape(text), style))

    def spacer(self, height_mm: float = 4) -> None:
        self.flowables.append(Spacer(1, height_mm * mm))

    def key_values(self, rows: Sequence[tuple[str, object]], *, key_width: float = 0.35) -> None:
        """Label → value lines (a value None or "" shows "—")."""
        if not rows:
            return
        cell = self.styles["cell"]
        head = self.styles["cell_head"]
        data = [
            [Paragraph(escape(key), head), Paragraph(escape(_shown(value)), cell)]
            for key, value in rows
        ]
        widths = [self.frame_width * key_width, self.frame_width * (1 - key_width)]
        table = Table(data, colWidths=widths, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, LINE),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        self.flowables.append(table)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        *,
        widths: Sequence[float] | None = None,
    ) -> None:
        """A data table with a header row repeated on each page; ``widths`` as fractions."""
        cell = self.styles["cell"]
        head = self.styles["cell_head"]
        data = [[Paragraph(escape(h), head) for h in headers]]
        data += [[Paragraph(escape(_shown(value)), cell) for value in row] for row in rows]
        col_widths = [self.frame_width * w for w in widths] if widths else None
        table = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
                    ("GRID", (0, 0), (-1, -1), 0.25, LINE),
                ]
            )
        )
        self.flowables.append(table)

    def build(self) -> bytes:
        buffer = BytesIO()
        template = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN + HEADER_SPACE - 8 * mm,
            bottomMargin=MARGIN + FOOTER_SPACE - 8 * mm,
            title=self.title,
            author=self.author,
            creator="OncoParcours",
            lang="fr-FR",
        )
        header = _Header(self.structure_name, self.title, self.issued_on)
        template.build(self.flowables or [Spacer(1, 1)], canvasmaker=_numbered_canvas(header))
        return buffer.getvalue()


def _shown(value: object) -> str:
    if value is None or value == "":
        return "—"
    return str(value)
