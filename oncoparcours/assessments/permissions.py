"""Who may fill and read the assessments of a pathway.

The professional the act is booked with fills its form, in the structure of the pathway
(PSG-12/13 were checked at booking). The care team reads the results: the structure's
coordinator and the professionals assigned to the pathway. The prescriber reads the report
the structure sends (issue 4 §4), not the raw entries; the ARS never reads a named result.
"""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for
from oncoparcours.assessments.models import Assessment
from oncoparcours.assessments.selectors import assessment_detail
from oncoparcours.pathways.models import Act, Pathway
from oncoparcours.pathways.permissions import (
    access_act,
    can_act_on_pathway,
    is_assigned_professional,
)


def can_submit_assessment(actor: Membership | None, act: Act) -> bool:
    """The act's own professional, acting for the pathway's structure."""
    pathway = act.pathway
    return (
        actor is not None
        and act.professional_id == actor.user_id
        and pathway.structure_id is not None
        and acts_for(actor, pathway.structure_id)
    )


def can_view_assessments(actor: Membership | None, pathway: Pathway) -> bool:
    if actor is None:
        return False
    return can_act_on_pathway(actor, pathway) or is_assigned_professional(actor, pathway)


def access_act_for_assessment(actor: Membership | None, act_id: UUID | str) -> Act:
    """The act, or 404 when the actor may not know it (then 403 is the caller's to raise for
    a viewer who may not fill it)."""
    act = access_act(actor, act_id)
    if not (can_submit_assessment(actor, act) or can_view_assessments(actor, act.pathway)):
        raise Http404
    return act


def access_pathway_assessments(actor: Membership | None, public_id: UUID | str) -> Pathway:
    """The pathway whose assessments the actor reads, or 404."""
    pathway = Pathway.objects.filter(public_id=public_id).first()
    if pathway is None or not can_view_assessments(actor, pathway):
        raise Http404
    return pathway


def access_assessment(actor: Membership | None, public_id: UUID | str) -> Assessment:
    assessment = assessment_detail(public_id)
    if assessment is None or not can_view_assessments(actor, assessment.pathway):
        raise Http404
    return assessment
