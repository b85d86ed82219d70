"""CSV export of the active offers, in the columns the import reads back."""

import csv
import io
from collections.abc import Iterable

from oncoparcours.accounts.models import User
from oncoparcours.directory.models import Offer
from oncoparcours.directory.services.csv_columns import COLUMNS, Kind, format_value
from oncoparcours.directory.services.validation.vocabulary import offer_form_initial
from oncoparcours.organisations.models import Organisation


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
