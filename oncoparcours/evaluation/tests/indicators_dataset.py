"""A small hand-built dataset for the indicators: two structures, seven pathways with chosen
dates, their acts, contacts, reports, measures, APA projects and contracts.

Rows are written with the ORM, not through the services: the services stamp dates with the
clock, and these tests need exact past dates (the evaluation only reads them). Each expected
value in ``test_indicators.py`` is computed by hand from the table below.

| # | structure | commune      | age   | site  | prescribed (spec.)  | end of trt | contact | 1st bilan  | status    | closed     |
|---|-----------|--------------|-------|-------|---------------------|------------|---------|------------|-----------|------------|
| 1 | Lyon      | Villeurbanne | adult | C50.9 | 2026-01-10 oncology | 2025-12-01 | 01-15   | 2026-01-20 | completed | 2026-06-30 |
| 2 | Lyon      | Lyon         | aja   | C18   | 2026-02-01 GP       | 2026-01-01 | 02-03   | 2026-02-15 | withdrawn | 2026-05-10 |
| 3 | Lyon      | Lyon         | child | —     | 2026-04-01 paed.    | 2026-03-01 | 04-02   | 2026-04-30 | active    |            |
| 4 | Lyon      | Lyon         | adult | C61   | 2026-03-01 other    | 2024-12-01 |         |            | refused (PSG-02, PSG-03) |  |
| 5 | Volcans   | Clermont     | adult | C34   | 2026-05-01 oncology | 2026-04-01 | 05-05   | 2026-05-20 | active    |            |
| 6 | Volcans   | Clermont     | adult | C50   | 2025-11-01 oncology | 2025-10-01 | 2025-11-10 | 2025-12-01 | completed | 2026-03-01 |
| 7 | (none, uncovered) | Annecy | adult | C50 | 2026-06-01 oncology | 2026-05-01 |      |            | eligible  |            |
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.assessments.models import ApaProject, Assessment, InstrumentRecord
from oncoparcours.core.testing import Personas, make_member
from oncoparcours.directory.tests.factories import make_offer
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Act, Pathway, PathwayEvent, Prescription, Referral
from oncoparcours.pathways.states import EventKind
from oncoparcours.pathways.tests.factories import cover
from oncoparcours.patients.tests.factories import make_patient
from oncoparcours.professionals.models import Contract
from oncoparcours.reports.models import Report, ReportDelivery
from oncoparcours.territories.models import Commune, InterventionTerritory

PARIS = ZoneInfo("Europe/Paris")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


@dataclass
class Dataset:
    personas: Personas
    lyon_territory: InterventionTerritory
    pathways: dict[int, Pathway] = field(default_factory=dict)
    acts: dict[str, Act] = field(default_factory=dict)


class Builder:
    def __init__(self, personas: Personas, professional: Membership) -> None:
        self.personas = personas
        self.professional = professional

    def pathway(
        self,
        *,
        structure: Organisation | None,
        commune: Commune,
        age_group: str,
        cancer_site: str,
        prescribed: date,
        specialty: str,
        treatment_end: date | None,
        status: str,
        contacted: date | None = None,
        first_assessment: date | None = None,
        closed: date | None = None,
        refused_codes: tuple[str, ...] = (),
    ) -> Pathway:
        by = (
            self.personas.coordinator
            if structure != self.personas.other_structure
            else (self.personas.other_coordinator)
        )
        patient = make_patient(
            structure or self.personas.structure, commune, cancer_site=cancer_site, ald_cancer=True
        )
        prescription = Prescription.objects.create(
            patient=patient,
            prescriber_name="Dr Test",
            prescriber_specialty=specialty,
            prescription_date=prescribed,
            items=["apa_assessment", "diet_assessment", "psy_assessment"],
            ald_cancer=True,
            active_treatment_end_date=treatment_end,
            channel="paper",
            received_by=by,
            eligibility="refused" if refused_codes else "eligible",
            failures=[{"code": c, "message": "…", "field": None} for c in refused_codes],
        )
        pathway = Pathway.objects.create(
            patient=patient,
            prescription=prescription,
            structure=structure,
            uncovered=structure is None,
            age_group=age_group,
            status=status,
            first_assessment_date=first_assessment,
            cap=Decimal("180.00"),
            closed_at=at(closed, 18) if closed else None,
        )
        if contacted:
            event = PathwayEvent.objects.create(pathway=pathway, kind=EventKind.CONTACTED, actor=by)
            PathwayEvent.objects.filter(pk=event.pk).update(at=at(contacted))
        return pathway

    def act(self, pathway: Pathway, kind: str, day: date, amount: str, status: str = "done") -> Act:
        return Act.objects.create(
            pathway=pathway,
            kind=kind,
            professional=self.professional.user,
            starts_at=at(day, 9),
            duration_minutes=60 if kind.endswith("assessment") else 30,
            mode="in_person",
            amount=Decimal(amount),
            status=status,
            booked_by=self.personas.coordinator,
            done_at=at(day, 10) if status == "done" else None,
        )

    def measure(
        self, act: Act, day: date, scores: dict[str, str], superseded: bool = False
    ) -> Assessment:
        assessment = Assessment.objects.create(
            act=act,
            pathway=act.pathway,
            kind=act.kind,
            performed_on=day,
            submitted_by=self.personas.coordinator,
            superseded_at=at(day, 12) if superseded else None,
        )
        for position, (instrument, score) in enumerate(scores.items()):
            InstrumentRecord.objects.create(
                assessment=assessment,
                position=position,
                instrument=instrument,
                version="test",
                score=Decimal(score),
            )
        return assessment

    def report(self, assessment: Assessment, **statuses: str) -> Report:
        report = Report.objects.create(
            pathway=assessment.pathway,
            assessment=assessment,
            kind=assessment.kind,
            file="reports/test.pdf",
            size=1,
            sha256="0" * 64,
            created_by=self.personas.coordinator,
        )
        for role, status in statuses.items():
            ReportDelivery.objects.create(
                report=report, recipient_role=role, channel="email", status=status
            )
        return report

    def apa_project(self, pathway: Pathway, day: date) -> ApaProject:
        project = ApaProject.objects.create(
            pathway=pathway,
            goals="Marcher",
            sessions_per_week=2,
            intensity="moderate",
            session_minutes=45,
            written_by=self.personas.coordinator,
        )
        ApaProject.objects.filter(pk=project.pk).update(written_at=at(day))
        return project


def build(personas: Personas, geography: dict[str, Commune]) -> Dataset:
    lyon, villeurbanne = geography["69123"], geography["69266"]
    clermont, annecy = geography["63113"], geography["74010"]
    cover(personas.structure, lyon, villeurbanne, name="Lyon Villeurbanne")
    cover(personas.other_structure, clermont, name="Clermont")
    territory = InterventionTerritory.objects.get(name="Lyon Villeurbanne")
    psychologist = personas.psychologist
    b = Builder(personas, psychologist)
    s, v = personas.structure, personas.other_structure
    data = Dataset(personas=personas, lyon_territory=territory)
    p = data.pathways
    p[1] = b.pathway(
        structure=s, commune=villeurbanne, age_group="adult", cancer_site="C50.9",
        prescribed=date(2026, 1, 10), specialty="oncology", treatment_end=date(2025, 12, 1),
        status="completed", contacted=date(2026, 1, 15), first_assessment=date(2026, 1, 20),
        closed=date(2026, 6, 30),
    )  # fmt: skip
    p[2] = b.pathway(
        structure=s, commune=lyon, age_group="aja", cancer_site="C18",
        prescribed=date(2026, 2, 1), specialty="general_practice", treatment_end=date(2026, 1, 1),
        status="withdrawn", contacted=date(2026, 2, 3), first_assessment=date(2026, 2, 15),
        closed=date(2026, 5, 10),
    )  # fmt: skip
    p[3] = b.pathway(
        structure=s, commune=lyon, age_group="child", cancer_site="",
        prescribed=date(2026, 4, 1), specialty="paediatrics", treatment_end=date(2026, 3, 1),
        status="active", contacted=date(2026, 4, 2), first_assessment=date(2026, 4, 30),
    )  # fmt: skip
    p[4] = b.pathway(
        structure=s, commune=lyon, age_group="adult", cancer_site="C61",
        prescribed=date(2026, 3, 1), specialty="other", treatment_end=date(2024, 12, 1),
        status="refused", refused_codes=("PSG-02", "PSG-03"),
    )  # fmt: skip
    p[5] = b.pathway(
        structure=v, commune=clermont, age_group="adult", cancer_site="C34",
        prescribed=date(2026, 5, 1), specialty="oncology", treatment_end=date(2026, 4, 1),
        status="active", contacted=date(2026, 5, 5), first_assessment=date(2026, 5, 20),
    )  # fmt: skip
    p[6] = b.pathway(
        structure=v, commune=clermont, age_group="adult", cancer_site="C50",
        prescribed=date(2025, 11, 1), specialty="oncology", treatment_end=date(2025, 10, 1),
        status="completed", contacted=date(2025, 11, 10), first_assessment=date(2025, 12, 1),
        closed=date(2026, 3, 1),
    )  # fmt: skip
    p[7] = b.pathway(
        structure=None, commune=annecy, age_group="adult", cancer_site="C50",
        prescribed=date(2026, 6, 1), specialty="oncology", treatment_end=date(2026, 5, 1),
        status="eligible",
    )  # fmt: skip

    a = data.acts
    a["1.apa"] = b.act(p[1], "apa_assessment", date(2026, 1, 20), "45.00")
    a["1.diet"] = b.act(p[1], "diet_assessment", date(2026, 2, 1), "45.00")
    a["1.psy"] = b.act(p[1], "psy_assessment", date(2026, 2, 10), "45.00")
    a["1.diet_f"] = b.act(p[1], "diet_followup", date(2026, 3, 1), "22.50")
    a["1.psy_f"] = b.act(p[1], "psy_followup", date(2026, 3, 15), "22.50")
    a["2.psy"] = b.act(p[2], "psy_assessment", date(2026, 2, 15), "45.00")
    a["2.diet_f"] = b.act(p[2], "diet_followup", date(2026, 3, 1), "22.50", status="cancelled")
    a["3.apa"] = b.act(p[3], "apa_assessment", date(2026, 4, 30), "45.00")
    a["3.psy_f"] = b.act(p[3], "psy_followup", date(2026, 7, 1), "22.50", status="booked")
    a["5.diet"] = b.act(p[5], "diet_assessment", date(2026, 5, 20), "40.00")
    a["5.diet_f"] = b.act(p[5], "diet_followup", date(2026, 6, 20), "22.50")
    a["6.apa"] = b.act(p[6], "apa_assessment", date(2025, 12, 1), "45.00")
    a["6.diet_f"] = b.act(p[6], "diet_followup", date(2026, 1, 10), "22.50")

    # I-14 measures (a superseded correction is ignored).
    current = b.measure(a["1.apa"], date(2026, 1, 20), {"six_minute_walk": "400"})
    old = b.measure(a["1.apa"], date(2026, 1, 20), {"six_minute_walk": "999"}, superseded=True)
    Assessment.objects.filter(pk=old.pk).update(superseded_by=current)
    b.measure(a["1.psy"], date(2026, 2, 10), {"hads": "20"})
    b.measure(a["1.diet_f"], date(2026, 3, 1), {"six_minute_walk": "460"})
    b.measure(a["1.psy_f"], date(2026, 3, 15), {"hads": "14"})
    psy_2 = b.measure(a["2.psy"], date(2026, 2, 15), {"six_minute_walk": "300"})
    b.measure(a["5.diet"], date(2026, 5, 20), {"six_minute_walk": "350"})
    b.measure(a["5.diet_f"], date(2026, 6, 20), {"six_minute_walk": "380"})

    # I-11: reports of the bilans of pathways 1 and 2, and their deliveries.
    b.report(current, prescriber="sent", gp="sent")
    b.report(
        b.measure(a["1.diet"], date(2026, 2, 1), {}), prescriber="sent", gp="withheld_no_consent"
    )
    b.report(psy_2, prescriber="failed", gp="sent")

    # I-15: APA projects (pathway 6's first one is from 2025) and orientations to APA.
    b.apa_project(p[1], date(2026, 1, 25))
    b.apa_project(p[3], date(2026, 5, 2))
    b.apa_project(p[6], date(2025, 12, 5))
    for pathway in (p[1], p[6]):
        Referral.objects.create(
            pathway=pathway,
            care_type="apa",
            provider_name="Club",
            referred_by=b.personas.coordinator,
        )

    # I-12: contracts (the APA teacher's ended in 2025).
    dietitian = make_member(s, RoleCode.DIETITIAN, "diet@lyon.test", profession="dietitian")
    apa = make_member(v, RoleCode.APA_PROFESSIONAL, "apa@volcans.test", profession="apa_teacher")
    psychologist.user.profession = "psychologist"
    psychologist.user.save()
    contracts: list[dict[str, Any]] = [
        {"professional": psychologist.user, "structure": s, "kind": "contracted",
         "start_date": date(2025, 1, 1), "end_date": None},
        {"professional": psychologist.user, "structure": v, "kind": "contracted",
         "start_date": date(2026, 1, 1), "end_date": None},
        {"professional": dietitian.user, "structure": s, "kind": "salaried",
         "start_date": date(2026, 3, 1), "end_date": date(2026, 12, 31)},
        {"professional": apa.user, "structure": v, "kind": "contracted",
         "start_date": date(2024, 1, 1), "end_date": date(2025, 6, 30)},
    ]  # fmt: skip
    for values in contracts:
        Contract.objects.create(
            assessment_rate=Decimal("45.00"),
            followup_rate=Decimal("22.50"),
            created_by=personas.coordinator,
            **values,
        )

    # I-13: one APA offer, located at Lyon's town hall.
    make_offer("APA Lyon", commune=lyon, care_type="apa")
    return data


@pytest.fixture(name="dataset")
def dataset_fixture(personas: Personas, geography: dict[str, Commune]) -> Dataset:
    return build(personas, geography)
