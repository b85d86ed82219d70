from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from oncoparcours.core import health
from oncoparcours.core.selectors import home_context


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = request.membership  # type: ignore[attr-defined]
    if membership is None:
        return render(request, "core/home/no_membership.html", {}, status=403)
    ctx = home_context(membership)
    return render(request, membership.role_info.home_template, ctx)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    database = health.check_database()
    broker = health.check_broker()
    worker = health.check_worker()
    ok = database.ok and broker.ok
    body = {
        "status": "ok" if ok else "error",
        "database": {"ok": database.ok, "detail": database.detail},
        "queue": {
            "ok": broker.ok,
            "broker": broker.detail,
            "worker_ok": worker.ok,
            "worker": worker.detail,
        },
    }
    return JsonResponse(body, status=200 if ok else 503)
