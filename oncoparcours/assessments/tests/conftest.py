import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def french():
    """Labels are asserted in French whatever language an earlier test left active."""
    with translation.override("fr"):
        yield


# --- Pathway fixtures for the forms, services, pages and API (same as the pathways tests') ---


@pytest.fixture
def today():
    """A fixed "today" after the first acts (10 June 2026): the act dates are real dates."""
    import time_machine

    with time_machine.travel("2026-06-15 12:00 +0200", tick=False):
        yield


@pytest.fixture
def covered(personas, geography):
    from oncoparcours.pathways.tests.factories import cover

    cover(personas.structure, geography["69123"], geography["69266"], name="Lyon Villeurbanne")
    cover(personas.other_structure, geography["63113"], name="Clermont")


@pytest.fixture
def patient(personas, geography, covered):
    """Camille, born 17 May 1960 (66 on 10 June 2026), female, living in Villeurbanne."""
    from oncoparcours.pathways.tests.factories import make_eligible_patient

    return make_eligible_patient(personas.structure, geography["69266"])


@pytest.fixture
def team(personas):
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
