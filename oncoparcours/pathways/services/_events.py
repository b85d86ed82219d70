"""Moving a pathway through the state table, with its event, under a row lock."""

from typing import Any

from django.core.exceptions import ValidationError

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import refuse
from oncoparcours.pathways.models import Pathway, PathwayEvent
from oncoparcours.pathways.states import EventKind, transition


def record_event(
    pathway: Pathway,
    kind: EventKind,
    *,
    by: Membership | None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> PathwayEvent:
    return PathwayEvent.objects.create(
        pathway=pathway, kind=kind, actor=by, reason=reason, data=data or {}
    )


def lock(pathway: Pathway) -> None:
    """Re-reads the status under a row lock, so two concurrent moves cannot both pass."""
    current = Pathway.objects.select_for_update().only("status").get(pk=pathway.pk)
    pathway.status = current.status


def check_transition(
    pathway: Pathway, target: str, *, by: Membership | None, where: str
) -> EventKind:
    try:
        return transition(pathway.status, target)
    except ValidationError as exc:
        refuse(exc, where=where, by=by)


def move(
    pathway: Pathway,
    target: str,
    *,
    by: Membership | None,
    where: str,
    reason: str = "",
    data: dict[str, Any] | None = None,
    extra_fields: tuple[str, ...] = (),
) -> PathwayEvent:
    """Checks the move, saves the status (and ``extra_fields`` the caller set), records it."""
    kind = check_transition(pathway, target, by=by, where=where)
    pathway.status = target
    pathway.save(update_fields=["status", *extra_fields])
    return record_event(pathway, kind, by=by, reason=reason, data=data)
