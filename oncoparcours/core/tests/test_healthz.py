from datetime import timedelta

import pytest
from django.utils import timezone

from oncoparcours.core.models import WorkerHeartbeat
from oncoparcours.core.tasks import record_worker_heartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_queue_without_login(client):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["queue"]["ok"] is True


def test_healthz_flags_a_worker_that_never_beat(client):
    body = client.get("/healthz").json()
    assert body["queue"]["worker_ok"] is False
    assert body["queue"]["worker"] == "no heartbeat yet"


def test_heartbeat_job_makes_the_worker_healthy(client):
    record_worker_heartbeat.delay()
    body = client.get("/healthz").json()
    assert body["queue"]["worker_ok"] is True


def test_stale_heartbeat_is_reported(client, settings):
    settings.ONCOPARCOURS_HEARTBEAT_STALE_SECONDS = 60
    WorkerHeartbeat.objects.create(worker="w1", beat_at=timezone.now() - timedelta(minutes=5))
    body = client.get("/healthz").json()
    assert body["queue"]["worker_ok"] is False


def test_unreachable_broker_makes_healthz_fail(client, settings):
    from config.celery import app

    previous = app.conf.broker_url
    app.conf.update(broker_url="amqp://guest:guest@127.0.0.1:1//")
    try:
        response = client.get("/healthz")
    finally:
        app.conf.update(broker_url=previous)
    assert response.status_code == 503
    assert response.json()["queue"]["ok"] is False


def test_heartbeat_is_scheduled_periodically(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == record_worker_heartbeat.name
    assert entry["schedule"] > 0
