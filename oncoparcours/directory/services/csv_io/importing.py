"""The import's entry point: read the file, plan every row, then write all of them in one
transaction, or nothing if anything is wrong or it is a dry run."""

from typing import IO

from django.db import transaction

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors, log_refusal
from oncoparcours.directory.services.csv_io.planning import check_rows
from oncoparcours.directory.services.csv_io.reading import read_rows
from oncoparcours.directory.services.csv_io.report import ImportReport
from oncoparcours.directory.services.offers import (
    create_validated,
    require_editor,
    update_validated,
)


def offer_import_csv(
    *, by: Membership, file: bytes | str | IO[bytes], dry_run: bool
) -> ImportReport:
    """Checks the whole file; writes it only when nothing is wrong and ``dry_run`` is False."""
    permission = Errors()
    require_editor(permission, by)
    permission.raise_if_any(where="directory.offer_import_csv", by=by)
    report = ImportReport()
    rows = read_rows(file, report)
    if report.file_errors:
        _log(report, by)
        return report
    checked = check_rows(rows)
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


def _log(report: ImportReport, by: Membership) -> None:
    codes = sorted({error.code for error in report.errors})
    log_refusal(where="directory.offer_import_csv", actor=by, codes=codes)
