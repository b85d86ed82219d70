"""A statement as documents: CSV for spreadsheets, PDF to send or print.

The CSV follows the directory export's conventions: ``;`` separator, UTF-8 with a BOM (Excel),
French decimal comma, and cells that start like a formula written with a leading ``'``. Both
show the patient as initials only, with the pathway's short reference.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape as markup_escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from oncoparcours.directory.services.csv_columns import escape
from oncoparcours.pathways.hooks import reference
from oncoparcours.pathways.models import Act
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.patients.models import Patient
from oncoparcours.payments.models import PayableLine, Statement

CSV_HEADERS = (
    "Structure",
    "Professionnel",
    "Mois",
    "Date de la prestation",
    "Prestation",
    "Parcours",
    "Patient",
    "Montant (€)",
    "Correction",
    "Motif",
)


def _amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def _month_label(statement: Statement) -> str:
    return formats.date_format(statement.month, "F Y")


def statement_total(statement: Statement, lines: Sequence[PayableLine]) -> Decimal:
    """The stored total once validated; the sum of the lines while draft."""
    if statement.total is not None:
        return statement.total
    return sum((line.amount for line in lines), Decimal("0.00"))


def patient_initials(patient: Patient) -> str:
    """Initials only ("M. D."): a statement leaves the structure (accounting, the
    professional) and needs no more to match an act."""
    family = patient.used_name or patient.birth_name
    return f"{patient.first_given_name[:1].upper()}. {family[:1].upper()}."


@dataclass(frozen=True)
class LineRow:
    """One line as every document shows it (page, API, CSV, PDF)."""

    line: PayableLine
    done_on: str
    prestation: str
    pathway_reference: str
    patient: str
    amount: str
    correction: str
    reason: str


def line_row(line: PayableLine) -> LineRow:
    act = line.act
    return LineRow(
        line=line,
        done_on=f"{timezone.localdate(act.done_at):%d/%m/%Y}" if act.done_at else "",
        prestation=str(PRESTATIONS[act.kind].label) if act.kind in PRESTATIONS else act.kind,
        pathway_reference=reference(act.pathway),
        patient=patient_initials(act.pathway.patient),
        amount=_amount(line.amount),
        correction=_("Annulation de la prestation") if line.is_correction else "",
        reason=line.reason,
    )


@dataclass(frozen=True)
class ActRow:
    """A done act that no line pays (no contract in force that day)."""

    act: Act
    done_on: str
    prestation: str
    professional: str
    pathway_reference: str
    patient: str


def act_row(act: Act) -> ActRow:
    return ActRow(
        act=act,
        done_on=f"{timezone.localdate(act.done_at):%d/%m/%Y}" if act.done_at else "",
        prestation=str(PRESTATIONS[act.kind].label) if act.kind in PRESTATIONS else act.kind,
        professional=act.professional.get_full_name(),
        pathway_reference=reference(act.pathway),
        patient=patient_initials(act.pathway.patient),
    )


def _line_cells(line: PayableLine) -> list[str]:
    row = line_row(line)
    return [
        row.done_on,
        row.prestation,
        row.pathway_reference,
        row.patient,
        row.amount,
        row.correction,
        row.reason,
    ]


def statement_csv(statement: Statement, lines: Sequence[PayableLine]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_HEADERS)
    head = [
        statement.structure.name,
        statement.professional.get_full_name(),
        f"{statement.month:%m/%Y}",
    ]
    for line in lines:
        writer.writerow([escape(cell) for cell in head + _line_cells(line)])
    writer.writerow(
        [escape(cell) for cell in head]
        + ["", _("Total"), "", "", _amount(statement_total(statement, lines)), "", ""]
    )
    return "\ufeff" + buffer.getvalue()


def statement_filename(statement: Statement, extension: str) -> str:
    return f"releve-{statement.month:%Y-%m}-{str(statement.public_id)[:8]}.{extension}"


def _status_text(statement: Statement) -> str:
    text = str(statement.get_status_display())
    if statement.validated_at:
        text += " — " + _("validé le %(date)s") % {
            "date": f"{timezone.localtime(statement.validated_at):%d/%m/%Y}"
        }
    if statement.paid_on:
        text += " — " + _("payé le %(date)s (référence %(ref)s)") % {
            "date": f"{statement.paid_on:%d/%m/%Y}",
            "ref": statement.payment_reference,
        }
    return text


def statement_pdf(statement: Statement, lines: Sequence[PayableLine]) -> bytes:
    """A4, French labels: the structure, the professional, the month, the lines, the total,
    the status and when the document was generated."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=_("Relevé de paiement"),
        author=statement.structure.name,
    )
    # Paragraphs read a markup: names and references are escaped ("&", "<").
    facts = (
        _("Structure porteuse : %s") % statement.structure.name,
        _("Professionnel : %s") % statement.professional.get_full_name(),
        _("Mois : %s") % _month_label(statement),
        _("Statut : %s") % _status_text(statement),
    )
    story: list[Flowable] = [
        Paragraph(_("Relevé de paiement des prestations"), styles["Title"]),
        *(Paragraph(markup_escape(fact), styles["Normal"]) for fact in facts),
        Spacer(1, 6 * mm),
    ]
    rows: list[list[str | Flowable]] = [
        [_("Date"), _("Prestation"), _("Parcours"), _("Patient"), _("Montant (€)")]
    ]
    cell = styles["BodyText"]
    for line in lines:
        date_text, label, ref, initials, amount, correction, _reason = _line_cells(line)
        if correction:
            label = f"{correction} : {label}"
        rows.append([date_text, Paragraph(markup_escape(label), cell), ref, initials, amount])
    rows.append(["", _("Total"), "", "", _amount(statement_total(statement, lines))])
    table = Table(rows, colWidths=[24 * mm, 80 * mm, 24 * mm, 20 * mm, 26 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.5, colors.black),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table)
    if not lines:
        story.append(Paragraph(_("Aucune ligne."), styles["Normal"]))
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            _("Document généré le %s.") % f"{timezone.localtime():%d/%m/%Y à %H:%M}",
            styles["Italic"],
        ),
    ]
    doc.build(story)
    return buffer.getvalue()
