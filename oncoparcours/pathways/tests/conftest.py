from decimal import Decimal

import pytest

from oncoparcours.regulation.parameters import PsgacParameters

# The values of the arrêté du 24 décembre 2020 (as seeded by the regulation app), written out
# here so that these tests need no database.
ARRETE_2020 = PsgacParameters(
    assessment_max_rate=Decimal("45.00"),
    followup_max_rate=Decimal("22.50"),
    cap_per_patient=Decimal("180.00"),
    max_followups=6,
    max_assessments_per_kind=1,
    prescription_window_months=12,
    delivery_window_months=12,
    assessment_minutes=60,
    followup_minutes=30,
    child_max_years=14,
    aja_min_years=15,
    aja_max_years=25,
    contact_after_days=7,
    deadline_within_days=30,
    budget_threshold_percent=80,
)


@pytest.fixture
def params() -> PsgacParameters:
    return ARRETE_2020


@pytest.fixture
def covered(personas, geography):
    """The Lyon structure covers Lyon and Villeurbanne; the Volcans one, Clermont-Ferrand."""
    from oncoparcours.pathways.tests.factories import cover

    cover(personas.structure, geography["69123"], geography["69266"], name="Lyon Villeurbanne")
    cover(personas.other_structure, geography["63113"], name="Clermont")


@pytest.fixture
def patient(personas, geography, covered):
    """An eligible adult living in Villeurbanne, followed by the Lyon structure."""
    from oncoparcours.pathways.tests.factories import make_eligible_patient

    return make_eligible_patient(personas.structure, geography["69266"])


@pytest.fixture
def team(personas):
    """The Lyon structure's professionals, each qualified for their prestations (PSG-12/13)."""
    from types import SimpleNamespace

    from oncoparcours.accounts.roles import RoleCode
    from oncoparcours.pathways.tests.factories import make_professional

    psychologist = personas.psychologist
    psychologist.user.profession = "psychologist"
    psychologist.user.save()
    return SimpleNamespace(
        psychologist=psychologist,
        dietitian=make_professional(
            personas.structure,
            RoleCode.DIETITIAN,
            "dietitian",
            "dieteticienne@lyon.test",
            first_name="Sophie",
            last_name="Bernard",
        ),
        apa=make_professional(
            personas.structure,
            RoleCode.APA_PROFESSIONAL,
            "apa_teacher",
            "apa@lyon.test",
            first_name="Paul",
            last_name="Mercier",
        ),
    )


@pytest.fixture
def open_pathway(personas, patient):
    from oncoparcours.pathways.tests.factories import open_pathway

    return open_pathway(personas.coordinator, patient)
