"""Tasks: a follow-up action for a team (an organisation) or one of its members.

Coordinators create them by hand; background jobs create reminders (PSGAC issue, point 5) with a
``dedup_key`` so that a job run twice never leaves two open twins. A task names its pathway by
public id only (``pathway_public_id``), not by foreign key: the pathways app is built apart and
the two apps stay independent (neither imports the other) until they are wired together.
"""

import uuid
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    MANUAL = "manual", _("Action de suivi")
    REMINDER_CONTACT = "reminder_contact", _("Relance : patient à contacter")
    REMINDER_DEADLINE = "reminder_deadline", _("Relance : échéance du parcours proche")
    REMINDER_BUDGET = "reminder_budget", _("Relance : budget du parcours presque atteint")
    UNCOVERED_TERRITORY = "uncovered_territory", _("Territoire non couvert")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("À faire")
    DONE = "done", _("Faite")
    CANCELLED = "cancelled", _("Annulée")


class Task(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("équipe"),
    )
    title = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("type"), max_length=32, choices=TaskKind.choices, default=TaskKind.MANUAL
    )
    pathway_public_id = models.UUIDField(_("parcours"), null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tasks",
        verbose_name=_("attribuée à"),
    )
    due_date = models.DateField(_("échéance"), null=True, blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    created_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("créée par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Who closed the task and when: done, or cancelled.
    done_by = models.ForeignKey(
        "accounts.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("close par"),
    )
    done_at = models.DateTimeField(_("close le"), null=True, blank=True)
    # NULL, not "": a manual task has no key, and the unique constraint only spans keyed rows.
    dedup_key = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    if TYPE_CHECKING:
        organisation_id: int
        assignee_id: int | None

    class Meta:
        verbose_name = _("tâche")
        verbose_name_plural = _("tâches")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dedup_key"],
                condition=Q(status="open", dedup_key__isnull=False),
                name="task_one_open_per_dedup_key",
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "due_date"], name="task_org_status_due"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today: date) -> bool:
        return (
            self.status == TaskStatus.OPEN and self.due_date is not None and self.due_date < today
        )
