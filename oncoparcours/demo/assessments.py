"""Consents, assessments, reports and APA projects of the demo (issue 4), THROUGH the services.

Consents (PSG-14/16): most patients of a pathway agree to share their reports with both
doctors, some with the prescriber only, some with nobody: their reports are issued but
withheld, and the pathway page says why. A minor's consent is given by a legal representative.

Assessments: ``assessment_submit`` by the act's professional scores the measures, stores the
results and issues the report (PDF, deliveries queued for the worker after commit, like the
notifications). PDFs are slow, so only a subset of pathways is documented (all their done
acts): most of those a demo login works on, except each login's latest few acts (their "forms
to fill"), some others of the anchor structure (the Rhône one) and a sample elsewhere. Values are drawn per pathway from a
seeded stream: a baseline at the bilan, then follow-ups re-measure the weight, the distress
and HADS along a plausible trend, so "Évolution des mesures" has points to draw.

The services stamp the clock; as in ``scenarios``, the demo moves those stamps to the act's day.
"""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import PSGAC_PROFESSIONAL_ROLES
from oncoparcours.assessments.apa_project.services import apa_project_write
from oncoparcours.assessments.measures import ADULT_AGE
from oncoparcours.assessments.models import ActivityType, ApaProject, Assessment, Intensity
from oncoparcours.assessments.services import assessment_submit
from oncoparcours.assessments.services.submit import age_on
from oncoparcours.demo.base import LoaderBase
from oncoparcours.demo.catalogue import DEMO_ACCOUNTS
from oncoparcours.demo.names import first_name
from oncoparcours.demo.scenarios import Team
from oncoparcours.directory.catalogue import CareType
from oncoparcours.directory.selectors import offer_search
from oncoparcours.pathways.models import Act, Pathway, PathwayEvent
from oncoparcours.pathways.rules.budget import ActStatus
from oncoparcours.pathways.rules.prestations import (
    APA_ASSESSMENT,
    DIET_ASSESSMENT,
    DIET_FOLLOWUP,
    PSY_ASSESSMENT,
    PSY_FOLLOWUP,
)
from oncoparcours.patients.models import ConsentGiver, ConsentScope, Patient
from oncoparcours.patients.rules import is_minor_on
from oncoparcours.patients.services.consents import consent_record
from oncoparcours.reports.models import (
    RecipientAddress,
    RecipientRole,
    Report,
    ReportDelivery,
)

ANCHOR = "sp-69"
# Reports are slow to draw (~35 ms each): these shares of the pathways are documented, those
# a demo login works on, the others of the anchor structure, the others elsewhere.
LOGIN_SHARE = 0.5
ANCHOR_SHARE = 0.08
SAMPLE_SHARE = 0.03
# The latest done acts of each demo login left without assessment: their forms to fill.
LOGIN_FORMS_TO_FILL = 3
# (scope set, weight): what the patients agreed to share.
CONSENTS = (
    ((ConsentScope.SHARE_REPORTS_PRESCRIBER, ConsentScope.SHARE_REPORTS_GP), 80),
    ((ConsentScope.SHARE_REPORTS_PRESCRIBER,), 8),
    ((), 12),
)
APA_PROJECT_SHARE = 0.7
APA_PROJECT_RADIUS_KM = 30.0
ADULT_ONLY = ("six_minute_walk", "chair_stand_30s", "handgrip")
STAGES = ("contemplation", "preparation", "preparation", "action", "maintenance")
PROBLEMS = ("fatigue", "worry", "sleep", "fears", "pain", "money", "work_school", "sadness")


def _dec(value: float, places: str = "0.1") -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places))


class _Patient:
    """One patient's values through the pathway: a baseline, then a trend."""

    def __init__(self, rng: random.Random, patient: Patient) -> None:
        female = patient.sex == "F"
        self.rng = rng
        self.height = rng.randint(152, 174) if female else rng.randint(162, 190)
        bmi = rng.uniform(18.5, 29.0)
        self.weight = round(bmi * (self.height / 100) ** 2, 1)
        self.usual = round(self.weight + rng.choice((0, 1.5, 3, 4.5, 6, 8)), 1)
        # Distress 0-10 and the HADS positions: a worried start that eases, or not.
        self.distress = rng.randint(3, 8)
        self.hads = rng.randint(1, 2)
        self.easing = rng.random() < 0.75

    def next_visit(self) -> None:
        rng = self.rng
        self.weight = round(self.weight + rng.uniform(-0.6, 1.2), 1)
        if self.easing:
            self.distress = max(0, self.distress - rng.choice((0, 1, 1, 2)))
            self.hads = max(0, self.hads - (rng.random() < 0.4))
        else:
            self.distress = min(10, self.distress + rng.choice((-1, 0, 1)))

    def psy(self) -> dict[str, Any]:
        rng = self.rng
        positions = {
            f"{prefix}{n}": min(3, max(0, self.hads + rng.choice((-1, 0, 0, 1))))
            for prefix in ("A", "D")
            for n in range(1, 8)
        }
        problems = rng.sample(PROBLEMS, k=min(self.distress // 2 + 1, 4))
        return {
            "distress_thermometer": {"score": self.distress, "problems": problems},
            "hads": positions,
        }

    def weight_followup(self) -> dict[str, Any]:
        return {"weight": {"weight_kg": _dec(self.weight)}}


class AssessmentsMixin(LoaderBase):
    teams: dict[int, Team]

    def _create_consents(self) -> None:
        """PSG-14/16: the consents to share reports, recorded by the structure's coordinator."""
        rng = random.Random(f"{self.seed}-consents")
        coordinators = self._coordinators()
        pathways = (
            Pathway.objects.filter(structure_id__in=coordinators)
            .select_related("patient", "prescription")
            .order_by("patient_id", "pk")
        )
        seen: set[int] = set()
        count = none = addresses = 0
        for pathway in pathways:
            patient = pathway.patient
            if patient.pk in seen or patient.archived_at is not None:
                continue
            seen.add(patient.pk)
            scopes = rng.choices([s for s, _w in CONSENTS], weights=[w for _s, w in CONSENTS])[0]
            none += not scopes
            given_at = min(pathway.prescription.prescription_date + timedelta(days=5), self.today)
            minor = is_minor_on(patient.birth_date, given_at)
            representative = (
                f"{first_name(rng, rng.choice('FM'))} {patient.birth_name}" if minor else ""
            )
            for scope in scopes:
                consent_record(
                    by=coordinators[pathway.structure_id],  # type: ignore[index]
                    patient=patient,
                    scope=scope,
                    given_at=given_at,
                    given_by=ConsentGiver.LEGAL_REPRESENTATIVE if minor else ConsentGiver.PATIENT,
                    representative_name=representative,
                )
                count += 1
            addresses += self._remember_addresses(rng, pathway, scopes)
        self.result.counts.update(
            {"consents": count, "patients_without_consent": none, "recipient_addresses": addresses}
        )

    def _remember_addresses(
        self, rng: random.Random, pathway: Pathway, scopes: tuple[str, ...]
    ) -> int:
        """The doctors' secure addresses (synthetic, reserved .invalid domain) that the
        coordinator would have entered on a first send, for 9 in 10 consenting patients: the
        others show the "adresse inconnue" case."""
        coordinator = self._coordinators()[pathway.structure_id]  # type: ignore[index]
        count = 0
        for scope, role in (
            (ConsentScope.SHARE_REPORTS_PRESCRIBER, RecipientRole.PRESCRIBER),
            (ConsentScope.SHARE_REPORTS_GP, RecipientRole.GP),
        ):
            if scope not in scopes or rng.random() >= 0.9:
                continue
            RecipientAddress.objects.create(
                patient=pathway.patient,
                role=role,
                address=f"{role}.{pathway.patient.public_id.hex[:10]}@demo.mssante.invalid",
                updated_by=coordinator,
            )
            count += 1
        return count

    def _coordinators(self) -> dict[int, Membership]:
        return {structure_id: team.coordinator for structure_id, team in self.teams.items()}

    def _create_assessments(self) -> None:
        rng = random.Random(f"{self.seed}-assessments")
        anchor = self.organisations.get(ANCHOR)
        logins = {account.email for account in DEMO_ACCOUNTS}
        # The professional memberships, to submit as the act's own professional.
        members = {
            (m.user_id, m.organisation_id): m
            for m in Membership.objects.filter(
                role__in=PSGAC_PROFESSIONAL_ROLES, organisation_id__in=self._coordinators()
            )
            .select_related("user", "organisation")
            .order_by("-pk")
        }
        documented = Assessment.objects.filter(act=OuterRef("pk"), superseded_at__isnull=True)
        acts = list(
            Act.objects.filter(
                status=ActStatus.DONE,
                kind__in=(
                    APA_ASSESSMENT,
                    DIET_ASSESSMENT,
                    PSY_ASSESSMENT,
                    DIET_FOLLOWUP,
                    PSY_FOLLOWUP,
                ),
                pathway__structure_id__in=self._coordinators(),
            )
            .exclude(Exists(documented))
            .select_related("pathway__patient", "professional")
            .order_by("pathway_id", "starts_at", "pk")
        )
        # Each login's latest done acts stay to fill (their workspace's "forms to fill").
        left: set[int] = set()
        for email in sorted(logins):
            own = [a for a in acts if a.professional.email == email]
            left.update(a.pk for a in own[-LOGIN_FORMS_TO_FILL:] if own)
        by_pathway: dict[int, list[Act]] = {}
        for act in acts:
            by_pathway.setdefault(act.pathway_id, []).append(act)
        count = 0
        for pathway_acts in by_pathway.values():
            pathway = pathway_acts[0].pathway
            with_login = any(a.professional.email in logins for a in pathway_acts)
            in_anchor = anchor is not None and pathway.structure_id == anchor.pk
            share = LOGIN_SHARE if with_login else ANCHOR_SHARE if in_anchor else SAMPLE_SHARE
            if rng.random() >= share:
                continue
            values = _Patient(rng, pathway.patient)
            for index, act in enumerate(pathway_acts):
                if act.pk in left:
                    continue
                membership = members.get((act.professional_id, pathway.structure_id))  # type: ignore[arg-type]
                if membership is None:
                    continue
                if index:
                    values.next_visit()
                mark = timezone.now()
                data = self._form(act.kind, values, rng)
                if age_on(pathway.patient, act.day) < ADULT_AGE:
                    # The walk, chair and grip norms are adults' (18+): not measured for an AJA
                    # patient under 18.
                    for code in ADULT_ONLY:
                        data["measures"].pop(code, None)
                assessment = assessment_submit(by=membership, act=act, data=data)
                self._stamp_assessment(assessment, act, mark)
                count += 1
        reports = Report.objects.filter(pathway__structure_id__in=self._coordinators())
        deliveries = ReportDelivery.objects.filter(report__in=reports)
        self.result.counts.update(
            {
                "assessments": count,
                "reports": reports.count(),
                "deliveries_withheld_no_consent": deliveries.filter(
                    status="withheld_no_consent"
                ).count(),
            }
        )

    def _form(self, kind: str, v: _Patient, rng: random.Random) -> dict[str, Any]:
        if kind == APA_ASSESSMENT:
            return {
                "measures": {
                    "six_minute_walk": {
                        "distance_m": rng.randrange(280, 620, 5),
                        "height_cm": v.height,
                        "weight_kg": _dec(v.weight),
                    },
                    "chair_stand_30s": {"stands": rng.randint(7, 18)},
                    "handgrip": {
                        "right_kg": [_dec(rng.uniform(14, 42), "0.5") for _i in range(2)],
                        "left_kg": [_dec(rng.uniform(12, 40), "0.5")],
                    },
                    "ipaq_short": {
                        "vigorous_days": 0,
                        "vigorous_minutes": 0,
                        "moderate_days": rng.randint(0, 4),
                        "moderate_minutes": rng.choice((0, 20, 30, 45)),
                        "walking_days": rng.randint(1, 7),
                        "walking_minutes": rng.choice((10, 20, 30, 40, 60)),
                        "sitting_minutes": rng.choice((300, 420, 480, 600)),
                    },
                    "stage_of_change": {"stage": rng.choice(STAGES)},
                },
                "observations": {
                    "barriers": rng.choice(
                        (
                            _("Fatigue en fin de journée."),
                            _("Douleurs articulaires à l'effort."),
                            _("Manque de temps, reprise du travail à mi-temps."),
                        )
                    ),
                    "motivation": rng.choice(
                        (
                            _("Reprendre la marche avec une amie."),
                            _("Retrouver de l'endurance pour jouer avec ses petits-enfants."),
                            _("Se sentir moins essoufflé dans les escaliers."),
                        )
                    ),
                },
                "summary": _("Capacités physiques évaluées ; projet d'activité à construire."),
            }
        if kind == DIET_ASSESSMENT:
            return {
                "measures": {
                    "anthropometry": {
                        "weight_kg": _dec(v.weight),
                        "height_cm": v.height,
                        "usual_weight_kg": _dec(v.usual),
                        "weight_1_month_ago_kg": _dec(v.weight + rng.uniform(0, 2)),
                        "aggression": rng.random() < 0.3,
                        "albumin_g_l": rng.randint(29, 42),
                    },
                    "mna_sf": {
                        "A": rng.choice((0, 1, 2, 2)),
                        "B": rng.choice((1, 2, 3)),
                        "C": 2,
                        "D": rng.choice((0, 2)),
                        "E": 2,
                        "F1": rng.choice((1, 2, 3)),
                    },
                    "nrs_2002": {
                        "nutritional_status": rng.randint(0, 2),
                        "disease_severity": rng.randint(0, 2),
                    },
                },
                "summary": _("Bilan diététique réalisé : conseils d'alimentation remis."),
            }
        if kind == PSY_ASSESSMENT:
            return {
                "measures": v.psy(),
                "summary": _("Entretien d'évaluation : soutien psychologique proposé."),
            }
        if kind == DIET_FOLLOWUP:
            measures = v.weight_followup()
            if rng.random() < 0.5:
                measures.update(v.psy())
            return {"measures": measures, "summary": _("Suivi diététique : poids contrôlé.")}
        measures = v.psy()
        if rng.random() < 0.5:
            measures.update(v.weight_followup())
        return {"measures": measures, "summary": _("Consultation de suivi psychologique.")}

    def _stamp_assessment(self, assessment: Assessment, act: Act, mark: datetime) -> None:
        """Demo-only backdating: the form was filled on the act's evening, or just after the
        pathway's last earlier event (its timeline reads in the order the services wrote it)."""
        stamp = _stamp_after(act.pathway_id, act.day, mark)
        Assessment.objects.filter(pk=assessment.pk).update(submitted_at=stamp)
        Report.objects.filter(assessment=assessment).update(created_at=stamp)
        ReportDelivery.objects.filter(report__assessment=assessment).update(created_at=stamp)
        PathwayEvent.objects.filter(pathway_id=act.pathway_id, at__gte=mark).update(at=stamp)

    def _create_apa_projects(self) -> None:
        """An APA project after most APA assessments, suggesting offers near the patient."""
        rng = random.Random(f"{self.seed}-apa-projects")
        assessments = (
            Assessment.objects.filter(
                kind=APA_ASSESSMENT,
                superseded_at__isnull=True,
                pathway__structure_id__in=self._coordinators(),
            )
            .exclude(Exists(ApaProject.objects.filter(pathway=OuterRef("pathway"))))
            .select_related("pathway__patient__commune", "submitted_by")
            .order_by("pk")
        )
        count = 0
        for assessment in assessments:
            if rng.random() >= APA_PROJECT_SHARE:
                continue
            pathway = assessment.pathway
            commune = pathway.patient.commune
            offers = []
            if commune is not None and commune.latitude is not None:
                assert commune.longitude is not None  # coordinates come in pairs
                found = offer_search(
                    care_types=[CareType.APA],
                    origin=(commune.latitude, commune.longitude),
                    radius_km=APA_PROJECT_RADIUS_KM,
                    include_remote=False,
                    page_size=2,
                )
                offers = [hit.offer for hit in found.hits]
            kinds = rng.sample(list(ActivityType.values), k=rng.randint(1, 3))
            mark = timezone.now()
            apa_project_write(
                by=assessment.submitted_by,
                pathway=pathway,
                assessment=assessment,
                goals=rng.choice(
                    (
                        _("Marcher 30 minutes d'affilée sans essoufflement d'ici trois mois."),
                        _("Retrouver de la force dans les jambes et reprendre le vélo."),
                        _("Pratiquer une activité en groupe deux fois par semaine."),
                    )
                ),
                activity_types=kinds,
                sessions_per_week=rng.randint(2, 3),
                intensity=rng.choice((Intensity.LIGHT, Intensity.MODERATE)),
                session_minutes=rng.choice((30, 45, 60)),
                precautions=rng.choice(("", _("Éviter le port de charges lourdes du côté opéré."))),
                suggested_offers=offers,
                other_suggestions=""
                if offers
                else _("Marche en autonomie près du domicile, avec un podomètre."),
            )
            day = min(assessment.performed_on + timedelta(days=rng.randint(0, 5)), self.today)
            stamp = _stamp_after(pathway.pk, day, mark)
            ApaProject.objects.filter(pathway=pathway, written_at__gte=mark).update(
                written_at=stamp
            )
            PathwayEvent.objects.filter(pathway=pathway, at__gte=mark).update(at=stamp)
            count += 1
        self.result.counts["apa_projects"] = count


def _stamp_after(pathway_id: int, day: date, mark: datetime) -> datetime:
    """The evening of ``day``, but after the pathway's events written before ``mark`` and
    before ``mark`` itself."""
    stamp = timezone.make_aware(datetime.combine(day, time(19, 0)))
    latest = (
        PathwayEvent.objects.filter(pathway_id=pathway_id, at__lt=mark)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if latest is None:
        return min(stamp, mark - timedelta(seconds=1))
    stamp = max(stamp, latest + timedelta(minutes=1))
    # Events of this load's later steps (referrals) are stamped "now": stay between.
    return stamp if stamp < mark else latest + (mark - latest) / 2
