"""CSV export and import of the directory (the annual regional survey is a spreadsheet).

The import checks every row first (dry run or not) and reports, per row, what it would do:
create, update (which fields) or nothing. If any row or the file itself is wrong, nothing is
written; otherwise all rows are applied in one transaction. The update key is the
``identifiant`` column (the offer's public id); a row without one creates an offer.
"""

import csv
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import IO, Any, Literal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.core.errors import Errors, log_refusal
from oncoparcours.core.text import fold
from oncoparcours.directory.models import Offer
from oncoparcours.directory.services.csv_columns import (
    BY_FIELD,
    BY_HEADER,
    COLUMNS,
    CellError,
    Kind,
    format_value,
    header_key,
    parse_cell,
)
from oncoparcours.directory.services.offers import (
    create_validated,
    merged_for_update,
    require_editor,
    update_validated,
)
from oncoparcours.directory.services.validation import (
    DEFAULTS,
    Lookups,
    changed_fields,
    clean_offer,
    offer_form_initial,
)
from oncoparcours.organisations.models import Organisation

MAX_ROWS = 20_000
# (French header, help text, required): what the import page documents.
CSV_COLUMNS = [(column.header, column.help, column.required) for column in COLUMNS]
Action = Literal["create", "update", "unchanged"]


@dataclass(frozen=True)
class RowError:
    row: int | None  # line number in the file (the header is line 1); None: the whole file
    column: str | None
    code: str
    message: str


@dataclass
class RowReport:
    row: int
    action: Action
    public_id: uuid.UUID | None
    title: str
    changed_fields: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[RowReport] = field(default_factory=list)
    file_errors: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def errors(self) -> list[RowError]:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: Action) -> int:
        return sum(1 for row in self.rows if row.action == action and not row.errors)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


# Export


def _organisation_ref(organisation: Organisation) -> str:
    return organisation.siret or organisation.finess_et or str(organisation.public_id)


def _professional_ref(user: User) -> str:
    return user.rpps or str(user.public_id)


def offer_export_csv(offers: Iterable[Offer] | None = None) -> str:
    """Every active offer (or those given), with a BOM so that Excel reads UTF-8."""
    if offers is None:
        offers = (
            Offer.objects.filter(archived_at__isnull=True)
            .select_related("provider_organisation", "provider_professional")
            .order_by("title", "pk")
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    for offer in offers:
        values = offer_form_initial(offer)
        row: list[str] = []
        for column in COLUMNS:
            if column.kind == Kind.IDENTIFIER:
                row.append(str(offer.public_id))
            elif column.kind == Kind.ORGANISATION:
                organisation = offer.provider_organisation
                row.append(_organisation_ref(organisation) if organisation else "")
            elif column.kind == Kind.PROFESSIONAL:
                professional = offer.provider_professional
                row.append(_professional_ref(professional) if professional else "")
            else:
                row.append(format_value(column, values[column.field]))
        writer.writerow(row)
    return "\ufeff" + buffer.getvalue()


# Import


def _decode(file: bytes | str | IO[bytes]) -> str:
    if isinstance(file, str):
        return file.lstrip("\ufeff")
    raw = file if isinstance(file, bytes) else file.read()
    return raw.decode("utf-8-sig")


def _sniff_delimiter(text: str) -> str:
    """``;`` unless the header line only has commas (a file saved by another tool)."""
    header = text.split("\n", 1)[0]
    return "," if ";" not in header and "," in header else ";"


def _resolve_organisations(refs: set[str]) -> dict[str, Organisation]:
    if not refs:
        return {}
    compact = {"".join(ref.split()): ref for ref in refs}
    ids = [key for key in compact if _as_uuid(key) is not None]
    found = Organisation.objects.filter(
        Q(siret__in=compact)
        | Q(finess_et__in=compact)
        | Q(finess_ej__in=compact)
        | Q(public_id__in=ids)
    )
    table: dict[str, Organisation] = {}
    for organisation in found:
        for key in (
            organisation.siret,
            organisation.finess_et,
            organisation.finess_ej,
            str(organisation.public_id),
        ):
            if key in compact:
                table.setdefault(compact[key], organisation)
    return table


def _resolve_professionals(refs: set[str]) -> dict[str, User]:
    if not refs:
        return {}
    compact = {"".join(ref.split()): ref for ref in refs}
    ids = [key for key in compact if _as_uuid(key) is not None]
    table: dict[str, User] = {}
    for user in User.objects.filter(Q(rpps__in=compact) | Q(public_id__in=ids)):
        for key in (user.rpps, str(user.public_id)):
            if key in compact:
                table.setdefault(compact[key], user)
    return table


def _as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass
class _Row:
    number: int
    cells: dict[str, str]
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    # Fields whose cell could not be read: their error is already said once.
    unreadable: set[str] = field(default_factory=set)

    def error(self, column: str | None, code: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, code, message))


def offer_import_csv(
    *, by: Membership, file: bytes | str | IO[bytes], dry_run: bool
) -> ImportReport:
    """Checks the whole file; writes it only when nothing is wrong and ``dry_run`` is False."""
    permission = Errors()
    require_editor(permission, by)
    permission.raise_if_any(where="directory.offer_import_csv", by=by)
    report = ImportReport()
    rows = _read(file, report)
    if report.file_errors:
        _log(report, by)
        return report
    checked = _check_rows(rows)
    report.rows = [item.report for item in checked]
    if not report.ok:
        _log(report, by)
        return report
    if not dry_run:
        with transaction.atomic():
            for item in checked:
                if item.report.action == "create":
                    created = create_validated(
                        item.values, by=by, fields=item.given, data={"via": "csv"}
                    )
                    item.report.public_id = created.public_id
                elif item.report.action == "update" and item.offer is not None:
                    update_validated(item.offer, item.values, by=by, data={"via": "csv"})
        report.applied = True
    return report


@dataclass
class _Checked:
    report: RowReport
    offer: Offer | None
    values: dict[str, Any]
    given: list[str]  # the input fields the row's columns gave


def _log(report: ImportReport, by: Membership) -> None:
    codes = sorted({error.code for error in report.errors})
    log_refusal(where="directory.offer_import_csv", actor=by, codes=codes)


def _read(file: bytes | str | IO[bytes], report: ImportReport) -> list[_Row]:
    def file_error(code: str, message: str, column: str | None = None) -> list[_Row]:
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
    rows: list[_Row] = []
    for index, cells in enumerate(body, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = _Row(number=index, cells={})
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


def _check_rows(rows: list[_Row]) -> list[_Checked]:
    """Parses and validates every row with the reference data fetched once for the file."""
    for row in rows:
        for header, cell in row.cells.items():
            column = BY_HEADER[header]
            try:
                value = parse_cell(column, cell)
            except CellError as exc:
                row.error(header, exc.code, exc.message)
                row.unreadable.add(column.field)
                continue
            if value == "" and column.kind == Kind.CHOICE and not column.required:
                continue  # an empty optional choice keeps the default (or the current value)
            row.data[column.field or "identifiant"] = value

    lookups = Lookups()
    lookups.preload_communes(
        "".join(str(row.data.get("commune_insee", "")).split()).upper() for row in rows
    )
    organisations = _resolve_organisations(
        {r.data["provider_organisation"] for r in rows if r.data.get("provider_organisation")}
    )
    professionals = _resolve_professionals(
        {r.data["provider_professional"] for r in rows if r.data.get("provider_professional")}
    )
    ids = {row.number: _as_uuid(str(row.data.get("identifiant") or "")) for row in rows}
    existing = {
        offer.public_id: offer
        for offer in Offer.objects.filter(
            public_id__in=[i for i in ids.values() if i]
        ).select_related("provider_organisation", "provider_professional")
    }

    results: list[_Checked] = []
    seen_ids: dict[uuid.UUID, int] = {}
    seen_keys: dict[tuple[str, str, str], int] = {}
    for row in rows:
        offer = _row_offer(row, ids[row.number], existing, seen_ids)
        data = {k: v for k, v in row.data.items() if k != "identifiant"}
        _resolve_provider(row, data, "provider_organisation", organisations, _("structure"))
        _resolve_provider(row, data, "provider_professional", professionals, _("professionnel"))
        errors = Errors()
        base = merged_for_update(offer, data) if offer is not None else {**DEFAULTS, **data}
        values = clean_offer(base, errors=errors, lookups=lookups)
        for name, field_errors in errors.by_field.items():
            if name in row.unreadable:
                continue
            column_header = BY_FIELD[name].header if name in BY_FIELD else None
            for error in field_errors:
                message = error.message % error.params if error.params else error.message
                row.error(column_header, error.code or "invalid", str(message))
        action: Action = "create"
        changed: list[str] = []
        if offer is not None:
            changed = changed_fields(offer, values) if not errors.by_field else []
            action = "update" if changed else "unchanged"
        if not row.errors and values["commune"] is not None:
            key = (
                fold(values["title"]),
                fold(values["provider_name"]),
                values["commune"].insee_code,
            )
            if key in seen_keys:
                row.error(
                    None,
                    "directory.csv.duplicate_row",
                    _("Même intitulé, fournisseur et commune que la ligne %(row)s.")
                    % {"row": seen_keys[key]},
                )
            seen_keys.setdefault(key, row.number)
        report = RowReport(
            row=row.number,
            action=action,
            public_id=offer.public_id if offer else None,
            title=str(row.data.get("title") or ""),
            changed_fields=changed,
            errors=row.errors,
        )
        given = [c.field for c in COLUMNS if c.field and c.header in row.cells]
        results.append(_Checked(report, offer, values, given))
    _refuse_existing_duplicates(results)
    return results


def _row_offer(
    row: _Row,
    public_id: uuid.UUID | None,
    existing: dict[uuid.UUID, Offer],
    seen_ids: dict[uuid.UUID, int],
) -> Offer | None:
    raw = str(row.data.get("identifiant") or "")
    if not raw:
        return None
    if public_id is None:
        row.error("identifiant", "directory.csv.identifier", _("Identifiant invalide."))
        return None
    if public_id in seen_ids:
        row.error(
            "identifiant",
            "directory.csv.duplicate_identifier",
            _("Même identifiant que la ligne %(row)s.") % {"row": seen_ids[public_id]},
        )
        return None
    seen_ids[public_id] = row.number
    offer = existing.get(public_id)
    if offer is None:
        row.error(
            "identifiant",
            "directory.csv.unknown_identifier",
            _("Aucune offre n'a cet identifiant : videz la cellule pour créer l'offre."),
        )
    elif offer.archived_at is not None:
        row.error(
            "identifiant",
            "directory.offer.archived",
            _("Cette offre est archivée : elle ne peut plus être modifiée."),
        )
        return None
    return offer


def _resolve_provider(
    row: _Row, data: dict[str, Any], name: str, table: dict[str, Any], label: str
) -> None:
    if name not in data:
        return
    ref = data[name]
    if not ref:
        data[name] = None
        return
    found = table.get(ref)
    if found is None:
        row.error(
            BY_FIELD[name].header,
            f"directory.csv.unknown_{name}",
            _("Aucun(e) %(what)s ne correspond à « %(ref)s ».") % {"what": label, "ref": ref},
        )
        data.pop(name)
        return
    data[name] = found


def _refuse_existing_duplicates(results: list[_Checked]) -> None:
    """A new row identical to an active offer would duplicate it: the survey re-imported
    without identifiers. One query over the file's communes."""
    creating = [
        (item.report, item.values)
        for item in results
        if item.offer is None and not item.report.errors
    ]
    if not creating:
        return
    communes = {values["commune"].insee_code for _report, values in creating}
    known: dict[tuple[str, str, str], uuid.UUID] = {}
    for title, provider, commune, public_id in Offer.objects.filter(
        archived_at__isnull=True, commune_id__in=communes
    ).values_list("title", "provider_name", "commune_id", "public_id"):
        known.setdefault((fold(title), fold(provider), commune), public_id)
    for report, values in creating:
        key = (fold(values["title"]), fold(values["provider_name"]), values["commune"].insee_code)
        if key in known:
            report.errors.append(
                RowError(
                    report.row,
                    None,
                    "directory.csv.already_exists",
                    _(
                        "Cette offre existe déjà (identifiant %(id)s) : indiquez son identifiant "
                        "pour la mettre à jour."
                    )
                    % {"id": known[key]},
                )
            )
