"""The /api/v1 application: authentication, error shape, and the routers of each app."""

import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation
from ninja.security import APIKeyCookie, HttpBearer

from oncoparcours.accounts.models import ApiToken, Membership, User
from oncoparcours.accounts.permissions import requires_second_factor
from oncoparcours.accounts.selectors import membership_list_for_user
from oncoparcours.core.errors import error_items_from_validation, log_refusal


class SessionMembershipAuth(APIKeyCookie):
    """Browser session: the logged-in user's active membership, second factor passed."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Membership | None:
        user = request.user
        if not isinstance(user, User):
            return None
        if not user.is_verified() and requires_second_factor(
            user, list(membership_list_for_user(user))
        ):
            return None
        membership: Membership | None = getattr(request, "membership", None)
        return membership


class TokenAuth(HttpBearer):
    """A system's bearer token, bound to one membership."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        digest = hashlib.sha256(token.encode()).hexdigest()
        api_token = (
            ApiToken.objects.select_related("membership__organisation", "membership__user")
            .filter(key_hash=digest, revoked_at__isnull=True, membership__user__is_active=True)
            .first()
        )
        if api_token is None or not api_token.membership.is_active:
            return None
        ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
        return api_token.membership


class OncoParcoursApi(NinjaAPI):
    """The operation id is the endpoint function's name, unique like its URL name: ninja's
    default embeds the module path, so moving an endpoint between modules would rename it in
    the OpenAPI schema and in partners' generated clients."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return str(operation.view_func.__name__)


api = OncoParcoursApi(
    title="OncoParcours API",
    version="1",
    description="API REST d'OncoParcours. Erreurs : "
    '{"errors": [{"code": "...", "message": "...", "field": "..."}]}.',
    urls_namespace="api",
    # Token first: a system sending only a Bearer token must not meet the session CSRF check.
    auth=[TokenAuth(), SessionMembershipAuth()],
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, field: str | None = None
) -> HttpResponse:
    return api.create_response(
        request, {"errors": [{"code": code, "message": message, "field": field}]}, status=status
    )


@api.exception_handler(ValidationError)
def on_domain_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # The service that raised it has already logged the refusal (codes only).
    return api.create_response(request, {"errors": error_items_from_validation(exc)}, status=400)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    items: list[dict[str, Any]] = []
    for error in exc.errors:
        loc = [
            str(part)
            for part in error.get("loc", ())
            if part not in ("body", "query", "path", "payload")
        ]
        items.append(
            {
                "code": f"schema.{error.get('type', 'invalid')}",
                "message": _("Valeur invalide : %(detail)s") % {"detail": error.get("msg", "")},
                "field": ".".join(loc) or None,
            }
        )
    log_refusal(
        where=request.path, actor=getattr(request, "auth", None), codes=[i["code"] for i in items]
    )
    return api.create_response(request, {"errors": items}, status=422)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request, 401, "auth.required", _("Authentification requise (session ou jeton d'API).")
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    codes = {403: "permission.denied", 404: "not_found"}
    code = codes.get(exc.status_code, "error")
    if exc.status_code == 403:
        log_refusal(where=request.path, actor=getattr(request, "auth", None), codes=[code])
    return error_response(request, exc.status_code, code, str(exc))


def not_found() -> HttpError:
    return HttpError(404, _("Ressource introuvable."))


def forbidden() -> HttpError:
    return HttpError(403, _("Vous n'avez pas accès à cette action avec votre rôle actuel."))


def actor(request: HttpRequest) -> Membership:
    membership: Membership = request.auth  # type: ignore[attr-defined]
    return membership


def _register_routers() -> None:
    from oncoparcours.accounts.api import router as accounts_router
    from oncoparcours.assessments.api import router as assessments_router
    from oncoparcours.coordination.api import router as coordination_router
    from oncoparcours.directory.api import router as directory_router
    from oncoparcours.evaluation.api import router as evaluation_router
    from oncoparcours.funding.api import router as funding_router
    from oncoparcours.organisations.api import router as organisations_router
    from oncoparcours.pathways.api import router as pathways_router
    from oncoparcours.patients.api import router as patients_router
    from oncoparcours.payments.api import router as payments_router
    from oncoparcours.professionals.api import router as professionals_router
    from oncoparcours.regulation.api import router as regulation_router
    from oncoparcours.reports.api import router as reports_router
    from oncoparcours.territories.api import router as territories_router

    api.add_router("/accounts", accounts_router)
    api.add_router("/organisations", organisations_router)
    api.add_router("/territories", territories_router)
    api.add_router("/patients", patients_router)
    api.add_router("/tasks", coordination_router)
    api.add_router("/regulation", regulation_router)
    api.add_router("/pathways", pathways_router)
    api.add_router("/directory", directory_router)
    api.add_router("/professionals", professionals_router)
    # Paths of their own: /acts/{id}/assessment, /assessments/{id}, /pathways/{id}/outcomes…
    api.add_router("", assessments_router)
    # Paths of their own: /reports/{id}, /pathways/{id}/reports, /apa-projects/{id}…
    api.add_router("", reports_router)
    api.add_router("/funding", funding_router)
    api.add_router("/evaluation", evaluation_router)
    api.add_router("/payments", payments_router)


_register_routers()
