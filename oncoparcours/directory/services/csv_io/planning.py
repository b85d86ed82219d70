"""Planning an import: every row parsed and validated with the reference data fetched once for
the whole file, into what it would do (create, update which fields, nothing) or why it cannot.
Nothing here writes to the database."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import User
from oncoparcours.core.errors import Errors
from oncoparcours.core.text import fold
from oncoparcours.directory.models import Offer
from oncoparcours.directory.services.csv_columns import (
    BY_FIELD,
    BY_HEADER,
    COLUMNS,
    CellError,
    Kind,
    parse_cell,
)
from oncoparcours.directory.services.csv_io.reading import Row
from oncoparcours.directory.services.csv_io.report import Action, RowError, RowReport
from oncoparcours.directory.services.offers import merged_for_update
from oncoparcours.directory.services.validation.lookups import Lookups
from oncoparcours.directory.services.validation.offer import clean_offer
from oncoparcours.directory.services.validation.vocabulary import DEFAULTS, changed_fields
from oncoparcours.organisations.models import Organisation


@dataclass
class CheckedRow:
    report: RowReport
    offer: Offer | None
    values: dict[str, Any]
    given: list[str]  # the input fields the row's columns gave


def check_rows(rows: list[Row]) -> list[CheckedRow]:
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

    results: list[CheckedRow] = []
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
        results.append(CheckedRow(report, offer, values, given))
    _refuse_existing_duplicates(results)
    return results


def _row_offer(
    row: Row,
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
    row: Row, data: dict[str, Any], name: str, table: dict[str, Any], label: str
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


def _refuse_existing_duplicates(results: list[CheckedRow]) -> None:
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
