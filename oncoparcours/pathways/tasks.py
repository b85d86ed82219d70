from celery import shared_task
from django.utils import timezone

from oncoparcours.pathways import jobs


@shared_task(name="oncoparcours.pathways.tasks.expire_due_pathways", acks_late=True)
def expire_due_pathways() -> int:
    return jobs.expire_due_pathways(today=timezone.localdate())


@shared_task(name="oncoparcours.pathways.tasks.remind_coordinators", acks_late=True)
def remind_coordinators() -> dict[str, int]:
    return jobs.remind_coordinators(today=timezone.localdate())
