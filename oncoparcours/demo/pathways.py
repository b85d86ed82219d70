"""A living PSGAC for the demo: prescriptions, pathways and acts, all written THROUGH the
pathways services, so that every rule (eligibility, orientation, performer, budget, window)
applies to the demo exactly as to real data.

About 40 % of the adult patients of covered communes and of the AJA patients get a
prescription dated in the past year; each pathway follows a scenario (to contact, contacted,
active, near the cap, close to its deadline, completed, withdrawn), a few are refused for a
real reason (PSG-02, PSG-03) and two of those are overridden by a coordinator, a few come from
uncovered communes (the DSRC gets its tasks). Most prescriptions are on paper (no prescriber
account, so no e-mail); the demo prescriber's own go through the form and are notified.

Demo-only backdating: services stamp the reception, the events and the closure with the
clock; the loader then moves those stamps to the scenario's day with queryset updates, so that
timelines and reminders read like a year of activity. Act dates go through the services'
own arguments (``starts_at``, ``done_on``).
"""

import random
from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.demo.catalogue import DEMO_ACCOUNTS
from oncoparcours.demo.scenarios import ASSESSMENTS, FOLLOWUPS, ScenariosMixin, Team
from oncoparcours.directory.catalogue import CareType
from oncoparcours.directory.selectors import offer_search
from oncoparcours.pathways.models import Act, Channel, Pathway, Prescription
from oncoparcours.pathways.rules.dates import add_months
from oncoparcours.pathways.services import (
    eligibility_override,
    pathway_mark_contacted,
    pathway_refer,
    prescription_receive,
)
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.patients.models import Patient

SHARE_WITH_PRESCRIPTION = 0.40
REFUSED_SHARE = 0.08
OVERRIDES = 2
UNCOVERED_MAX = 6
PRESCRIBER_ACCOUNT_MAX = 12
# Open pathways whose patient is oriented to APA sessions (PSG-11), within this distance.
REFERRAL_SHARE = 0.25
REFERRAL_RADIUS_KM = 30.0
# (scenario, weight): how far a pathway got.
SCENARIOS = (
    ("to_contact", 14),
    ("contacted", 12),
    ("active", 34),
    ("near_cap", 6),
    ("expiring", 6),
    ("completed", 14),
    ("withdrawn", 6),
)
# Days before today the prescription may be dated, per scenario.
PRESCRIPTION_AGE = {
    "to_contact": (0, 12),
    "contacted": (6, 30),
    "active": (45, 300),
    "near_cap": (60, 300),
    "expiring": (345, 368),
    "completed": (150, 330),
    "withdrawn": (30, 200),
}


class PathwaysMixin(ScenariosMixin):
    def _create_pathways(self) -> None:
        self.prng = random.Random(f"{self.seed}-pathways")
        self.clock = timezone.now()
        self.received = {}
        self.last_stamp = {}
        self.teams = self._teams()
        # Paper prescriptions are signed by the demo doctors (professionals, not logins).
        prescribers = list(
            Membership.objects.filter(
                role=RoleCode.PRESCRIBER,
                organisation__in=self.organisations.values(),
                user__email__in=self.emails,
            )
            .select_related("user")
            .order_by("pk")
        )
        account = Membership.objects.filter(
            role=RoleCode.PRESCRIBER, user__email=_prescriber_account_email()
        ).first()
        if not prescribers:
            return
        rhone = self.organisations["sp-69"].pk if "sp-69" in self.organisations else None
        refused: list[Pathway] = []
        uncovered = account_uses = 0
        for patient in self._patients_for_pathways():
            team = self.teams.get(patient.structure_id) if patient.structure_id else None
            if team is None or not patient.ald_cancer:
                continue
            if patient.commune_id not in self.covering and patient.structure_id in self.adult_ids:
                if uncovered < UNCOVERED_MAX and self.prng.random() < SHARE_WITH_PRESCRIPTION:
                    uncovered += 1
                    self._receive(patient, team, prescribers, self.today - self._days(0, 40))
                continue
            if self.prng.random() >= SHARE_WITH_PRESCRIPTION:
                continue
            latest = add_months(patient.active_treatment_end_date or self.today, 12)
            if self.prng.random() < REFUSED_SHARE:
                refused.append(self._refused(patient, team, prescribers, latest))
                continue
            scenario = self._scenario(latest)
            if scenario is None:
                continue
            low, high = PRESCRIPTION_AGE[scenario]
            prescribed_on = self.today - self._days(max(low, (self.today - latest).days), high)
            by_account = (
                account is not None
                and account_uses < PRESCRIBER_ACCOUNT_MAX
                and patient.structure_id == rhone
                and scenario != "to_contact"
            )
            account_uses += by_account
            pathway = self._receive(
                patient, team, prescribers, prescribed_on, account=account if by_account else None
            )
            self._play(pathway, scenario)
        overrides = self._override(refused)
        statuses = Counter(
            Pathway.objects.filter(patient__structure__in=self.organisations.values()).values_list(
                "status", flat=True
            )
        )
        self.result.counts.update(
            {
                "pathways": sum(statuses.values()),
                **{f"pathways_{status.value}": statuses[status.value] for status in PathwayStatus},
                "pathways_uncovered": uncovered,
                "overrides": overrides,
                "acts": Act.objects.filter(
                    pathway__patient__structure__in=self.organisations.values()
                ).count(),
            }
        )

    # Who -----------------------------------------------------------------------------------

    def _create_referrals(self) -> None:
        """PSG-11: some patients of open pathways are oriented to APA sessions near home, from
        the directory (after it is loaded), through the referral service."""
        rng = random.Random(f"{self.seed}-referrals")
        pathways = (
            Pathway.objects.filter(
                status__in=[PathwayStatus.CONTACTED, PathwayStatus.ACTIVE],
                structure_id__in=self.teams,
            )
            .select_related("patient__commune")
            .order_by("pk")
        )
        count = 0
        for pathway in pathways:
            commune = pathway.patient.commune
            if rng.random() >= REFERRAL_SHARE or commune.latitude is None:
                continue
            assert commune.longitude is not None  # coordinates come in pairs
            found = offer_search(
                care_types=[CareType.APA],
                origin=(commune.latitude, commune.longitude),
                radius_km=REFERRAL_RADIUS_KM,
                include_remote=False,
                page_size=1,
            )
            if not found.hits:
                continue
            pathway_refer(
                by=self.teams[pathway.structure_id].coordinator,  # type: ignore[index]
                pathway=pathway,
                offer=found.hits[0].offer,
            )
            count += 1
        self.result.counts["referrals"] = count

    def _teams(self) -> dict[int, Team]:
        """Each structure's coordinator (the demo login where there is one) and professionals."""
        structures = {
            org.pk for org in self.organisations.values() if org.kind == OrgKind.STRUCTURE_PORTEUSE
        }
        self.adult_ids = {
            org.pk
            for org in self.organisations.values()
            if org.pk in structures and org.serves_adults
        }
        logins = {account.email for account in DEMO_ACCOUNTS}
        teams: dict[int, Team] = {}
        members = Membership.objects.filter(organisation_id__in=structures).select_related(
            "user", "organisation"
        )
        by_structure: dict[int, list[Membership]] = defaultdict(list)
        for membership in members.order_by("pk"):
            by_structure[membership.organisation_id].append(membership)
        for structure_id, memberships in by_structure.items():
            coordinators = sorted(
                (m for m in memberships if m.role == RoleCode.COORDINATOR),
                key=lambda m: (m.user.email not in logins, m.pk),
            )
            if not coordinators:
                continue
            team = Team(coordinators[0])
            for membership in memberships:
                profession = membership.user.profession
                if profession and membership.role != RoleCode.COORDINATOR:
                    team.by_profession.setdefault(profession, []).append(membership.user)
            teams[structure_id] = team
        return teams

    def _patients_for_pathways(self) -> QuerySet[Patient]:
        return (
            Patient.objects.filter(
                structure_id__in=list(self.teams),
                birth_date__lte=self.today - timedelta(days=15 * 366),
            )
            .select_related("commune__department")
            .order_by("pk")
        )

    # Intake --------------------------------------------------------------------------------

    def _scenario(self, latest: date) -> str | None:
        """A scenario whose prescription can be dated within PSG-03's window, else None."""
        names = [name for name, _w in SCENARIOS]
        drawn = self.prng.choices(names, weights=[w for _n, w in SCENARIOS])[0]
        for name in [drawn, *names]:
            if latest >= self.today - timedelta(days=PRESCRIPTION_AGE[name][1]):
                return name
        return None

    def _items(self) -> list[str]:
        items = [code for code in ASSESSMENTS if self.prng.random() < 0.85]
        items += [code for code in FOLLOWUPS if self.prng.random() < 0.7]
        return items or [ASSESSMENTS[0]]

    def _receive(
        self,
        patient: Patient,
        team: Team,
        prescribers: list[Membership],
        prescribed_on: date,
        *,
        account: Membership | None = None,
        specialty: str = "",
    ) -> Pathway:
        if account is not None:
            pathway = prescription_receive(
                by=account,
                patient=patient,
                prescriber=account.user,
                prescription_date=prescribed_on,
                items=self._items(),
                channel=Channel.FORM,
                today=self.today,
            )
        else:
            # A paper prescription typed in by the coordinator: no prescriber account, no mail.
            doctor = self.prng.choice(prescribers).user
            pathway = prescription_receive(
                by=team.coordinator,
                patient=patient,
                prescriber=None,
                prescriber_name=doctor.get_full_name(),
                prescriber_rpps=doctor.rpps,
                prescriber_specialty=specialty or doctor.specialty,
                prescription_date=prescribed_on,
                items=self._items(),
                channel=Channel.PAPER,
                today=self.today,
            )
        received = min(prescribed_on + self._days(0, 3), self.today)
        stamp = self._backdate(pathway, received)
        Prescription.objects.filter(pk=pathway.prescription_id).update(received_at=stamp)
        Pathway.objects.filter(pk=pathway.pk).update(created_at=stamp)
        self.received[pathway.pk] = received
        return pathway

    def _refused(
        self, patient: Patient, team: Team, prescribers: list[Membership], latest: date
    ) -> Pathway:
        """PSG-03 when the end of treatment is old enough to be past the window, else PSG-02
        (a prescriber of another specialty)."""
        if latest < self.today - timedelta(days=1):
            low = max((self.today - latest).days - 1, 0)
            prescribed_on = self.today - self._days(0, min(low, 60))
            return self._receive(patient, team, prescribers, prescribed_on)
        prescribed_on = self.today - self._days(0, 60)
        return self._receive(patient, team, prescribers, prescribed_on, specialty="other")

    def _override(self, refused: list[Pathway]) -> int:
        """The Rhône coordinator (else the first ones) overrides two refusals, with a reason."""
        rhone = self.organisations["sp-69"].pk if "sp-69" in self.organisations else None
        chosen = sorted(
            (p for p in refused if p.structure_id in self.teams),
            key=lambda p: (p.structure_id != rhone, p.pk),
        )[:OVERRIDES]
        for pathway in chosen:
            assert pathway.structure_id is not None
            team = self.teams[pathway.structure_id]
            day = min(self.received[pathway.pk] + self._days(1, 3), self.today)
            eligibility_override(
                by=team.coordinator,
                pathway=pathway,
                justification=_(
                    "Fin de traitement confirmée par l'oncologue référent par téléphone ; "
                    "prescription validée en réunion d'équipe."
                ),
            )
            self._backdate(pathway, day)
            pathway_mark_contacted(by=team.coordinator, pathway=pathway)
            self._backdate(pathway, min(day + self._days(1, 4), self.today))
        return len(chosen)


def _prescriber_account_email() -> str:
    return next(
        account.email
        for account in DEMO_ACCOUNTS
        if any(role == RoleCode.PRESCRIBER for role, _org in account.memberships)
    )
