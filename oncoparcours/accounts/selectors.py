from django.db.models import Q, QuerySet
from django.utils import timezone

from oncoparcours.accounts.models import Membership, User


def membership_list_for_user(user: User) -> QuerySet[Membership]:
    """Active memberships, organisation loaded (the header and the switcher show it)."""
    return (
        Membership.objects.filter(user=user)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()))
        .filter(organisation__archived_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "role")
    )


def membership_for_user(user: User, public_id: str | None) -> Membership | None:
    memberships = membership_list_for_user(user)
    if public_id:
        chosen = memberships.filter(public_id=public_id).first()
        if chosen is not None:
            return chosen
    return memberships.first()
