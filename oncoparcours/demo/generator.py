"""Synthetic Auvergne-Rhône-Alpes demo data on top of the loaded geography.

Deterministic: every draw comes from ``random.Random(seed)`` over rows read in a fixed order,
so a seed always gives the same organisations, territories, people and patients (birth dates
are drawn relative to ``today``, so that ages stay right whatever the day of the load).
Fast: rows are written with ``bulk_create``; only memberships go through the accounts
service, which owns the rule of which role an organisation kind may hold.

What is created is data in ``catalogue.py`` (organisations, staff, ``DEMO_ACCOUNTS``); how
territories are drawn is in ``coverage.py``.
"""

import random
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, Profession, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.accounts.services import membership_create
from oncoparcours.demo.catalogue import (
    AJA_SHARE,
    AURA_DEPARTMENTS,
    CHILD_SHARE,
    DEMO_ACCOUNTS,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    FEMALE_SHARE,
    NO_RPPS,
    ORGANISATIONS,
    USED_NAME_SHARE,
    DemoAccount,
    OrgSpec,
    posts_for,
)
from oncoparcours.demo.coverage import CommuneRow, adult_territories
from oncoparcours.demo.identifiers import SyntheticIdentifiers
from oncoparcours.demo.names import first_name, invented_surnames
from oncoparcours.organisations.models import Organisation
from oncoparcours.patients.models import Consent, Patient, Sex, TreatmentType
from oncoparcours.territories.models import (
    Commune,
    CommunePostalCode,
    Department,
    InterventionTerritory,
)

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


class DemoLoadError(Exception):
    """The demo cannot be loaded; the message is French and tells what to do."""


@dataclass
class DemoResult:
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


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
    patients, territories and memberships attached to those organisations. Raises
    ``ProtectedError`` when other data still points at them."""
    organisations = demo_organisations()
    Consent.objects.filter(patient__structure__in=organisations).delete()
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


def _slug(value: str) -> str:
    ascii_value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "".join(c if c.isalnum() else "-" for c in ascii_value.lower()).strip("-")


class _Loader:
    def __init__(self, communes: list[CommuneRow], *, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # Public ids from their own stream: the same seed gives the same URLs.
        self.id_rng = random.Random(f"{seed}-public-ids")
        # Clinical data too, so that adding it left the names and places of a seed unchanged.
        self.clinical_rng = random.Random(f"{seed}-clinical")
        self.today = today
        self.communes = {c.insee: c for c in communes}
        self.by_department: dict[str, list[CommuneRow]] = defaultdict(list)
        for commune in communes:
            self.by_department[commune.department].append(commune)
        self.surnames = invented_surnames()
        self.result = DemoResult()
        self.organisations: dict[str, Organisation] = {}
        self.covering: dict[str, int] = {}  # commune -> adult structure whose territory has it
        self.emails: set[str] = set()
        finess = Organisation.objects.values_list("finess_ej", "finess_et")
        self.ids = SyntheticIdentifiers(
            self.rng,
            taken_finess={number for pair in finess for number in pair if number},
            taken_siret=set(Organisation.objects.exclude(siret="").values_list("siret", flat=True)),
            taken_rpps=set(
                User.objects.filter(rpps__startswith="99").values_list("rpps", flat=True)
            ),
        )

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.id_rng.getrandbits(128), version=4)

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
        self._create_patients(patients)
        return self.result

    # Organisations -------------------------------------------------------------------------

    def _place(self, spec: OrgSpec) -> tuple[bool, CommuneRow | None]:
        """Where an organisation sits: its own commune, else the most populated commune of
        its departments; (False, None) to skip it when none of its departments is loaded."""
        if spec.commune and spec.commune in self.communes:
            return True, self.communes[spec.commune]
        candidates = [c for dep in spec.departments for c in self.by_department.get(dep, [])]
        if candidates:
            return True, max(candidates, key=lambda c: (c.population, c.insee))
        return spec.regional, None

    def _create_organisations(self) -> None:
        placed = [
            (spec, commune) for spec in ORGANISATIONS for ok, commune in [self._place(spec)] if ok
        ]
        postal_codes: dict[str, str] = {}
        for commune_id, postal_code in (
            CommunePostalCode.objects.filter(
                commune_id__in={c.insee for _spec, c in placed if c is not None}
            )
            .order_by("-postal_code")
            .values_list("commune_id", "postal_code")
        ):
            postal_codes[commune_id] = postal_code  # the smallest code wins
        rows = []
        for spec, commune in placed:
            department = commune.department if commune else "69"
            rows.append(
                Organisation(
                    public_id=self._uuid(),
                    name=spec.name,
                    kind=spec.kind.value,
                    structure_type=spec.structure_type,
                    finess_ej=self.ids.finess(department) if spec.finess else "",
                    finess_et=self.ids.finess(department) if spec.finess else "",
                    siret=self.ids.siret() if spec.siret else "",
                    address=f"{self.rng.randint(1, 120)} rue de la Démonstration"
                    if commune
                    else "",
                    postal_code=postal_codes.get(commune.insee, "") if commune else "",
                    commune_id=commune.insee if commune else None,
                    email=spec.email,
                    serves_adults=spec.serves_adults,
                    serves_aja=spec.serves_aja,
                    serves_children=spec.serves_children,
                )
            )
        created = Organisation.objects.bulk_create(rows)
        self.organisations = {
            spec.key: org for (spec, _c), org in zip(placed, created, strict=True)
        }
        structures = [o for o in created if o.kind == OrgKind.STRUCTURE_PORTEUSE]
        self.result.counts.update(
            {
                "organisations": len(created),
                "structures": len(structures),
                "adult_structures": sum(1 for o in structures if o.serves_adults),
                "aja_schemes": sum(1 for o in structures if o.serves_aja),
                "paediatric_schemes": sum(1 for o in structures if o.serves_children),
                "health_establishments": sum(
                    1 for o in created if o.kind == OrgKind.HEALTH_ESTABLISHMENT
                ),
            }
        )

    # Territories ---------------------------------------------------------------------------

    def _create_territories(self) -> None:
        """Adult structures: 1-3 territories of whole EPCIs of their department, a few rural
        EPCIs left out. AJA and paediatric schemes: their departments, whole."""
        department_names = dict(
            Department.objects.filter(code__in=AURA_DEPARTMENTS).values_list("code", "name")
        )
        territories: list[tuple[InterventionTerritory, list[CommuneRow]]] = []
        for spec in ORGANISATIONS:
            org = self.organisations.get(spec.key)
            if org is None or not spec.is_structure:
                continue
            if spec.is_adult_structure:
                communes = self.by_department.get(spec.departments[0], [])
                for name, members in adult_territories(communes, org.commune_id, self.rng):
                    territories.append((self._territory(org, name, members), members))
                    for commune in members:
                        self.covering.setdefault(commune.insee, org.pk)
                continue
            deps = [d for d in spec.departments if self.by_department.get(d)]
            if spec.serves_children:
                name = _("Région Auvergne-Rhône-Alpes (pédiatrie)")
            else:
                name = _("Territoire AJA : %(departments)s") % {
                    "departments": ", ".join(department_names.get(d, d) for d in deps)
                }
            members = [c for dep in deps for c in self.by_department[dep]]
            territories.append((self._territory(org, name, members), members))
        created = InterventionTerritory.objects.bulk_create([t for t, _m in territories])
        through = InterventionTerritory.communes.through
        source = InterventionTerritory.communes.field.m2m_field_name()
        target = InterventionTerritory.communes.field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [
                through(**{f"{source}_id": territory.pk, f"{target}_id": commune.insee})
                for territory, (_t, members) in zip(created, territories, strict=True)
                for commune in members
            ],
            batch_size=2000,
        )
        aura = [c for dep in AURA_DEPARTMENTS for c in self.by_department.get(dep, [])]
        self.result.counts.update(
            {
                "territories": len(created),
                "aura_communes": len(aura),
                "uncovered_communes": sum(1 for c in aura if c.insee not in self.covering),
            }
        )

    def _territory(
        self, org: Organisation, name: str, members: list[CommuneRow]
    ) -> InterventionTerritory:
        return InterventionTerritory(
            public_id=self._uuid(),
            name=name,
            description=_("Territoire fictif de démonstration : %(count)d communes.")
            % {"count": len(members)},
            structure=org,
        )

    # People --------------------------------------------------------------------------------

    def _email(self, first: str, last: str) -> str:
        base = f"{_slug(first)}.{_slug(last)}"
        email, suffix = f"{base}@pro.{DEMO_DOMAIN}", 1
        while email in self.emails:
            suffix += 1
            email = f"{base}{suffix}@pro.{DEMO_DOMAIN}"
        self.emails.add(email)
        return email

    def _create_people(self) -> None:
        """Professionals (unusable passwords: they are not logins), then the demo logins."""
        users: list[User] = []
        roles: list[list[tuple[RoleCode, Organisation]]] = []
        for spec in ORGANISATIONS:
            org = self.organisations.get(spec.key)
            if org is None:
                continue
            for post in posts_for(spec):
                for _i in range(post.count):
                    first = first_name(self.rng, "F" if self.rng.random() < 0.6 else "M")
                    last = self.rng.choice(self.surnames)
                    profession = self.rng.choice(post.professions)
                    users.append(
                        User(
                            public_id=self._uuid(),
                            email=self._email(first, last),
                            first_name=first,
                            last_name=last,
                            profession=profession.value,
                            specialty=post.specialty,
                            rpps="" if profession in NO_RPPS else self.ids.rpps(),
                            password=make_password(None),
                        )
                    )
                    roles.append([(post.role, org)])
        professionals = len(users)
        # One hash for every demo login: hashing is slow on purpose and the password is shared.
        demo_hash = make_password(DEMO_PASSWORD)
        for account in DEMO_ACCOUNTS:
            held = [
                (role, self.organisations[key])
                for role, key in account.memberships
                if key in self.organisations
            ]
            if len(held) < len(account.memberships):
                self.result.warnings.append(
                    _("Compte de démonstration %(email)s : organisation absente, rôle ignoré.")
                    % {"email": account.email}
                )
            if not held:
                continue
            users.append(
                User(
                    public_id=self._uuid(),
                    email=account.email,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    profession=account.profession,
                    specialty=account.specialty,
                    rpps=""
                    if not account.profession or Profession(account.profession) in NO_RPPS
                    else self.ids.rpps(),
                    password=demo_hash,
                    is_staff=account.is_superuser,
                    is_superuser=account.is_superuser,
                )
            )
            roles.append(held)
        created = User.objects.bulk_create(users)
        for user, held in zip(created, roles, strict=True):
            for role, org in held:
                membership_create(user=user, organisation=org, role=role)
        self.result.counts.update(
            {
                "professionals": professionals,
                "demo_accounts": len(created) - professionals,
                "memberships": sum(len(held) for held in roles),
            }
        )

    # Patients ------------------------------------------------------------------------------

    def _create_patients(self, count: int) -> None:
        adult: dict[str, int] = {}
        aja: dict[str, int] = {}
        paediatric: int | None = None
        for spec in ORGANISATIONS:
            org = self.organisations.get(spec.key)
            if org is None or not spec.is_structure:
                continue
            if spec.serves_children:
                paediatric = org.pk
            for dep in spec.departments:
                if spec.serves_aja:
                    aja.setdefault(dep, org.pk)
                elif spec.serves_adults:
                    adult.setdefault(dep, org.pk)
        eligible = [c for dep in AURA_DEPARTMENTS if dep in adult for c in self.by_department[dep]]
        rows: list[Patient] = []
        if eligible and count > 0:
            weights = [c.population for c in eligible]
            if not any(weights):
                weights = [1] * len(eligible)
            drawn = self.rng.choices(eligible, cum_weights=list(accumulate(weights)), k=count)
            rows = [self._patient(c, adult, aja, paediatric) for c in drawn]
            Patient.objects.bulk_create(rows, batch_size=500)
        self.result.counts["patients"] = len(rows)

    def _patient(
        self,
        commune: CommuneRow,
        adult: dict[str, int],
        aja: dict[str, int],
        paediatric: int | None,
    ) -> Patient:
        draw = self.rng.random()
        if draw < CHILD_SHARE and paediatric is not None:
            age, female_share, structure = self.rng.randint(1, 14), 0.5, paediatric
        elif draw < CHILD_SHARE + AJA_SHARE and commune.department in aja:
            age, female_share, structure = self.rng.randint(15, 24), 0.5, aja[commune.department]
        else:
            # Cancer is mostly a disease of later life: adult ages peak in the late sixties.
            age, female_share = int(self.rng.triangular(18, 90, 67)), FEMALE_SHARE
            structure = self.covering.get(commune.insee, adult[commune.department])
        sex = Sex.FEMALE if self.rng.random() < female_share else Sex.MALE
        birth_name = self.rng.choice(self.surnames)
        used_name = ""
        if sex == Sex.FEMALE and age >= 25 and self.rng.random() < USED_NAME_SHARE:
            used_name = self.rng.choice(self.surnames)
        birth_date = self.today - timedelta(days=int(age * 365.25) + self.rng.randint(1, 364))
        return Patient(
            public_id=self._uuid(),
            birth_name=birth_name,
            first_given_name=first_name(self.rng, sex),
            used_name=used_name,
            birth_date=birth_date,
            sex=sex.value,
            commune_id=commune.insee,
            structure_id=structure,
            **self._clinical(birth_date, age, sex),
        )

    def _clinical(self, birth_date: date, age: int, sex: Sex) -> dict[str, object]:
        """ALD, cancer site and treatment dates that the PSGAC eligibility rules can read: most
        patients ended active treatment within the last year (PSG-03), a few still in it or
        past the window. No INS: a synthetic NIR could be a real person's; identities stay
        provisional."""
        rng = self.clinical_rng
        group = "child" if age < 15 else "aja" if age <= 25 else sex.value
        sites, treatments = _DEMO_CANCERS[group]
        site = rng.choice(sites)
        end = self.today - timedelta(days=rng.randint(-60, 420))
        diagnosis = max(end - timedelta(days=rng.randint(90, 365)), birth_date + timedelta(30))
        end = max(end, diagnosis)
        ald = rng.random() < 0.95
        return {
            "ald_cancer": ald,
            "ald_start_date": min(diagnosis + timedelta(days=rng.randint(7, 60)), self.today)
            if ald
            else None,
            "cancer_site": site,
            "diagnosis_date": diagnosis,
            "active_treatment_end_date": end,
            "treatment_types": [
                t.value for t in TreatmentType if t in treatments and rng.random() < 0.8
            ]
            or [treatments[0].value],
        }


_T = TreatmentType
# ICD-10 sites frequent at each age, and the treatments they usually get (illustrative only).
_DEMO_CANCERS: dict[str, tuple[list[str], list[TreatmentType]]] = {
    "child": (["C91.0", "C71.9", "C64", "C74.9"], [_T.CHEMOTHERAPY, _T.SURGERY, _T.RADIOTHERAPY]),
    "aja": (["C81.9", "C73", "C43.9", "C40.2"], [_T.CHEMOTHERAPY, _T.SURGERY, _T.RADIOTHERAPY]),
    "F": (
        ["C50.9", "C50.4", "C18.7", "C34.1", "C54.1", "C56"],
        [_T.SURGERY, _T.CHEMOTHERAPY, _T.RADIOTHERAPY, _T.HORMONE_THERAPY],
    ),
    "M": (
        ["C61", "C34.1", "C18.7", "C67.9", "C43.5", "C20"],
        [_T.SURGERY, _T.RADIOTHERAPY, _T.CHEMOTHERAPY, _T.TARGETED_IMMUNOTHERAPY],
    ),
}
