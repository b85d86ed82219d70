"""Who may do what, from the active membership (role in an organisation).

Predicates take the acting membership, never a bare user: a person who is coordinator in one
structure and psychologist in another acts in one capacity at a time.
"""

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import ROLES, RoleCode

# Roles that see the whole region (aggregates, reference data), not one organisation.
REGIONAL_ROLES = frozenset({RoleCode.ADMIN, RoleCode.ARS_ANALYST, RoleCode.DIRECTORY_EDITOR})


def acting_membership(
    request: HttpRequest, allowed: Callable[[Membership | None], bool] | None = None
) -> Membership:
    """The membership the user acts in (``ActiveMembershipMiddleware``), or 403 when there is
    none or when ``allowed`` refuses it: the first check of every page."""
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or (allowed is not None and not allowed(membership)):
        raise PermissionDenied
    return membership


def has_role(actor: Membership | None, *roles: RoleCode) -> bool:
    return actor is not None and actor.role in roles


def is_regional(actor: Membership | None) -> bool:
    return actor is not None and actor.role in REGIONAL_ROLES


def is_admin(actor: Membership | None) -> bool:
    return has_role(actor, RoleCode.ADMIN)


def acts_for(actor: Membership | None, organisation_id: int) -> bool:
    return actor is not None and actor.organisation_id == organisation_id


def requires_second_factor(user: User, memberships: list[Membership]) -> bool:
    """Staff roles need TOTP (foundation issue §5); the demo switch may relax it."""
    if not settings.ONCOPARCOURS_REQUIRE_2FA:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(ROLES[RoleCode(m.role)].staff for m in memberships)
