from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from oncoparcours.accounts.roles import ROLES
from oncoparcours.demo.catalogue import ORGANISATIONS_BY_KEY
from oncoparcours.demo.generator import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_data_exists


def account_rows() -> list[tuple[str, str, str, str]]:
    """(email, password, role, organisation), one row per membership of each demo login."""
    rows = []
    for account in DEMO_ACCOUNTS:
        for index, (role, org_key) in enumerate(account.memberships):
            rows.append(
                (
                    account.email if index == 0 else "",
                    DEMO_PASSWORD if index == 0 else "",
                    str(ROLES[role].label),
                    ORGANISATIONS_BY_KEY[org_key].name,
                )
            )
    return rows


class Command(BaseCommand):
    help = _("Affiche les comptes de démonstration (adresse, mot de passe, rôle, organisation).")

    def handle(self, *args: Any, **options: Any) -> None:
        header = (_("Adresse électronique"), _("Mot de passe"), _("Rôle"), _("Organisation"))
        rows: list[tuple[str, ...]] = [header, *account_rows()]
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        self.stdout.write(_("Comptes de démonstration (données fictives) :"))
        rows.insert(1, tuple("-" * width for width in widths))
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write("  ".join(cells).rstrip())
        if not demo_data_exists():
            self.stdout.write(
                self.style.WARNING(
                    _("Ces comptes ne sont pas encore créés : lancez « manage.py demo_load ».")
                )
            )
