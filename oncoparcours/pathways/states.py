"""The pathway's state machine (domain.md §2.4), as a pure table: no database.

Each status lists the statuses it may move to, each with the event kind the move records.
Final statuses have no way out. Services move a pathway only through ``transition``.
"""

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class PathwayStatus(StrEnum):
    RECEIVED = "received"
    ELIGIBLE = "eligible"
    REFUSED = "refused"
    CONTACTED = "contacted"
    ACTIVE = "active"
    COMPLETED = "completed"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    LOST = "lost"
    DECEASED = "deceased"


class EventKind(StrEnum):
    RECEIVED = "received"
    ELIGIBILITY_CHECKED = "eligibility_checked"
    REFUSED = "refused"
    OVERRIDDEN = "overridden"
    ORIENTED = "oriented"
    UNCOVERED = "uncovered"
    REASSIGNED = "reassigned"
    CONTACTED = "contacted"
    ACTIVATED = "activated"
    COMPLETED = "completed"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    LOST = "lost"
    DECEASED = "deceased"
    ACT_BOOKED = "act_booked"
    ACT_RESCHEDULED = "act_rescheduled"
    ACT_CANCELLED = "act_cancelled"
    ACT_DONE = "act_done"
    ACT_NO_SHOW = "act_no_show"
    REFERRED = "referred"
    ASSESSMENT_RECORDED = "assessment_recorded"
    REPORT_SENT = "report_sent"
    REPORT_WITHHELD = "report_withheld"
    REPORT_FAILED = "report_failed"
    APA_PROJECT_WRITTEN = "apa_project_written"


STATUS_LABELS: dict[PathwayStatus, "StrPromise"] = {
    PathwayStatus.RECEIVED: _("Prescription reçue"),
    PathwayStatus.ELIGIBLE: _("Éligible, patient à contacter"),
    PathwayStatus.REFUSED: _("Non éligible"),
    PathwayStatus.CONTACTED: _("Patient contacté, en attente du premier bilan"),
    PathwayStatus.ACTIVE: _("En cours"),
    PathwayStatus.COMPLETED: _("Terminé"),
    PathwayStatus.EXPIRED: _("Échu (délai dépassé)"),
    PathwayStatus.WITHDRAWN: _("Abandonné par le patient"),
    PathwayStatus.LOST: _("Perdu de vue"),
    PathwayStatus.DECEASED: _("Patient décédé"),
}
STATUS_CHOICES = [(status.value, label) for status, label in STATUS_LABELS.items()]

EVENT_LABELS: dict[EventKind, "StrPromise"] = {
    EventKind.RECEIVED: _("Prescription reçue"),
    EventKind.ELIGIBILITY_CHECKED: _("Éligibilité vérifiée"),
    EventKind.REFUSED: _("Prescription non éligible"),
    EventKind.OVERRIDDEN: _("Éligibilité accordée par dérogation"),
    EventKind.ORIENTED: _("Orienté vers une structure porteuse"),
    EventKind.UNCOVERED: _("Territoire non couvert"),
    EventKind.REASSIGNED: _("Réattribué à une autre structure"),
    EventKind.CONTACTED: _("Patient contacté"),
    EventKind.ACTIVATED: _("Premier bilan réalisé"),
    EventKind.COMPLETED: _("Parcours terminé"),
    EventKind.EXPIRED: _("Délai du parcours dépassé"),
    EventKind.WITHDRAWN: _("Abandon du patient"),
    EventKind.LOST: _("Patient perdu de vue"),
    EventKind.DECEASED: _("Décès du patient"),
    EventKind.ACT_BOOKED: _("Rendez-vous réservé"),
    EventKind.ACT_RESCHEDULED: _("Rendez-vous déplacé"),
    EventKind.ACT_CANCELLED: _("Rendez-vous annulé"),
    EventKind.ACT_DONE: _("Prestation réalisée"),
    EventKind.ACT_NO_SHOW: _("Patient absent au rendez-vous"),
    EventKind.REFERRED: _("Orientation vers un soin de support"),
    EventKind.ASSESSMENT_RECORDED: _("Bilan ou consultation saisi"),
    EventKind.REPORT_SENT: _("Compte rendu envoyé"),
    EventKind.REPORT_WITHHELD: _("Compte rendu non envoyé"),
    EventKind.REPORT_FAILED: _("Échec de l'envoi d'un compte rendu"),
    EventKind.APA_PROJECT_WRITTEN: _("Projet d'activité physique adaptée rédigé"),
}
EVENT_CHOICES = [(kind.value, label) for kind, label in EVENT_LABELS.items()]

_ENDINGS = {
    PathwayStatus.WITHDRAWN: EventKind.WITHDRAWN,
    PathwayStatus.LOST: EventKind.LOST,
    PathwayStatus.DECEASED: EventKind.DECEASED,
}

TRANSITIONS: dict[PathwayStatus, dict[PathwayStatus, EventKind]] = {
    PathwayStatus.RECEIVED: {
        PathwayStatus.ELIGIBLE: EventKind.ELIGIBILITY_CHECKED,
        PathwayStatus.REFUSED: EventKind.REFUSED,
    },
    # A coordinator's override, with a written justification.
    PathwayStatus.REFUSED: {PathwayStatus.ELIGIBLE: EventKind.OVERRIDDEN},
    PathwayStatus.ELIGIBLE: {PathwayStatus.CONTACTED: EventKind.CONTACTED, **_ENDINGS},
    # PSG-06: the first assessment opens the delivery window.
    PathwayStatus.CONTACTED: {PathwayStatus.ACTIVE: EventKind.ACTIVATED, **_ENDINGS},
    PathwayStatus.ACTIVE: {
        PathwayStatus.COMPLETED: EventKind.COMPLETED,
        PathwayStatus.EXPIRED: EventKind.EXPIRED,
        **_ENDINGS,
    },
    PathwayStatus.COMPLETED: {},
    PathwayStatus.EXPIRED: {},
    PathwayStatus.WITHDRAWN: {},
    PathwayStatus.LOST: {},
    PathwayStatus.DECEASED: {},
}

FINAL_STATUSES = frozenset(status for status, nexts in TRANSITIONS.items() if not nexts)
# Where a coordinator closes a pathway by hand (expiry is the system's).
CLOSING_OUTCOMES = frozenset(
    {PathwayStatus.COMPLETED, PathwayStatus.WITHDRAWN, PathwayStatus.LOST, PathwayStatus.DECEASED}
)


def allowed_next(status: str) -> frozenset[PathwayStatus]:
    return frozenset(TRANSITIONS[PathwayStatus(status)])


def transition(current: str, target: str) -> EventKind:
    """The event kind recorded by moving ``current`` → ``target``; refuses any other move."""
    event = TRANSITIONS.get(PathwayStatus(current), {}).get(PathwayStatus(target))
    if event is None:
        raise ValidationError(
            gettext("Un parcours « %(current)s » ne peut pas passer à « %(target)s ».")
            % {
                "current": STATUS_LABELS[PathwayStatus(current)],
                "target": STATUS_LABELS[PathwayStatus(target)],
            },
            code="pathway.transition_not_allowed",
        )
    return event
