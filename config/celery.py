"""The Celery application: one worker process type runs every background job."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# Atomic message files for the embedded broker (see config/filesystem_broker.py).
TRANSPORT_ALIASES["filesystem"] = "config.filesystem_broker:Transport"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("oncoparcours")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
