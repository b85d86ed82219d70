"""Who may read and add versions of the regulatory parameters.

The numbers come from public legal texts: every member may read them (a coordinator sees the
cap, a professional the rates). Only an administrator adds a version.
"""

from django.http import Http404

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import is_admin
from oncoparcours.regulation.catalogue import PARAMETERS, ParameterSpec


def can_view_parameters(actor: Membership | None) -> bool:
    return actor is not None


def can_create_parameter_version(actor: Membership | None) -> bool:
    return is_admin(actor)


def access_parameter(actor: Membership | None, key: str) -> ParameterSpec:
    """The catalogue entry, or 404 for an unknown key (or an actor without a role)."""
    spec = PARAMETERS.get(key)
    if spec is None or not can_view_parameters(actor):
        raise Http404
    return spec
