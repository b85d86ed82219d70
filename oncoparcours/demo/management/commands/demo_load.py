import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from oncoparcours.demo.generator import (
    DEFAULT_PATIENTS,
    DEFAULT_SEED,
    DemoLoadError,
    demo_data_exists,
    demo_data_load,
    demo_data_reset,
)

_COUNT_LABELS = {
    "organisations": _lazy("organisations"),
    "structures": _lazy("structures porteuses"),
    "adult_structures": _lazy("dont structures pour adultes"),
    "aja_schemes": _lazy("dont dispositifs AJA"),
    "paediatric_schemes": _lazy("dont dispositifs pédiatriques"),
    "health_establishments": _lazy("établissements de santé"),
    "territories": _lazy("territoires d'intervention"),
    "aura_communes": _lazy("communes AURA chargées"),
    "uncovered_communes": _lazy("communes AURA hors de tout territoire adulte"),
    "professionals": _lazy("professionnels (sans connexion)"),
    "demo_accounts": _lazy("comptes de démonstration"),
    "memberships": _lazy("rôles attribués"),
    "patients": _lazy("patients"),
    "pathways": _lazy("parcours (prescriptions reçues)"),
    "pathways_eligible": _lazy("éligibles, patient à contacter"),
    "pathways_contacted": _lazy("patient contacté"),
    "pathways_active": _lazy("en cours"),
    "pathways_completed": _lazy("terminés"),
    "pathways_withdrawn": _lazy("abandonnés"),
    "pathways_refused": _lazy("non éligibles"),
    "pathways_uncovered": _lazy("territoire non couvert"),
    "overrides": _lazy("dérogations accordées"),
    "acts": _lazy("prestations (bilans et suivis)"),
    "tasks": _lazy("tâches manuelles"),
    "directory_offers": _lazy("offres du répertoire des soins de support"),
    "directory_archived": _lazy("dont archivées"),
    "directory_proposals": _lazy("propositions de modification en attente"),
    "referrals": _lazy("orientations vers des séances d'activité physique adaptée"),
    "profiles": _lazy("profils de professionnels (APA, diététique, psychologie)"),
    "diplomas": _lazy("diplômes avec justificatif"),
    "contracts_contracted": _lazy("contrats libéraux conventionnés"),
    "contracts_salaried": _lazy("contrats salariés"),
    "consents": _lazy("consentements au partage des comptes rendus"),
    "patients_without_consent": _lazy("patients sans consentement au partage"),
    "assessments": _lazy("bilans et suivis saisis"),
    "reports": _lazy("comptes rendus émis"),
    "deliveries_withheld_no_consent": _lazy("envois retenus faute de consentement"),
    "apa_projects": _lazy("projets d'activité physique adaptée"),
    "statements": _lazy("relevés de paiement"),
    "statements_paid": _lazy("dont payés"),
    "statements_draft": _lazy("dont brouillons"),
}
_SUBCOUNTS = frozenset(
    {
        "adult_structures",
        "aja_schemes",
        "paediatric_schemes",
        "pathways_eligible",
        "pathways_contacted",
        "pathways_active",
        "pathways_completed",
        "pathways_withdrawn",
        "pathways_refused",
        "pathways_uncovered",
        "overrides",
        "directory_archived",
        "patients_without_consent",
        "deliveries_withheld_no_consent",
        "statements_paid",
        "statements_draft",
    }
)


class Command(BaseCommand):
    help = _(
        "Charge des données de démonstration synthétiques pour Auvergne-Rhône-Alpes "
        "(la géographie doit être chargée)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--patients",
            type=int,
            default=DEFAULT_PATIENTS,
            help=_("Nombre de patients à créer (défaut : %(default)s)."),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=_("Graine du générateur aléatoire (défaut : %(default)s)."),
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Supprime d'abord les données de démonstration existantes."),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The demo logins share a published password and one is a superuser: never in production.
        if not (settings.DEBUG or settings.ONCOPARCOURS_DEMO):
            raise CommandError(
                _(
                    "Refusé : les comptes de démonstration ont un mot de passe public. "
                    "Définissez ONCOPARCOURS_DEMO=1 (ou ONCOPARCOURS_DEBUG=1) pour les charger."
                )
            )
        if options["patients"] < 0:
            raise CommandError(_("Le nombre de patients ne peut pas être négatif."))
        started = time.perf_counter()
        if not options["reset"] and demo_data_exists():
            self.stdout.write(
                _(
                    "Données de démonstration déjà chargées : rien n'a été modifié "
                    "(utilisez --reset pour les recharger)."
                )
            )
            return
        try:
            # One transaction: a reset whose reload fails leaves the previous demo in place.
            with transaction.atomic():
                if options["reset"]:
                    self._reset()
                result = demo_data_load(patients=options["patients"], seed=options["seed"])
        except DemoLoadError as exc:
            raise CommandError(str(exc)) from exc
        for warning in result.warnings:
            self.stderr.write(self.style.WARNING(warning))
        for key, label in _COUNT_LABELS.items():
            if key in result.counts:
                indent = "    " if key in _SUBCOUNTS else "  "
                self.stdout.write(f"{indent}{label} : {result.counts[key]}")
        self.stdout.write(
            self.style.SUCCESS(
                _("Données de démonstration chargées en %(seconds).1f s (graine %(seed)d).")
                % {"seconds": time.perf_counter() - started, "seed": options["seed"]}
            )
        )
        self.stdout.write(_("Comptes de connexion : manage.py demo_accounts"))

    def _reset(self) -> None:
        try:
            deleted = demo_data_reset()
        except ProtectedError as exc:
            models = sorted({type(obj).__name__ for obj in exc.protected_objects})
            raise CommandError(
                _(
                    "Impossible de supprimer les données de démonstration : d'autres données "
                    "y font référence (%(models)s)."
                )
                % {"models": ", ".join(models)}
            ) from exc
        self.stdout.write(
            _(
                "Données de démonstration supprimées : %(orgs)d organisations, %(patients)d patients."
            )
            % {"orgs": deleted["organisations"], "patients": deleted["patients"]}
        )
