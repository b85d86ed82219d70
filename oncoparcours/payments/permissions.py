"""Who may see and handle payment statements.

The coordinator of a structure porteuse prepares, validates and records the payment of its
professionals' statements; a professional (APA, dietitian, psychologist) reads their own
statements, in every structure. Nobody else sees them (the ARS funds the structure, not the
professionals: domain §2.4 step 8).
"""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for, has_role
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.payments.models import Statement
from oncoparcours.professionals.permissions import is_professional


def can_manage_statements(actor: Membership | None, structure: Organisation) -> bool:
    return (
        structure.kind == OrgKind.STRUCTURE_PORTEUSE
        and has_role(actor, RoleCode.COORDINATOR)
        and acts_for(actor, structure.pk)
    )


def is_coordinator(actor: Membership | None) -> bool:
    return has_role(actor, RoleCode.COORDINATOR)


def can_use_payments(actor: Membership | None) -> bool:
    """The pages: a coordinator (their structure's statements) or a professional (their own)."""
    return is_coordinator(actor) or is_professional(actor)


def can_view_statement(actor: Membership | None, statement: Statement) -> bool:
    if actor is None:
        return False
    if can_manage_statements(actor, statement.structure):
        return True
    return is_professional(actor) and actor.user_id == statement.professional_id


def access_statement(actor: Membership | None, public_id: UUID | str) -> Statement:
    """The statement, or 404 if it does not exist or is not the actor's to see."""
    statement = (
        Statement.objects.select_related(
            "structure", "professional", "validated_by__user", "paid_by__user"
        )
        .filter(public_id=public_id)
        .first()
    )
    if statement is None or not can_view_statement(actor, statement):
        raise Http404
    return statement
