"""The pathway's life after intake: contact, first assessment, closure, expiry (§2.4)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.budget import delivery_deadline
from oncoparcours.pathways.services._events import check_transition, lock, move
from oncoparcours.pathways.states import CLOSING_OUTCOMES, PathwayStatus
from oncoparcours.regulation.selectors import psgac_parameters_at


@transaction.atomic
def pathway_mark_contacted(*, by: Membership, pathway: Pathway) -> Pathway:
    lock(pathway)
    move(pathway, PathwayStatus.CONTACTED, by=by, where="pathway_mark_contacted")
    return pathway


@transaction.atomic
def pathway_activate(
    *, pathway: Pathway, first_assessment_date: date, by: Membership | None = None
) -> Pathway:
    """The first assessment is done: PSG-06 opens the delivery window. The window is read from
    the parameters in force at the prescription date, like the cap, so a later change of the
    parameters never rewrites a running pathway."""
    where = "pathway_activate"
    lock(pathway)
    check_transition(pathway, PathwayStatus.ACTIVE, by=by, where=where)
    if first_assessment_date < pathway.prescription.prescription_date:
        refuse(
            ValidationError(
                {
                    "first_assessment_date": ValidationError(
                        _("Le premier bilan ne peut pas précéder la prescription."),
                        code="pathway.assessment_before_prescription",
                    )
                }
            ),
            where=where,
            by=by,
        )
    params = psgac_parameters_at(pathway.prescription.prescription_date)
    pathway.first_assessment_date = first_assessment_date
    pathway.deadline = delivery_deadline(first_assessment_date, params)
    move(
        pathway,
        PathwayStatus.ACTIVE,
        by=by,
        where=where,
        data={"deadline": pathway.deadline.isoformat()},
        extra_fields=("first_assessment_date", "deadline"),
    )
    return pathway


@transaction.atomic
def pathway_close(*, by: Membership, pathway: Pathway, outcome: str, reason: str = "") -> Pathway:
    """Completed, withdrawn, lost to follow-up or deceased; a reason is required but for
    completion."""
    where = "pathway_close"
    errors = Errors()
    if outcome not in CLOSING_OUTCOMES:
        errors.new("outcome", _("Issue de clôture inconnue."), "pathway.outcome_invalid")
    elif outcome != PathwayStatus.COMPLETED and not reason.strip():
        errors.new("reason", _("Indiquez le motif de la clôture."), "pathway.reason_required")
    errors.raise_if_any(where=where, by=by)
    lock(pathway)
    pathway.closed_at = timezone.now()
    pathway.closure_reason = reason.strip()
    move(
        pathway,
        outcome,
        by=by,
        where=where,
        reason=reason.strip(),
        extra_fields=("closed_at", "closure_reason"),
    )
    return pathway


@transaction.atomic
def pathway_expire(*, pathway: Pathway, today: date) -> Pathway:
    """The system closes an active pathway once its PSG-06 deadline has passed."""
    where = "pathway_expire"
    lock(pathway)
    check_transition(pathway, PathwayStatus.EXPIRED, by=None, where=where)
    if pathway.deadline is None or today <= pathway.deadline:
        refuse(
            ValidationError(
                _("L'échéance du parcours n'est pas dépassée."), code="pathway.not_expired"
            ),
            where=where,
            by=None,
        )
    pathway.closed_at = timezone.now()
    move(
        pathway,
        PathwayStatus.EXPIRED,
        by=None,
        where=where,
        data={"deadline": pathway.deadline.isoformat()},
        extra_fields=("closed_at",),
    )
    return pathway
