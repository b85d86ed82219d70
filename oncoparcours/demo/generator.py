"""Synthetic Auvergne-Rhône-Alpes demo data on top of the loaded geography.

Deterministic: every draw comes from ``random.Random(seed)`` over rows read in a fixed order,
so a seed always gives the same organisations, territories, people, patients and pathways
(dates are drawn relative to ``today``, so that ages and delays stay right whatever the day
of the load). Fast: reference rows are written with ``bulk_create``; memberships, pathways,
acts and tasks go through their apps' services, which own the rules.

What is created is data in ``catalogue.py``; each step is a mixin of its own module:
``organisations``, ``people``, ``patients``, ``pathways`` and ``tasks``.
"""

from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.coordination.models import Task
from oncoparcours.demo.assessments import AssessmentsMixin
from oncoparcours.demo.base import DemoLoadError, DemoResult
from oncoparcours.demo.catalogue import (
    AURA_DEPARTMENTS,
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DemoAccount,
)
from oncoparcours.demo.coverage import CommuneRow
from oncoparcours.demo.directory import DirectoryMixin
from oncoparcours.demo.funding import FundingMixin, funding_reset
from oncoparcours.demo.organisations import OrganisationsMixin
from oncoparcours.demo.patients import PatientsMixin
from oncoparcours.demo.payments import PaymentsMixin
from oncoparcours.demo.people import PeopleMixin
from oncoparcours.demo.professionals import ProfessionalsMixin, professionals_reset
from oncoparcours.demo.tasks import TasksMixin
from oncoparcours.directory.models import Offer
from oncoparcours.notifications.models import Notification
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act, Pathway, Prescription, Referral
from oncoparcours.patients.models import Consent, Patient
from oncoparcours.territories.models import Commune, InterventionTerritory

__all__ = [
    "DEFAULT_PATIENTS",
    "DEFAULT_SEED",
    "DEMO_ACCOUNTS",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DemoAccount",
    "DemoLoadError",
    "DemoResult",
    "demo_data_exists",
    "demo_data_load",
    "demo_data_reset",
]

DEFAULT_PATIENTS = 1200
DEFAULT_SEED = 2026


def demo_users() -> QuerySet[User]:
    """Demo logins (``@demo…``) and demo professionals (``@pro.demo…``)."""
    return User.objects.filter(
        Q(email__iendswith=f"@{DEMO_DOMAIN}") | Q(email__iendswith=f".{DEMO_DOMAIN}")
    )


def demo_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")


def demo_data_exists() -> bool:
    return demo_organisations().exists() or demo_users().exists()


@transaction.atomic
def demo_data_reset() -> dict[str, int]:
    """Deletes what the demo created: organisations and users of the demo domain, and the
    patients (with their pathways, acts and notifications), tasks, territories and
    memberships attached to those organisations. Raises ``ProtectedError`` when other data
    still points at them."""
    organisations = demo_organisations()
    funding_reset(organisations)
    pathways = Pathway.objects.filter(
        Q(patient__structure__in=organisations) | Q(structure__in=organisations)
    )
    # Issue 4 rows point at acts, pathways, patients and memberships (PROTECT): first.
    professionals_reset(organisations, pathways, demo_users())
    Notification.objects.filter(related_public_id__in=pathways.values("public_id")).delete()
    Act.objects.filter(pathway__in=pathways).delete()
    Referral.objects.filter(pathway__in=pathways).delete()
    prescriptions = list(pathways.values_list("prescription_id", flat=True))
    pathways.delete()
    Prescription.objects.filter(pk__in=prescriptions).delete()
    Task.objects.filter(organisation__in=organisations).delete()
    Consent.objects.filter(patient__structure__in=organisations).delete()
    # Demo offers carry a demo-domain e-mail; their events and proposals go with them.
    Offer.objects.filter(email__iendswith=f"@{DEMO_DOMAIN}").delete()
    deleted = {
        "patients": Patient.objects.filter(structure__in=organisations).delete()[0],
        "territories": InterventionTerritory.objects.filter(structure__in=organisations).delete()[
            0
        ],
        "users": demo_users().delete()[0],
    }
    Membership.objects.filter(organisation__in=organisations).delete()
    deleted["organisations"] = organisations.delete()[0]
    return deleted


@transaction.atomic
def demo_data_load(
    *, patients: int = DEFAULT_PATIENTS, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoResult:
    """Creates the demo data. The caller checks ``demo_data_exists()`` first."""
    communes = [
        CommuneRow(insee, name, (dep or "")[:2], epci, population or 0, lat, lon)
        for insee, name, dep, epci, population, lat, lon in Commune.objects.order_by(
            "insee_code"
        ).values_list(
            "insee_code", "name", "department_id", "epci_id", "population", "latitude", "longitude"
        )
    ]
    if not communes:
        raise DemoLoadError(
            _(
                "Aucune commune n'est chargée : lancez d'abord « manage.py load_geography », "
                "puis relancez « manage.py demo_load »."
            )
        )
    return _Loader(communes, seed=seed, today=today or timezone.localdate()).run(patients)


class _Loader(
    OrganisationsMixin,
    PeopleMixin,
    ProfessionalsMixin,
    PatientsMixin,
    TasksMixin,
    DirectoryMixin,
    FundingMixin,
    AssessmentsMixin,
    PaymentsMixin,
):
    def run(self, patients: int) -> DemoResult:
        for dep in AURA_DEPARTMENTS:
            if not self.by_department.get(dep):
                self.result.warnings.append(
                    _(
                        "Département %(dep)s : aucune commune chargée, ses organisations de "
                        "démonstration sont ignorées."
                    )
                    % {"dep": dep}
                )
        self._create_organisations()
        self._create_territories()
        self._create_people()
        # Contracts before the pathways: each act completed then gives its payable line.
        self._create_professionals()
        self._create_patients(patients)
        self._create_pathways()
        self._create_tasks()
        self._create_directory()
        self._create_referrals()
        self._create_funding()
        # Issue 4, after the directory (APA projects suggest its offers).
        self._create_consents()
        self._create_assessments()
        self._create_apa_projects()
        self._create_statements()
        return self.result
