"""Loading the AURA reference geography (departments, EPCI, communes, postal codes) from CSV.

Every row is validated before anything is written; the load then runs in one transaction with
bulk upserts, so loading twice changes nothing and a bad file loads nothing.
"""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from oncoparcours.territories.models import Commune, CommunePostalCode, Department, Epci
from oncoparcours.territories.normalise import normalise_name

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEPARTMENTS_FILE = "departments_aura.csv"
EPCIS_FILE = "epcis_aura.csv"
COMMUNES_FILE = "communes_aura.csv"

_DEPARTMENT_CODE = re.compile(r"\d{2}|2[AB]|97\d")
_INSEE_CODE = re.compile(r"(\d{2}|2[AB])\d{3}")
_SIREN = re.compile(r"\d{9}")
_POSTAL_CODE = re.compile(r"\d{5}")
# Beyond this many, more errors would not help the person fixing the file.
_MAX_ERRORS = 20


@dataclass(frozen=True)
class UpsertCount:
    created: int
    updated: int


@dataclass(frozen=True)
class GeographyLoadReport:
    departments: UpsertCount
    epcis: UpsertCount
    communes: UpsertCount
    postal_codes_added: int
    postal_codes_removed: int


class _Errors:
    def __init__(self) -> None:
        self.items: list[ValidationError] = []

    def add(
        self, filename: str, line: int, message: str, error_code: str, /, **params: object
    ) -> None:
        text = _("%(file)s, ligne %(line)s : ") % {"file": filename, "line": line}
        self.items.append(ValidationError(text + message % params, code=error_code))

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:_MAX_ERRORS]
            if len(self.items) > _MAX_ERRORS:
                shown.append(
                    ValidationError(
                        _("… et %(count)s autres erreurs.")
                        % {"count": len(self.items) - _MAX_ERRORS},
                        code="geography.more_errors",
                    )
                )
            raise ValidationError(shown)


def _read_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise ValidationError(
            _("Fichier introuvable : %(path)s.") % {"path": path}, code="geography.file.missing"
        )
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValidationError(
                _("%(file)s : colonnes manquantes : %(columns)s.")
                % {"file": path.name, "columns": ", ".join(missing)},
                code="geography.file.columns",
            )
        # Line 1 is the header.
        return [
            (number, {k: (v or "").strip() for k, v in row.items() if k})
            for number, row in enumerate(reader, start=2)
        ]


def _integer(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _coordinate(value: str, bound: float) -> float | None:
    """None when empty; ValueError when not a number within ±bound."""
    if not value:
        return None
    number = float(value)
    if not -bound <= number <= bound:
        raise ValueError(value)
    return number


def _parse_departments(path: Path, errors: _Errors) -> dict[str, Department]:
    departments: dict[str, Department] = {}
    for line, row in _read_rows(path, ("code", "name", "population")):
        code, name = row["code"], row["name"]
        population = _integer(row["population"] or "0")
        if not _DEPARTMENT_CODE.fullmatch(code):
            errors.add(
                path.name,
                line,
                _("code de département « %(code)s » invalide."),
                "geography.department.code",
                code=code,
            )
        elif code in departments:
            errors.add(
                path.name,
                line,
                _("département %(code)s en double."),
                "geography.department.duplicate",
                code=code,
            )
        elif not name or population is None:
            errors.add(
                path.name,
                line,
                _("nom ou population manquant ou invalide pour le département %(code)s."),
                "geography.department.invalid",
                code=code,
            )
        else:
            departments[code] = Department(code=code, name=name, population=population)
    return departments


def _parse_epcis(path: Path, errors: _Errors) -> dict[str, Epci]:
    epcis: dict[str, Epci] = {}
    for line, row in _read_rows(path, ("siren", "name", "kind", "population")):
        siren, name, kind = row["siren"], row["name"], row["kind"]
        population = _integer(row["population"] or "0")
        if not _SIREN.fullmatch(siren):
            errors.add(
                path.name,
                line,
                _("SIREN d'EPCI « %(siren)s » invalide (9 chiffres attendus)."),
                "geography.epci.siren",
                siren=siren,
            )
        elif siren in epcis:
            errors.add(
                path.name,
                line,
                _("EPCI %(siren)s en double."),
                "geography.epci.duplicate",
                siren=siren,
            )
        elif not name or not kind or len(kind) > 10 or population is None:
            errors.add(
                path.name,
                line,
                _("nom, nature ou population manquant ou invalide pour l'EPCI %(siren)s."),
                "geography.epci.invalid",
                siren=siren,
            )
        else:
            epcis[siren] = Epci(siren=siren, name=name, kind=kind, population=population)
    return epcis


_COMMUNE_COLUMNS = (
    "insee_code",
    "name",
    "postal_codes",
    "department_code",
    "epci_siren",
    "population",
    "latitude",
    "longitude",
)


def _commune_problem(
    row: dict[str, str], departments: dict[str, Department], epcis: dict[str, Epci]
) -> tuple[str, str, dict[str, object]] | None:
    """What is wrong with a commune row (message, code, params), or None."""
    insee, department, epci = row["insee_code"], row["department_code"], row["epci_siren"]
    params: dict[str, object] = {"code": insee, "department": department, "epci": epci}
    if not _INSEE_CODE.fullmatch(insee):
        return _("code INSEE « %(code)s » invalide."), "geography.commune.insee_code", params
    if department not in departments:
        return (
            _("département « %(department)s » inconnu pour la commune %(code)s."),
            "geography.commune.unknown_department",
            params,
        )
    if not insee.startswith(department):
        return (
            _("le code INSEE %(code)s n'appartient pas au département %(department)s."),
            "geography.commune.department_mismatch",
            params,
        )
    if epci and epci not in epcis:
        return (
            _("EPCI « %(epci)s » inconnu pour la commune %(code)s."),
            "geography.commune.unknown_epci",
            params,
        )
    invalid = (
        _("nom, population ou coordonnées manquants ou invalides pour la commune %(code)s."),
        "geography.commune.invalid",
        params,
    )
    if not row["name"] or len(row["name"]) > 100 or _integer(row["population"] or "0") is None:
        return invalid
    try:
        _coordinate(row["latitude"], 90)
        _coordinate(row["longitude"], 180)
    except ValueError:
        return invalid
    if any(not _POSTAL_CODE.fullmatch(pc) for pc in row["postal_codes"].split()):
        return (
            _("codes postaux « %(postal_codes)s » invalides pour la commune %(code)s."),
            "geography.commune.postal_code",
            {**params, "postal_codes": row["postal_codes"]},
        )
    return None


def _parse_communes(
    path: Path, departments: dict[str, Department], epcis: dict[str, Epci], errors: _Errors
) -> tuple[dict[str, Commune], set[tuple[str, str]]]:
    communes: dict[str, Commune] = {}
    postal_codes: set[tuple[str, str]] = set()
    for line, row in _read_rows(path, _COMMUNE_COLUMNS):
        insee = row["insee_code"]
        problem = _commune_problem(row, departments, epcis)
        if problem is None and insee in communes:
            problem = (
                _("commune %(code)s en double."),
                "geography.commune.duplicate",
                {"code": insee},
            )
        if problem is not None:
            message, code, params = problem
            errors.add(path.name, line, message, code, **params)
            continue
        communes[insee] = Commune(
            insee_code=insee,
            name=row["name"],
            search_name=normalise_name(row["name"]),
            department_id=row["department_code"],
            epci_id=row["epci_siren"] or None,
            population=int(row["population"] or "0"),
            latitude=_coordinate(row["latitude"], 90),
            longitude=_coordinate(row["longitude"], 180),
        )
        postal_codes.update((insee, pc) for pc in row["postal_codes"].split())
    return communes, postal_codes


def _upsert(model: type[Model], rows: list[Model], key: str, fields: list[str]) -> UpsertCount:
    manager = model._default_manager
    existing = set(manager.values_list(key, flat=True))
    manager.bulk_create(rows, update_conflicts=True, unique_fields=[key], update_fields=fields)
    created = sum(1 for row in rows if getattr(row, key) not in existing)
    return UpsertCount(created=created, updated=len(rows) - created)


def _sync_postal_codes(
    communes: dict[str, Commune], wanted: set[tuple[str, str]]
) -> tuple[int, int]:
    """Adds and removes postal codes of the loaded communes; returns (added, removed)."""
    # One read of the whole table (a few thousand rows) rather than an IN list of every commune.
    current = {
        (commune_id, postal_code): pk
        for pk, commune_id, postal_code in CommunePostalCode.objects.values_list(
            "pk", "commune_id", "postal_code"
        )
        if commune_id in communes
    }
    to_add = sorted(wanted - current.keys())
    to_remove = [pk for key, pk in current.items() if key not in wanted]
    CommunePostalCode.objects.bulk_create(
        [CommunePostalCode(commune_id=commune_id, postal_code=pc) for commune_id, pc in to_add]
    )
    for start in range(0, len(to_remove), 500):
        CommunePostalCode.objects.filter(pk__in=to_remove[start : start + 500]).delete()
    return len(to_add), len(to_remove)


@transaction.atomic
def geography_load(*, data_dir: Path = DEFAULT_DATA_DIR) -> GeographyLoadReport:
    """Upserts the three CSV files of ``data_dir``. Communes absent from the files are kept:
    organisations and addresses may point to them."""
    errors = _Errors()
    departments = _parse_departments(data_dir / DEPARTMENTS_FILE, errors)
    epcis = _parse_epcis(data_dir / EPCIS_FILE, errors)
    communes, postal_codes = _parse_communes(data_dir / COMMUNES_FILE, departments, epcis, errors)
    errors.raise_if_any()

    department_count = _upsert(
        Department, list(departments.values()), "code", ["name", "population"]
    )
    epci_count = _upsert(Epci, list(epcis.values()), "siren", ["name", "kind", "population"])
    commune_count = _upsert(
        Commune,
        list(communes.values()),
        "insee_code",
        [
            "name",
            "search_name",
            "department",
            "epci",
            "population",
            "latitude",
            "longitude",
        ],
    )

    added, removed = _sync_postal_codes(communes, postal_codes)

    return GeographyLoadReport(
        departments=department_count,
        epcis=epci_count,
        communes=commune_count,
        postal_codes_added=added,
        postal_codes_removed=removed,
    )
