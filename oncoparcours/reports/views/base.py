from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from oncoparcours.accounts.models import Membership


def acting_member(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None:
        raise PermissionDenied
    return membership
