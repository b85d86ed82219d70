from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncoparcours.territories.services import DEFAULT_DATA_DIR, geography_load


class Command(BaseCommand):
    help = (
        "Charge ou met à jour le référentiel géographique AURA (départements, EPCI, communes, "
        "codes postaux) depuis les fichiers CSV. Idempotent ; rien n'est chargé si un fichier "
        "contient une erreur."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=DEFAULT_DATA_DIR,
            help="Dossier des fichiers departments_aura.csv, epcis_aura.csv, communes_aura.csv.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = geography_load(data_dir=options["data_dir"])
        except ValidationError as exc:
            raise CommandError(
                "Référentiel non chargé :\n" + "\n".join(f"- {m}" for m in exc.messages)
            ) from exc
        for label, count in (
            ("Départements", report.departments),
            ("EPCI", report.epcis),
            ("Communes", report.communes),
        ):
            self.stdout.write(f"{label} : {count.created} créés, {count.updated} mis à jour.")
        self.stdout.write(
            f"Codes postaux : {report.postal_codes_added} ajoutés, "
            f"{report.postal_codes_removed} retirés."
        )
        self.stdout.write(self.style.SUCCESS("Référentiel géographique chargé."))
