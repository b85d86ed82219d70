import socket

from celery import shared_task
from django.utils import timezone

from oncoparcours.core.models import WorkerHeartbeat


@shared_task(name="oncoparcours.core.tasks.record_worker_heartbeat")
def record_worker_heartbeat() -> str:
    worker = socket.gethostname()
    WorkerHeartbeat.objects.update_or_create(worker=worker, defaults={"beat_at": timezone.now()})
    return worker
