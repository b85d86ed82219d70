"""Liveness of what the product depends on: the database and the job queue."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from oncoparcours.core.models import WorkerHeartbeat


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return Check(False, type(exc).__name__)
    return Check(True, connection.vendor)


def check_broker() -> Check:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # unreachable broker, refused connection, bad URL
        return Check(False, type(exc).__name__)
    return Check(True, str(transport))


def check_worker() -> Check:
    """A worker is alive if it ran the periodic heartbeat job recently."""
    latest = WorkerHeartbeat.objects.order_by("-beat_at").first()
    if latest is None:
        return Check(False, "no heartbeat yet")
    age = timezone.now() - latest.beat_at
    stale = timedelta(seconds=settings.ONCOPARCOURS_HEARTBEAT_STALE_SECONDS)
    return Check(age <= stale, f"last heartbeat {int(age.total_seconds())} s ago")
