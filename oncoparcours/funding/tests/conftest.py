"""Setup for the funding tests: the ARS's conventions, an envelope, and a hand-built set of
pathways and acts whose due amounts the tests compute by hand."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from oncoparcours.accounts.models import Membership
from oncoparcours.funding import services
from oncoparcours.funding.models import Convention, FundingEnvelope
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.tests.factories import cover, make_eligible_patient, receive
from oncoparcours.territories.models import InterventionTerritory

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 6, 1)


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


@pytest.fixture
def territories(personas, geography) -> dict[str, InterventionTerritory]:
    """The Lyon structure covers Lyon and Villeurbanne; the Volcans one, Clermont-Ferrand."""
    cover(personas.structure, geography["69123"], geography["69266"], name="Lyon Villeurbanne")
    cover(personas.other_structure, geography["63113"], name="Clermont")
    return {
        "lyon": InterventionTerritory.objects.get(structure=personas.structure),
        "volcans": InterventionTerritory.objects.get(structure=personas.other_structure),
    }


def make_convention(
    by: Membership,
    structure,
    territory: InterventionTerritory,
    *,
    reference: str,
    start: date = date(2026, 1, 1),
    end: date = date(2028, 12, 31),
    signed_on: date | None = date(2025, 12, 15),
    amends: Convention | None = None,
) -> Convention:
    convention = services.convention_create(
        by=by,
        structure=structure,
        reference=reference,
        start_date=start,
        end_date=end,
        territories=[territory],
        expected_patients_per_year=120,
        report_due_month=3,
        report_due_day=31,
        funding_terms="Forfait par patient dans la limite du plafond réglementaire.",
        amends=amends,
    )
    if signed_on is not None:
        convention = services.convention_sign(by=by, convention=convention, signed_on=signed_on)
    return convention


@pytest.fixture
def conventions(personas, territories) -> dict[str, Convention]:
    ars = personas.ars_analyst
    return {
        "lyon": make_convention(
            ars, personas.structure, territories["lyon"], reference="CONV-LYON"
        ),
        "volcans": make_convention(
            ars, personas.other_structure, territories["volcans"], reference="CONV-VOLCANS"
        ),
    }


@pytest.fixture
def envelope(personas) -> FundingEnvelope:
    return services.envelope_create(
        by=personas.ars_analyst,
        year=2026,
        region="Auvergne-Rhône-Alpes",
        label="FIR PSGAC",
        amount=Decimal("1000.00"),
        source_note="Décision de test",
    )


def done_act(pathway: Pathway, by: Membership, when: datetime, amount: str, **extra) -> Act:
    """Written directly: the budget guards would refuse some of these acts (beyond the cap),
    and the ARS's figure must cap them anyway."""
    fields = {
        "pathway": pathway,
        "kind": "psy_followup",
        "professional": by.user,
        "starts_at": when,
        "duration_minutes": 30,
        "mode": "in_person",
        "amount": Decimal(amount),
        "booked_by": by,
        "status": "done",
        "done_at": when,
    }
    fields.update(extra)
    return Act.objects.create(**fields)


@dataclass
class Dataset:
    lyon_simple: Pathway
    lyon_over_cap: Pathway
    volcans: Pathway


@pytest.fixture
def dataset(personas, geography, territories) -> Dataset:
    """Acts around June 2026 (the period the tests ask about), amounts chosen by hand."""
    coordinator, other = personas.coordinator, personas.other_coordinator
    lyon_simple = receive(
        coordinator, make_eligible_patient(personas.structure, geography["69266"])
    )
    lyon_over_cap = receive(
        coordinator, make_eligible_patient(personas.structure, geography["69123"])
    )
    volcans = receive(other, make_eligible_patient(personas.other_structure, geography["63113"]))
    assert lyon_simple.structure == lyon_over_cap.structure == personas.structure
    assert volcans.structure == personas.other_structure

    # Lyon, simple: 45 + 22.50 done in June; a cancelled act, a booked one, one in July.
    done_act(lyon_simple, coordinator, local(2026, 6, 3), "45.00", kind="psy_assessment")
    done_act(lyon_simple, coordinator, local(2026, 6, 10), "22.50")
    done_act(
        lyon_simple, coordinator, local(2026, 6, 12), "45.00", status="cancelled", done_at=None
    )
    done_act(lyon_simple, coordinator, local(2026, 6, 20), "22.50", status="booked", done_at=None)
    done_act(lyon_simple, coordinator, local(2026, 7, 2), "22.50")
    # Lyon, beyond the cap: 3 x 45 in May, then 4 x 22.50 in June (the last at 23:30 on the
    # 30th, still June in Paris).
    for day in (18, 19, 20):
        done_act(lyon_over_cap, coordinator, local(2026, 5, day), "45.00", kind="psy_assessment")
    for day in (5, 12, 19):
        done_act(lyon_over_cap, coordinator, local(2026, 6, day), "22.50")
    done_act(lyon_over_cap, coordinator, local(2026, 6, 30, 23, 30), "22.50")
    # Volcans: 45 on 31 May at 23:30 (before the period), 45 on 1 June at 00:30 (June in Paris,
    # still 31 May in UTC: counted), 45 on 15 June.
    done_act(volcans, other, local(2026, 5, 31, 23, 30), "45.00", kind="diet_assessment")
    done_act(volcans, other, local(2026, 6, 1, 0, 30), "45.00", kind="apa_assessment")
    done_act(volcans, other, local(2026, 6, 15), "45.00", kind="psy_assessment")
    return Dataset(lyon_simple=lyon_simple, lyon_over_cap=lyon_over_cap, volcans=volcans)
