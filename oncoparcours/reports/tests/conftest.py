import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    """Reports are written to a throw-away media folder and MSSanté outbox."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ONCOPARCOURS_MSSANTE_OUTBOX = tmp_path / "outbox"
    settings.ONCOPARCOURS_REPORT_CHANNEL = "mssante_file"


@pytest.fixture
def today():
    """15 June 2026, after the APA assessment of 10 June."""
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
    """Camille, born 17 May 1960 (66 on 10 June 2026), female, living in Villeurbanne, whose
    médecin traitant is Dr Jean Durand."""
    from oncoparcours.pathways.tests.factories import make_eligible_patient

    return make_eligible_patient(
        personas.structure,
        geography["69266"],
        birth_name="Lefèvre",
        first_given_name="Camille",
        gp_name="Dr Jean Durand",
    )


@pytest.fixture
def team(personas):
    from types import SimpleNamespace

    from oncoparcours.accounts.roles import RoleCode
    from oncoparcours.pathways.tests.factories import make_professional

    return SimpleNamespace(
        apa=make_professional(
            personas.structure,
            RoleCode.APA_PROFESSIONAL,
            "apa_teacher",
            "apa@lyon.test",
            first_name="Paul",
            last_name="Mercier",
        ),
        dietitian=make_professional(
            personas.structure,
            RoleCode.DIETITIAN,
            "dietitian",
            "dieteticienne@lyon.test",
            first_name="Sophie",
            last_name="Bernard",
        ),
    )


@pytest.fixture
def prescriber(personas):
    from oncoparcours.pathways.tests.factories import make_prescriber

    return make_prescriber(personas, "dr.martin@hcl.mssante.test")


@pytest.fixture
def pathway(personas, patient, prescriber):
    from oncoparcours.pathways.services import pathway_mark_contacted
    from oncoparcours.pathways.tests.factories import receive

    received = receive(
        personas.coordinator,
        patient,
        prescriber=prescriber.user,
        prescriber_name="Dr Alice Martin",
        items=["apa_assessment", "diet_assessment", "psy_assessment"],
    )
    return pathway_mark_contacted(by=personas.coordinator, pathway=received)


@pytest.fixture
def apa_assessment(personas, team, pathway):
    from oncoparcours.reports.tests.factories import make_apa_assessment

    return make_apa_assessment(personas, team, pathway)
