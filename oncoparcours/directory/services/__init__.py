"""Writes on the directory (one module per sub-domain)."""

from oncoparcours.directory.services.csv_io.export import offer_export_csv
from oncoparcours.directory.services.csv_io.importing import offer_import_csv
from oncoparcours.directory.services.csv_io.report import ImportReport, RowError, RowReport
from oncoparcours.directory.services.offers import (
    offer_archive,
    offer_create,
    offer_update,
    offer_verify,
)
from oncoparcours.directory.services.proposals import (
    offer_change_approve,
    offer_change_propose,
    offer_change_reject,
)
from oncoparcours.directory.services.validation.vocabulary import (
    OFFER_FIELDS,
    PROPOSABLE_FIELDS,
    offer_form_initial,
)

__all__ = [
    "OFFER_FIELDS",
    "PROPOSABLE_FIELDS",
    "ImportReport",
    "RowError",
    "RowReport",
    "offer_archive",
    "offer_change_approve",
    "offer_change_propose",
    "offer_change_reject",
    "offer_create",
    "offer_export_csv",
    "offer_form_initial",
    "offer_import_csv",
    "offer_update",
    "offer_verify",
]
