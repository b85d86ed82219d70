from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import User
from oncoparcours.accounts.permissions import requires_second_factor
from oncoparcours.accounts.selectors import membership_for_user, membership_list_for_user

SESSION_KEY = "active_membership"

# Paths a logged-in user may reach before passing the second factor.
_OPEN_PREFIXES = (
    "/static/",
    "/healthz",
    "/i18n/",
    "/comptes/deconnexion/",
    "/comptes/double-facteur/",
)


class ActiveMembershipMiddleware:
    """Sets ``request.membership``: the role and organisation the user acts in right now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        user = request.user
        if isinstance(user, User):
            chosen = request.session.get(SESSION_KEY)
            membership = membership_for_user(user, chosen)
            request.membership = membership  # type: ignore[attr-defined]
            if membership is not None and chosen != str(membership.public_id):
                request.session[SESSION_KEY] = str(membership.public_id)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """Staff roles see nothing until they pass TOTP (or enrol a device first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not request.path.startswith(_OPEN_PREFIXES)
            and not user.is_verified()
            and requires_second_factor(user, list(membership_list_for_user(user)))
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "errors": [
                            {
                                "code": "auth.second_factor_required",
                                "message": _(
                                    "Validez d'abord votre second facteur d'authentification."
                                ),
                                "field": None,
                            }
                        ]
                    },
                    status=403,
                )
            return redirect(f"{reverse('accounts:otp-verify')}?next={request.get_full_path()}")
        return self.get_response(request)
