"""The submitted report as the ARS receives it: a French A4 PDF (``core.pdf``) and an XLSX
workbook (openpyxl), both drawn from the frozen content and the coordinator's comments only
(no query), so that they are written in the submitting transaction."""

from datetime import date
from decimal import Decimal
from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from oncoparcours.core.pdf import PdfDocument, french_date, french_number
from oncoparcours.evaluation.annual_reports.content import (
    CONVENTIONS,
    FUNDING,
    FUNDING_FIELDS,
    funding_labels,
    section_titles,
)
from oncoparcours.evaluation.models import AnnualReport


def _title(report: AnnualReport) -> str:
    return _("Rapport annuel %(year)s à l'ARS — version %(version)s") % {
        "year": report.year,
        "version": report.version,
    }


def _euros(value: str) -> str:
    # 1 234,50 € (cents always shown: these are accounts).
    text = f"{Decimal(value):,.2f}".replace(",", "\u00a0").replace(".", ",")
    return f"{text} €"


def _fraction(item: dict[str, Any]) -> str:
    if item["numerator"] is None or item["denominator"] is None:
        return ""
    return f"{french_number(item['numerator'])} / {item['denominator']}"


def _status_line(report: AnnualReport) -> str:
    if report.submitted_at is None:
        return _("Brouillon (non soumis)")
    return _("Soumis à l'ARS le %(day)s") % {
        "day": french_date(timezone.localdate(report.submitted_at))
    }


def report_pdf(report: AnnualReport) -> bytes:
    content = report.content
    titles = section_titles(content)
    comments = report.comments
    issued = (
        timezone.localdate(report.submitted_at) if report.submitted_at else timezone.localdate()
    )
    doc = PdfDocument(
        title=_title(report), structure_name=content["structure"]["name"], issued_on=issued
    )
    doc.heading(_title(report))
    doc.key_values(
        [
            (_("Structure porteuse"), content["structure"]["name"]),
            (_("Année"), content["year"]),
            (_("Version"), report.version),
            (_("Statut"), _status_line(report)),
        ]
    )
    if report.overall_comment:
        doc.heading(_("Commentaire général de la structure"), 2)
        doc.paragraph(report.overall_comment)

    doc.heading(titles[CONVENTIONS], 2)
    if content["conventions"]:
        doc.table(
            [_("Référence"), _("Du"), _("Au"), _("Patients attendus / an"), _("Rapport dû le")],
            [
                [
                    c["reference"],
                    french_date(_date(c["start_date"])),
                    french_date(_date(c["end_date"])),
                    c["expected_patients_per_year"],
                    french_date(_date(c["report_due"])),
                ]
                for c in content["conventions"]
            ],
        )
    else:
        doc.paragraph(_("Aucune convention signée ne couvre cette année."))
    _pdf_comment(doc, comments.get(CONVENTIONS))

    doc.heading(titles[FUNDING], 2)
    labels = funding_labels()
    funding = content["funding"]
    doc.key_values(
        [(labels[name], _euros(funding[name])) for name in FUNDING_FIELDS]
        + [(labels["pathways"], funding["pathways"])],
        key_width=0.55,
    )
    _pdf_comment(doc, comments.get(FUNDING))

    doc.heading(_("Indicateurs"), 2)
    for item in content["indicators"]:
        doc.heading(titles[item["code"]], 3)
        rows = [[_("Valeur"), item["text"], _fraction(item), item["reason"]]]
        rows += [[p["label"], p["text"], _fraction(p), p["reason"]] for p in item["parts"]]
        doc.table(
            [_("Détail"), _("Valeur"), _("Numérateur / dénominateur"), _("Motif")],
            rows,
            widths=[0.34, 0.18, 0.18, 0.30],
        )
        _pdf_comment(doc, comments.get(item["code"]))
    return doc.build()


def _date(text: str) -> date:
    return date.fromisoformat(text)


def _pdf_comment(doc: PdfDocument, text: str | None) -> None:
    if text:
        doc.paragraph(_("Commentaire de la structure : %(text)s") % {"text": text})


def report_xlsx(report: AnnualReport) -> bytes:
    """Three sheets: the indicators (one row per value and detail), the conventions and
    funding, the comments. Numbers as numbers, so the ARS can sum the structures."""
    content = report.content
    titles = section_titles(content)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Indicateurs")
    bold = Font(bold=True)
    sheet.append([_title(report)])
    sheet["A1"].font = bold
    sheet.append([_("Structure porteuse"), content["structure"]["name"]])
    sheet.append([_("Statut"), _status_line(report)])
    sheet.append([])
    headers = [
        _("Indicateur"),
        _("Détail"),
        _("Valeur"),
        _("Unité"),
        _("Numérateur"),
        _("Dénominateur"),
        _("Motif si non calculable"),
        _("Commentaire de la structure"),
    ]
    sheet.append(headers)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for item in content["indicators"]:
        title = titles[item["code"]]
        sheet.append(_xlsx_row(title, "", item, report.comments.get(item["code"], "")))
        for part in item["parts"]:
            sheet.append(_xlsx_row(title, part["label"], part, ""))
    for column, width in zip("ABCDEFGH", (40, 36, 12, 14, 12, 12, 40, 60), strict=True):
        sheet.column_dimensions[column].width = width

    funding_sheet = book.create_sheet(_("Conventions et financement"))
    funding_sheet.append(
        [_("Référence"), _("Du"), _("Au"), _("Patients attendus / an"), _("Rapport dû le")]
    )
    for c in content["conventions"]:
        funding_sheet.append(
            [
                c["reference"],
                _date(c["start_date"]),
                _date(c["end_date"]),
                c["expected_patients_per_year"],
                _date(c["report_due"]),
            ]
        )
    funding_sheet.append([])
    labels = funding_labels()
    for name in FUNDING_FIELDS:
        funding_sheet.append([labels[name], Decimal(content["funding"][name])])
        funding_sheet.cell(funding_sheet.max_row, 2).number_format = '#,##0.00 "€"'
    funding_sheet.append([labels["pathways"], content["funding"]["pathways"]])
    funding_sheet.column_dimensions["A"].width = 48

    comments_sheet = book.create_sheet(_("Commentaires"))
    comments_sheet.append([_("Section"), _("Commentaire de la structure")])
    comments_sheet.append([_("Commentaire général"), report.overall_comment])
    for code, title in titles.items():
        if report.comments.get(code):
            comments_sheet.append([title, report.comments[code]])
    comments_sheet.column_dimensions["A"].width = 40
    comments_sheet.column_dimensions["B"].width = 100
    for row in comments_sheet.iter_rows():
        row[1].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _xlsx_row(title: str, detail: str, item: dict[str, Any], comment: str) -> list[Any]:
    return [
        title,
        detail,
        None if item["value"] is None else Decimal(item["value"]),
        item["unit"],
        None if item["numerator"] is None else Decimal(item["numerator"]),
        item["denominator"],
        item["reason"],
        comment,
    ]
