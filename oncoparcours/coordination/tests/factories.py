from datetime import date

from oncoparcours.coordination.models import Task
from oncoparcours.organisations.models import Organisation


def make_task(organisation: Organisation, title: str = "Rappeler le patient", **fields) -> Task:
    return Task.objects.create(organisation=organisation, title=title, **fields)


def days(n: int) -> date:
    from datetime import timedelta

    from django.utils import timezone

    return timezone.localdate() + timedelta(days=n)
