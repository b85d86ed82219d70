from typing import Any

from django.http import HttpRequest

from oncoparcours.accounts.selectors import membership_list_for_user


def active_membership(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"active_membership": None}
    return {
        "active_membership": membership,
        "active_role": membership.role_info,
        # Lazy: evaluated only by templates that show the switcher.
        "user_memberships": lambda: list(membership_list_for_user(request.user)),  # type: ignore[arg-type]
    }


def navigation(request: HttpRequest) -> dict[str, Any]:
    from oncoparcours.core.navigation import nav_for

    return {"nav_items": nav_for(getattr(request, "membership", None), request.path)}
