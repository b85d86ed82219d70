"""Who may see and act on pathways.

The coordinator of the pathway's structure sees and acts on it; the prescriber (the user who
prescribed) reads their own prescriptions' pathways; a professional (APA, dietitian,
psychologist) reads the pathways of the patients assigned to them, i.e. where they hold an act,
in a structure they work for; the DSRC's directory editors and the
admins see the uncovered ones (to find a structure); the ARS sees aggregates only, never a
pathway (domain §8.6).
"""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import PSGAC_PROFESSIONAL_ROLES, RoleCode
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.selectors import act_detail, pathway_detail

# Who prescribes a PSGAC (channel "form"): PSG-02 itself (oncologist, GP, paediatrician) is
# checked on each prescription from the specialty, and a refusal is kept with its reason.
PRESCRIBING_ROLES = (RoleCode.PRESCRIBER, RoleCode.HOSPITAL_ONCOLOGIST)


def can_list_pathways(actor: Membership | None) -> bool:
    return has_role(
        actor, RoleCode.COORDINATOR, *PRESCRIBING_ROLES, RoleCode.DIRECTORY_EDITOR, RoleCode.ADMIN
    )


def can_list_own_prescriptions(actor: Membership | None) -> bool:
    """A prescriber's list of the prescriptions they made (issue 3 §8)."""
    return has_role(actor, *PRESCRIBING_ROLES)


def can_prescribe(actor: Membership | None) -> bool:
    return has_role(actor, *PRESCRIBING_ROLES)


def can_receive_prescription(actor: Membership | None) -> bool:
    """A prescriber (form, their software) or a structure's coordinator (paper, API)."""
    return has_role(actor, RoleCode.COORDINATOR, *PRESCRIBING_ROLES)


def can_act_on_pathway(actor: Membership | None, pathway: Pathway) -> bool:
    return (
        has_role(actor, RoleCode.COORDINATOR)
        and pathway.structure_id is not None
        and acts_for(actor, pathway.structure_id)
    )


def can_reassign_pathway(actor: Membership | None, pathway: Pathway) -> bool:
    """The coordinator of the current structure, or the DSRC (and admins) for an uncovered
    one (PSG-20: they find a structure for it)."""
    if pathway.structure_id is not None:
        return has_role(actor, RoleCode.COORDINATOR) and acts_for(actor, pathway.structure_id)
    return pathway.uncovered and has_role(actor, RoleCode.DIRECTORY_EDITOR, RoleCode.ADMIN)


def can_view_pathway(actor: Membership | None, pathway: Pathway) -> bool:
    if actor is None:
        return False
    if can_act_on_pathway(actor, pathway):
        return True
    if has_role(actor, *PRESCRIBING_ROLES):
        return pathway.prescription.prescriber_id == actor.user_id
    if has_role(actor, *PSGAC_PROFESSIONAL_ROLES):
        return is_assigned_professional(actor, pathway)
    if has_role(actor, RoleCode.DIRECTORY_EDITOR, RoleCode.ADMIN):
        return pathway.uncovered
    return False


def is_assigned_professional(actor: Membership, pathway: Pathway) -> bool:
    """The patient is assigned to the professional: an act of the pathway is booked with them,
    in the structure they act for."""
    return (
        pathway.structure_id is not None
        and acts_for(actor, pathway.structure_id)
        and pathway.acts.filter(professional_id=actor.user_id).exists()
    )


def access_pathway(actor: Membership | None, public_id: UUID | str) -> Pathway:
    """The pathway with its timeline, or 404 if it does not exist or is not the actor's."""
    pathway = pathway_detail(public_id)
    if pathway is None or not can_view_pathway(actor, pathway):
        raise Http404
    return pathway


def can_manage_acts(actor: Membership | None, pathway: Pathway) -> bool:
    """Book, reschedule, cancel: the coordinator of the pathway's structure."""
    return can_act_on_pathway(actor, pathway)


def can_complete_act(actor: Membership | None, act: Act) -> bool:
    """Mark done or no-show: the coordinator, or the professional the act is booked with."""
    if actor is None:
        return False
    return can_act_on_pathway(actor, act.pathway) or act.professional_id == actor.user_id


def can_view_act(actor: Membership | None, act: Act) -> bool:
    if actor is None:
        return False
    return act.professional_id == actor.user_id or can_view_pathway(actor, act.pathway)


def can_view_agenda(actor: Membership | None) -> bool:
    """The agenda lists the logged-in person's own acts: every professional role."""
    return has_role(actor, *PSGAC_PROFESSIONAL_ROLES)


def access_act(actor: Membership | None, public_id: UUID | str) -> Act:
    """The act with its pathway, or 404 if it does not exist or is not the actor's to see."""
    act = act_detail(public_id)
    if act is None or not can_view_act(actor, act):
        raise Http404
    return act
