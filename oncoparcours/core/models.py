from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a worker ran the periodic heartbeat job; /healthz reads it."""

    worker = models.CharField(max_length=200, unique=True)
    beat_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
