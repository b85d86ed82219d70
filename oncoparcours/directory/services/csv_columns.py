"""The directory's spreadsheet: its columns and how each cell reads and writes (pure).

The annual regional survey is a spreadsheet: one offer per row, French headers, ``;`` as
separator (French Excel's default), UTF-8, several values in one cell separated by ``|``.
What the export writes, the import reads back unchanged (round trip).
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oncoparcours.core.text import fold
from oncoparcours.directory.catalogue import (
    LANGUAGES,
    Audience,
    CareType,
    Cost,
    DeliveryMode,
    GroupFormat,
    Moment,
    Source,
)

MULTI_SEPARATOR = "|"
# A cell starting like a formula is written with a leading apostrophe (spreadsheet formula
# injection), and read back without it.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Kind(StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    MULTI = "multi"
    BOOL = "bool"
    DATE = "date"
    NUMBER = "number"
    ORGANISATION = "organisation"
    PROFESSIONAL = "professional"
    IDENTIFIER = "identifier"


@dataclass(frozen=True)
class Column:
    header: str
    field: str  # the services' input field ("" for the identifier)
    kind: Kind
    required: bool
    help: Any  # lazy French text
    choices: type[TextChoices] | Mapping[str, Any] | None = None


COLUMNS: tuple[Column, ...] = (
    Column(
        "identifiant",
        "",
        Kind.IDENTIFIER,
        False,
        _lazy("Identifiant de l'offre (vide : nouvelle offre)"),
    ),
    Column("intitule", "title", Kind.TEXT, True, _lazy("Intitulé de l'offre")),
    Column("description", "description", Kind.TEXT, False, _lazy("Description")),
    Column(
        "type_soin",
        "care_type",
        Kind.CHOICE,
        True,
        _lazy("Soin de support (code ou libellé)"),
        CareType,
    ),
    Column("publics", "audiences", Kind.MULTI, True, _lazy("Publics, séparés par |"), Audience),
    Column(
        "moment",
        "moment",
        Kind.CHOICE,
        False,
        _lazy("Pendant, après ou pendant et après les traitements"),
        Moment,
    ),
    Column(
        "formats",
        "group_formats",
        Kind.MULTI,
        True,
        _lazy("Individuel et/ou collectif, séparés par |"),
        GroupFormat,
    ),
    Column(
        "modalites",
        "delivery_modes",
        Kind.MULTI,
        True,
        _lazy("Sur place, à distance, à domicile, séparés par |"),
        DeliveryMode,
    ),
    Column("cout", "cost", Kind.CHOICE, True, _lazy("Coût pour la personne"), Cost),
    Column("sur_prescription", "requires_prescription", Kind.BOOL, False, _lazy("oui / non")),
    Column(
        "structure",
        "provider_organisation",
        Kind.ORGANISATION,
        False,
        _lazy("SIRET, FINESS ou identifiant de la structure"),
    ),
    Column(
        "professionnel",
        "provider_professional",
        Kind.PROFESSIONAL,
        False,
        _lazy("RPPS ou identifiant du professionnel"),
    ),
    Column("propose_par", "provider_name", Kind.TEXT, False, _lazy("Nom affiché du fournisseur")),
    Column("adresse", "address", Kind.TEXT, False, _lazy("Adresse")),
    Column("code_postal", "postal_code", Kind.TEXT, False, _lazy("Code postal")),
    Column("code_insee", "commune_insee", Kind.TEXT, True, _lazy("Code INSEE de la commune")),
    Column(
        "latitude", "latitude", Kind.NUMBER, False, _lazy("Latitude de l'adresse (vide : mairie)")
    ),
    Column(
        "longitude",
        "longitude",
        Kind.NUMBER,
        False,
        _lazy("Longitude de l'adresse (vide : mairie)"),
    ),
    Column("accessible_pmr", "accessible", Kind.BOOL, False, _lazy("oui / non")),
    Column(
        "accessibilite",
        "accessibility_notes",
        Kind.TEXT,
        False,
        _lazy("Précisions sur l'accessibilité"),
    ),
    Column("langues", "languages", Kind.MULTI, False, _lazy("Codes de langue (fr|en…)"), LANGUAGES),
    Column("telephone", "phone", Kind.TEXT, False, _lazy("Téléphone")),
    Column("courriel", "email", Kind.TEXT, False, _lazy("Adresse électronique")),
    Column("mssante", "mssante_email", Kind.TEXT, False, _lazy("Adresse MSSanté")),
    Column("site_internet", "website", Kind.TEXT, False, _lazy("Site internet")),
    Column("horaires", "opening_hours", Kind.TEXT, False, _lazy("Horaires")),
    Column(
        "criteres_inclusion",
        "inclusion_criteria_met",
        Kind.BOOL,
        False,
        _lazy("Critères nationaux d'inclusion remplis : oui / non"),
    ),
    Column(
        "verifie_le",
        "last_verified_at",
        Kind.DATE,
        False,
        _lazy("Date de dernière vérification (AAAA-MM-JJ ou JJ/MM/AAAA)"),
    ),
    Column("source", "source", Kind.CHOICE, True, _lazy("Source de l'information"), Source),
)
BY_HEADER = {column.header: column for column in COLUMNS}
BY_FIELD = {column.field: column for column in COLUMNS if column.field}

_TRUE = {"oui", "o", "vrai", "true", "1", "x", "yes"}
_FALSE = {"non", "n", "faux", "false", "0", "", "no"}
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


class CellError(Exception):
    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def header_key(raw: str) -> str:
    """ "Intitulé", " intitule " and "INTITULE" all name the ``intitule`` column."""
    return re.sub(r"[^a-z0-9]+", "_", fold(raw.replace("\ufeff", ""))).strip("_")


def _choice_table(choices: type[TextChoices] | Mapping[str, Any]) -> dict[str, str]:
    """Code or French label, case and accents ignored → code."""
    pairs: Iterable[tuple[str, Any]] = (
        choices.items() if isinstance(choices, Mapping) else choices.choices
    )
    table: dict[str, str] = {}
    for code, label in pairs:
        table[fold(str(label))] = code
        table[fold(code)] = code
    return table


def unescape(cell: str) -> str:
    cell = cell.strip()
    if cell.startswith("'") and cell[1:2] in _FORMULA_STARTS and cell[1:2]:
        return cell[1:]
    return cell


def escape(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def parse_cell(column: Column, cell: str) -> Any:
    """The input value of one cell; raises CellError with a French message."""
    text = unescape(cell)
    if column.kind in (Kind.TEXT, Kind.ORGANISATION, Kind.PROFESSIONAL, Kind.IDENTIFIER):
        return text
    if column.kind == Kind.BOOL:
        key = fold(text)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError(_("Répondez par « oui » ou « non »."), "directory.csv.bool")
    if column.kind == Kind.NUMBER:
        if not text:
            return None
        try:
            return float(text.replace(",", ".").replace(" ", ""))
        except ValueError:
            raise CellError(_("Ce n'est pas un nombre."), "directory.csv.number") from None
    if column.kind == Kind.DATE:
        return _parse_date(text)
    assert column.choices is not None
    table = _choice_table(column.choices)
    if column.kind == Kind.CHOICE:
        if not text:
            return ""
        return _one_choice(table, text)
    parts = [part.strip() for part in text.split(MULTI_SEPARATOR)]
    return [_one_choice(table, part) for part in parts if part]


def _one_choice(table: dict[str, str], text: str) -> str:
    code = table.get(fold(text))
    if code is None:
        raise CellError(
            _("Valeur inconnue : « %(value)s ».") % {"value": text}, "directory.csv.choice"
        )
    return code


def _parse_date(text: str) -> date | None:
    if not text:
        return None
    try:
        french = _FRENCH_DATE.match(text)
        if french:
            day, month, year = (int(part) for part in french.groups())
            return date(year, month, day)
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise CellError(
            _("Date invalide : écrivez AAAA-MM-JJ ou JJ/MM/AAAA."), "directory.csv.date"
        ) from None


def format_value(column: Column, value: Any) -> str:
    """One cell of the export, as ``parse_cell`` reads it back."""
    if value is None:
        return ""
    if column.kind == Kind.BOOL:
        return "oui" if value else "non"
    if column.kind == Kind.MULTI:
        return MULTI_SEPARATOR.join(value)
    if column.kind == Kind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if column.kind == Kind.NUMBER:
        return repr(float(value))
    return escape(str(value))
