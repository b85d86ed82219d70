"""Setup for the pathways tests: territories, a patient, prescriptions (synthetic data)."""

from datetime import date
from typing import Any

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.testing import Personas, make_member, make_organisation
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.services import prescription_receive
from oncoparcours.patients.models import Patient
from oncoparcours.patients.tests.factories import make_patient
from oncoparcours.territories.models import Commune, InterventionTerritory

TODAY = date(2026, 6, 1)
END_OF_TREATMENT = date(2026, 1, 15)
# A valid RPPS (Luhn key).
RPPS = "10003456786"


def cover(structure: Organisation, *communes: Commune, name: str = "Territoire") -> None:
    territory = InterventionTerritory.objects.create(name=name, structure=structure)
    territory.communes.set(communes)


def make_eligible_patient(structure: Organisation, commune: Commune, **extra: Any) -> Patient:
    fields: dict[str, Any] = {
        "ald_cancer": True,
        "active_treatment_end_date": END_OF_TREATMENT,
        "treatment_types": ["chemotherapy"],
    }
    fields.update(extra)
    return make_patient(structure, commune, **fields)


def receive(by: Membership, patient: Patient, **overrides: Any) -> Pathway:
    fields: dict[str, Any] = {
        "prescriber": None,
        "prescriber_name": "Dr Alice Martin",
        "prescriber_rpps": RPPS,
        "prescriber_specialty": "oncology",
        "prescription_date": date(2026, 5, 1),
        "items": ["apa_assessment", "psy_followup"],
        "channel": "paper",
        "today": TODAY,
    }
    fields.update(overrides)
    return prescription_receive(by=by, patient=patient, **fields)


def make_prescriber(personas: Personas, email: str = "oncologue@hcl.test") -> Membership:
    hospital = make_organisation("Hôpital test", OrgKind.HEALTH_ESTABLISHMENT)
    return make_member(hospital, RoleCode.PRESCRIBER, email, specialty="oncology", rpps=RPPS)


def make_directory_editor(personas: Personas) -> Membership:
    dsrc = Organisation.objects.get(kind=OrgKind.DSRC)
    return make_member(dsrc, RoleCode.DIRECTORY_EDITOR, "repertoire@oncoaura.test")


ALL_ITEMS = ["apa_assessment", "diet_assessment", "psy_assessment", "diet_followup", "psy_followup"]


def make_professional(
    structure: Organisation, role: RoleCode, profession: str, email: str, **extra: Any
) -> Membership:
    return make_member(structure, role, email, profession=profession, **extra)


def open_pathway(by: Membership, patient: Patient, items: list[str] | None = None) -> Pathway:
    """An eligible pathway whose patient was contacted: acts may be booked (issue 3 §6)."""
    from oncoparcours.pathways.services import pathway_mark_contacted

    pathway = receive(by, patient, items=items or ALL_ITEMS)
    return pathway_mark_contacted(by=by, pathway=pathway)
