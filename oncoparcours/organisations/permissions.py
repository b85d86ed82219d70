"""Who may see and change organisations and their members."""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import (
    REGIONAL_ROLES,
    acts_for,
    has_role,
    is_admin,
    is_regional,
)
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.organisations.models import Organisation


def can_list_organisations(actor: Membership | None) -> bool:
    """Anyone acting in a role: regional roles see them all, the others their own."""
    return actor is not None


def can_view_organisation(actor: Membership | None, organisation: Organisation) -> bool:
    return is_regional(actor) or acts_for(actor, organisation.pk)


def can_create_organisation(actor: Membership | None) -> bool:
    return is_admin(actor)


def can_edit_organisation(actor: Membership | None, organisation: Organisation) -> bool:
    return is_admin(actor) or (
        has_role(actor, RoleCode.COORDINATOR) and acts_for(actor, organisation.pk)
    )


def can_change_organisation_kind(actor: Membership | None) -> bool:
    """The kind decides which roles an organisation may hold: an administrator's change."""
    return is_admin(actor)


def can_archive_organisation(actor: Membership | None, organisation: Organisation) -> bool:
    return is_admin(actor)


def can_manage_members(actor: Membership | None, organisation: Organisation) -> bool:
    return is_admin(actor) or (
        has_role(actor, RoleCode.COORDINATOR) and acts_for(actor, organisation.pk)
    )


def can_grant_role(actor: Membership | None, role: RoleCode) -> bool:
    """Regional roles are granted by an administrator only; patient accounts are not members.

    Without this a coordinator could make someone administrator of their structure (the
    admin role may be held in any kind of organisation).
    """
    if role == RoleCode.PATIENT:
        return False
    if role in REGIONAL_ROLES:
        return is_admin(actor)
    return actor is not None


def access_organisation(actor: Membership | None, public_id: UUID | str) -> Organisation:
    """The organisation, or 404 if it does not exist or the actor may not know it does."""
    organisation = (
        Organisation.objects.select_related("commune__department")
        .filter(public_id=public_id)
        .first()
    )
    if organisation is None or not can_view_organisation(actor, organisation):
        raise Http404
    return organisation
