"""Who may see and change intervention territories, and who may search the commune reference."""

from uuid import UUID

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import acts_for, has_role, is_admin, is_regional
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.territories.models import InterventionTerritory
from oncoparcours.territories.selectors import territory_get


def can_search_communes(actor: Membership | None) -> bool:
    """The commune reference is public data; patients have no use for the search page."""
    return actor is not None and actor.role != RoleCode.PATIENT


def can_use_territories(actor: Membership | None) -> bool:
    """Whether the territory pages exist at all for this role (otherwise 403, not 404)."""
    return is_regional(actor) or has_role(actor, RoleCode.COORDINATOR)


def can_view_territory(actor: Membership | None, territory: InterventionTerritory) -> bool:
    if is_regional(actor):
        return True
    return has_role(actor, RoleCode.COORDINATOR) and acts_for(actor, territory.structure_id)


def can_edit_territory(actor: Membership | None, territory: InterventionTerritory) -> bool:
    """Who may change it; whether an archived territory may change is the services' rule."""
    if is_admin(actor):
        return True
    return has_role(actor, RoleCode.COORDINATOR) and acts_for(actor, territory.structure_id)


def can_create_territory(actor: Membership | None, structure: Organisation | None) -> bool:
    """Admins create for any structure porteuse (chosen in the form), coordinators for theirs.

    ``structure`` None asks whether the actor may open the creation form at all.
    """
    if is_admin(actor):
        return True
    if not has_role(actor, RoleCode.COORDINATOR):
        return False
    return structure is None or acts_for(actor, structure.pk)


def access_territory(actor: Membership | None, public_id: UUID | str) -> InterventionTerritory:
    """The territory, or 404 when the actor may not know it exists."""
    territory = territory_get(public_id)
    if territory is None or not can_view_territory(actor, territory):
        raise Http404
    return territory
