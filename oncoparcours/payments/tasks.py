from celery import shared_task
from django.utils import timezone

from oncoparcours.payments import jobs


@shared_task(name="oncoparcours.payments.tasks.prepare_previous_month", acks_late=True)
def prepare_previous_month() -> int:
    return jobs.prepare_previous_month(today=timezone.localdate())
