from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from oncoparcours.accounts.models import Membership
from oncoparcours.directory.permissions import can_edit_directory


def membership_or_none(request: HttpRequest) -> Membership | None:
    """The acting membership; None for an anonymous visitor (public pages)."""
    membership: Membership | None = getattr(request, "membership", None)
    return membership


def actor(request: HttpRequest) -> Membership:
    membership = membership_or_none(request)
    if membership is None:
        raise PermissionDenied
    return membership


def editor(request: HttpRequest) -> Membership:
    """Directory editors and admins; everyone else gets 403."""
    membership = actor(request)
    if not can_edit_directory(membership):
        raise PermissionDenied
    return membership
