import pytest
from django.utils import translation

# The pathways tests' setup: the covering structures, Camille (born 17 May 1960, 66 on 10 June
# 2026, female, living in Villeurbanne) and the qualified team.
from oncoparcours.pathways.tests.conftest import covered, patient, team  # noqa: F401


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
def open_pathway(personas, patient):  # noqa: F811 (the imported fixture)
    from oncoparcours.pathways.tests.factories import open_pathway

    return open_pathway(personas.coordinator, patient)
