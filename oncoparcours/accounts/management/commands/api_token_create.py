from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Crée un jeton d'API lié à une appartenance (rôle dans une organisation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="Adresse du compte.")
        parser.add_argument("--role", required=True, help="Code du rôle (accounts/roles.py).")
        parser.add_argument("--organisation", required=True, help="Identifiant public (UUID).")
        parser.add_argument("--name", required=True, help="Nom du système client.")

    def handle(self, *args: Any, **options: Any) -> None:
        membership = Membership.objects.filter(
            user__email=options["email"].lower(),
            role=options["role"],
            organisation__public_id=options["organisation"],
            ended_at__isnull=True,
        ).first()
        if membership is None:
            raise CommandError("Aucune appartenance active ne correspond à ces critères.")
        token, key = api_token_create(membership=membership, name=options["name"])
        self.stdout.write(f"Jeton « {token.name} » créé. Clé (affichée une seule fois) :")
        self.stdout.write(key)
