"""A real Celery worker consumes the configured broker (file system, RabbitMQ or Redis).

Run by `scripts/test.sh queue` with CELERY_BROKER_URL set to each broker; never eager.
"""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError

from config.celery import app
from oncoparcours.core.models import WorkerHeartbeat
from oncoparcours.core.tasks import record_worker_heartbeat

pytestmark = [pytest.mark.queue, pytest.mark.django_db(transaction=True)]

attempts: dict[str, int] = {}


@app.task(bind=True, name="tests.flaky", max_retries=3)
def flaky(self, key: str, failures: int) -> None:
    attempts[key] = attempts.get(key, 0) + 1
    if attempts[key] <= failures:
        raise self.retry(countdown=0.2)


def _wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return True
        except OperationalError:
            # SQLite's shared-cache test database locks a table while the worker thread writes
            # it: not yet readable, ask again.
            pass
        time.sleep(0.2)
    return False


@pytest.fixture
def worker():
    app.conf.task_always_eager = False
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10
    ):
        yield
    app.conf.task_always_eager = True


def test_worker_runs_a_job_sent_through_the_broker(worker):
    record_worker_heartbeat.delay()
    assert _wait_for(WorkerHeartbeat.objects.exists)


def test_failing_job_is_retried_until_it_succeeds(worker):
    flaky.delay("retry-twice", 2)
    assert _wait_for(lambda: attempts.get("retry-twice") == 3)
