"""Orientation: which structure porteuse takes the pathway (issue 3 §4, PSG-19, PSG-20)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways import hooks
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import can_reassign_pathway
from oncoparcours.pathways.rules.eligibility import AgeGroup
from oncoparcours.pathways.selectors import orientation_candidates
from oncoparcours.pathways.services._events import lock, record_event
from oncoparcours.pathways.states import FINAL_STATUSES, EventKind, PathwayStatus


@transaction.atomic
def pathway_orient(*, pathway: Pathway, by: Membership | None = None) -> Pathway:
    """The nearest structure covering the patient's commune (the matching AJA or paediatric
    scheme first); the other candidates are kept in the event for the coordinator. None:
    "territoire non couvert", and the DSRC is alerted."""
    candidates = orientation_candidates(pathway.patient, age_group=AgeGroup(pathway.age_group))
    if not candidates:
        pathway.structure = None
        pathway.uncovered = True
        pathway.save(update_fields=["structure", "uncovered"])
        record_event(
            pathway,
            EventKind.UNCOVERED,
            by=by,
            data={"commune": pathway.patient.commune.insee_code},
        )
        hooks.notify_uncovered(pathway)
        return pathway
    chosen = candidates[0]
    pathway.structure = chosen.structure
    pathway.uncovered = False
    pathway.save(update_fields=["structure", "uncovered"])
    record_event(
        pathway,
        EventKind.ORIENTED,
        by=by,
        data={
            "structure": str(chosen.structure.public_id),
            "candidates": [
                {"structure": str(c.structure.public_id), "distance_km": c.distance_km}
                for c in candidates
            ],
        },
    )
    return pathway


@transaction.atomic
def pathway_reassign(
    *, by: Membership, pathway: Pathway, structure: Organisation, reason: str
) -> Pathway:
    where = "pathway_reassign"
    if not can_reassign_pathway(by, pathway):
        refuse(
            ValidationError(
                _("Vous ne pouvez pas réattribuer ce parcours."),
                code="pathway.reassign_forbidden",
            ),
            where=where,
            by=by,
        )
    lock(pathway)
    errors = Errors()
    if PathwayStatus(pathway.status) in FINAL_STATUSES:
        errors.new("status", _("Un parcours clos ne peut plus être réattribué."), "pathway.closed")
    if structure.kind != OrgKind.STRUCTURE_PORTEUSE or structure.archived_at is not None:
        errors.new(
            "structure",
            _("Choisissez une structure porteuse active."),
            "pathway.structure_invalid",
        )
    elif structure.pk == pathway.structure_id:
        errors.new(
            "structure",
            _("Le parcours est déjà confié à cette structure."),
            "pathway.structure_unchanged",
        )
    if not reason.strip():
        errors.new("reason", _("Indiquez le motif de la réattribution."), "pathway.reason_required")
    errors.raise_if_any(where=where, by=by)
    previous = pathway.structure
    pathway.structure = structure
    pathway.uncovered = False
    pathway.save(update_fields=["structure", "uncovered"])
    # The patient's file follows the pathway, unless another structure follows them already
    # (the previous one is the only one that can hand them over).
    patient = pathway.patient
    moved = patient.structure_id in (None, previous.pk if previous else None)
    if moved:
        patient.structure = structure
        patient.save(update_fields=["structure"])
    record_event(
        pathway,
        EventKind.REASSIGNED,
        by=by,
        reason=reason.strip(),
        data={
            "from": str(previous.public_id) if previous else None,
            "to": str(structure.public_id),
            "patient_file_moved": moved,
        },
    )
    return pathway
