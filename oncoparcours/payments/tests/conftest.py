"""Setup for the payments tests: the pathways' team, patient and open pathway, contracts, and
acts booked then completed through the real services (synthetic data)."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine

from oncoparcours.pathways.services import act_book, act_complete
from oncoparcours.pathways.tests.conftest import (  # noqa: F401  (fixtures)
    covered,
    open_pathway,
    patient,
    team,
)
from oncoparcours.professionals.services import contract_create

PARIS = ZoneInfo("Europe/Paris")
JUNE = date(2026, 6, 1)
JULY = date(2026, 7, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


def sign(personas, membership, *, kind="contracted", assessment="40.00", followup="20.00"):
    return contract_create(
        by=personas.coordinator,
        structure=personas.structure,
        professional=membership.user,
        kind=kind,
        start_date=date(2026, 1, 1),
        assessment_rate=Decimal(assessment),
        followup_rate=Decimal(followup),
    )


def done(personas, pathway, kind, membership, *, day, amount=None):
    """Books the act on ``day`` and declares it done that day (the clock on that day)."""
    with time_machine.travel(at(day, 18), tick=False):
        act = act_book(
            by=personas.coordinator,
            pathway=pathway,
            kind=kind,
            professional=membership.user,
            starts_at=at(day),
            mode="video",
            place="",
            amount=amount,
        )
        return act_complete(by=personas.coordinator, act=act, done_on=day)


@pytest.fixture
def world(personas, team, open_pathway):  # noqa: F811  (the imported fixtures)
    """The psychologist is contracted at the PSG-07/08 maxima (45,00 / 22,50); the APA
    teacher is salaried; the dietitian has no contract."""
    from oncoparcours.professionals.models import ProfessionalProfile, QualificationCategory

    # PSG-13: an APA contract needs the D.1172-2 category.
    ProfessionalProfile.objects.create(
        user=team.apa.user, qualification_category=QualificationCategory.objects.first()
    )
    return SimpleNamespace(
        personas=personas,
        team=team,
        pathway=open_pathway,
        psy_contract=sign(personas, team.psychologist, assessment="45.00", followup="22.50"),
        apa_contract=sign(personas, team.apa, kind="salaried"),
    )
