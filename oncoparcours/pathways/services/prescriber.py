"""Channel (a): a prescriber, logged in, prescribes for a patient they describe (issue 3 §2).

The prescriber does not see the structures' patient files: they give the patient's identity
and the clinical data the rules read. A patient already known (same matricule INS, or the
same strict traits, INS-01) is reused, never twinned, and nothing the prescriber cannot see is
shown to them; only the empty fields of the existing record are completed, never overwritten
(a coordinator checks the file). A new patient is followed by the structure the pathway is
oriented to, or by none while the territory is uncovered (PSG-20).
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.pathways.models import Channel, Pathway
from oncoparcours.pathways.permissions import can_prescribe
from oncoparcours.pathways.services.intake import prescription_receive
from oncoparcours.patients.models import Patient
from oncoparcours.patients.selectors import IdentityTraits, patient_duplicates
from oncoparcours.patients.services.fields import EDITABLE_FIELDS, clean_patient_fields
from oncoparcours.patients.services.patients import patient_create

# What a prescriber may complete on a known patient's record when it is empty there.
COMPLETABLE_FIELDS = (
    "ald_start_date",
    "cancer_site",
    "diagnosis_date",
    "active_treatment_end_date",
    "treatment_types",
    "gp_name",
    "gp_rpps",
    "phone",
    "email",
    "address",
)


def _known_patient(values: dict[str, Any]) -> tuple[Patient | None, int]:
    """The one patient with this matricule INS, else the one with the same strict traits."""
    traits = IdentityTraits(
        birth_name=values["birth_name"],
        first_given_name=values["first_given_name"],
        birth_date=values["birth_date"],
        sex=values["sex"],
        birth_place_insee_code=values["birth_place_insee_code"],
        ins_matricule=values["ins_matricule"],
    )
    candidates = patient_duplicates(traits)
    same_ins = [
        p for p in candidates if values["ins_matricule"] and p.ins_matricule == traits.ins_matricule
    ]
    if same_ins:
        return same_ins[0], 0
    # Several look-alikes already: not ours to choose; a new record, and the intake event
    # says so to the coordinator.
    same_traits = [p for p in candidates if not p.ins_matricule or not values["ins_matricule"]]
    if len(same_traits) == 1:
        return same_traits[0], 0
    return None, len(same_traits)


def _complete(patient: Patient, values: dict[str, Any]) -> list[str]:
    """Fills the known patient's empty fields; returns their names (codes only, for events)."""
    filled = [
        name for name in COMPLETABLE_FIELDS if values.get(name) and not getattr(patient, name)
    ]
    # An ALD declared by the prescriber, who is the one who requests it, is news to record.
    if values.get("ald_cancer") and not patient.ald_cancer:
        filled.append("ald_cancer")
    for name in filled:
        setattr(patient, name, values[name])
    if filled:
        patient.save(update_fields=filled)
    return filled


@transaction.atomic
def prescription_prescribe(
    *,
    by: Membership,
    patient: dict[str, Any],
    prescription_date: date | None,
    items: list[str],
    channel: str = Channel.FORM,
    today: date | None = None,
) -> Pathway:
    """The pathway of a prescription made by ``by`` (channel "form", or "api" for a hospital
    system acting with a prescriber's token): eligible and oriented, or refused with reasons."""
    where = "prescription_prescribe"
    if not can_prescribe(by):
        refuse(
            ValidationError(
                _("Seul un médecin prescripteur peut prescrire un parcours de soins global."),
                code="prescription.prescriber_required",
            ),
            where=where,
            by=by,
        )
    unknown = set(patient) - set(EDITABLE_FIELDS)
    errors = Errors()
    for name in sorted(unknown):
        errors.new(name, _("Champ inconnu."), "patient.field_unknown")
    values = clean_patient_fields(errors, {name: patient.get(name) for name in EDITABLE_FIELDS})
    errors.raise_if_any(where=where, by=by)
    known, look_alikes = _known_patient(values)
    if known is not None:
        record, filled = known, _complete(known, values)
    else:
        fields: dict[str, Any] = {n: patient[n] for n in EDITABLE_FIELDS if n in patient}
        record, filled = (
            patient_create(by=by, structure=None, confirm_not_duplicate=True, **fields),
            [],
        )
    pathway = prescription_receive(
        by=by,
        patient=record,
        prescriber=by.user,
        prescription_date=prescription_date,
        items=items,
        channel=channel,
        today=today,
        intake={
            "patient": "known" if known else "new",
            "completed_fields": filled,
            "look_alikes": look_alikes,
        },
    )
    if record.structure_id is None and pathway.structure_id is not None:
        record.structure_id = pathway.structure_id
        record.save(update_fields=["structure"])
    return pathway
