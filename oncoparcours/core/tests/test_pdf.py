from datetime import date
from io import BytesIO

from pypdf import PdfReader

from oncoparcours.core.pdf import PdfDocument, escape, french_date, french_number


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def test_french_text_survives_helvetica_winansi():
    doc = PdfDocument(
        title="Compte rendu", structure_name="Après-Cancer", issued_on=date(2026, 6, 15)
    )
    doc.paragraph("Cœur, œuvre, 12,50 €, « très » élevé — à l\u2019été… Ç, ï, û, ù")
    (page,) = _text(doc.build())
    assert "Cœur, œuvre, 12,50 €, « très » élevé — à l\u2019été… Ç, ï, û, ù" in page


def test_markup_in_text_is_shown_not_interpreted():
    doc = PdfDocument(title="T", structure_name="S", issued_on=date(2026, 6, 15))
    doc.heading("Dupont & <b>fils</b>")
    doc.key_values([("Clé <i>", "a < b & c > d"), ("Vide", None)])
    doc.table(["Colonne"], [["<script>"]])
    (page,) = _text(doc.build())
    assert "Dupont & <b>fils</b>" in page
    assert "a < b & c > d" in page
    assert "<script>" in page
    assert "—" in page


def test_every_page_has_the_header_and_the_numbered_confidential_footer():
    doc = PdfDocument(
        title="Compte rendu de bilan",
        structure_name="Association Après-Cancer Lyon",
        issued_on=date(2026, 12, 1),
    )
    for n in range(120):
        doc.paragraph(f"Ligne {n}")
    pages = _text(doc.build())
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Association Après-Cancer Lyon" in page
        assert "Compte rendu de bilan" in page
        assert "1er décembre 2026" in page
        assert "Document médical confidentiel" in page
        assert f"page {number}/{len(pages)}" in page


def test_helpers_write_french_dates_and_numbers():
    assert french_date(date(2026, 6, 15)) == "15 juin 2026"
    assert french_date(date(2026, 3, 1)) == "1er mars 2026"
    assert french_number("18.500") == "18,5"
    assert french_number("523.000") == "523"
    assert french_number(12) == "12"
    assert escape("a\nb & c\u202fd") == "a<br/>b &amp; c\u00a0d"
