"""What happened to a delivery, written in one place for the issuing service, the resend and
the job: the status, the French reason the pathway page shows, and the timeline event (codes and
ids only: never a name or an address)."""

import logging
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.pathways.services._events import record_event
from oncoparcours.pathways.states import EventKind
from oncoparcours.patients.models import Consent, ConsentScope, Patient
from oncoparcours.patients.selectors import active_consents
from oncoparcours.reports.models import DeliveryStatus, RecipientRole, ReportDelivery

logger = logging.getLogger("oncoparcours.reports")

# PSG-14/16: what the patient must have agreed to for each recipient.
CONSENT_SCOPES = {
    RecipientRole.PRESCRIBER: ConsentScope.SHARE_REPORTS_PRESCRIBER,
    RecipientRole.GP: ConsentScope.SHARE_REPORTS_GP,
}


def active_consent(patient: Patient, role: str, day: date) -> Consent | None:
    """The consent in force on ``day`` for sharing reports with ``role``, if any."""
    scope = CONSENT_SCOPES[RecipientRole(role)]
    return active_consents(patient, day).filter(scope=scope).order_by("-given_at", "-pk").first()


def no_consent_reason(role: str) -> str:
    if role == RecipientRole.GP:
        return _("Le patient n'a pas consenti au partage avec son médecin traitant.")
    return _("Le patient n'a pas consenti au partage avec le médecin prescripteur.")


def no_address_reason(role: str, *, known_doctor: bool) -> str:
    if role == RecipientRole.GP and not known_doctor:
        return _(
            "Aucun médecin traitant n'est renseigné : saisissez son adresse de messagerie "
            "sécurisée pour lui envoyer le compte rendu."
        )
    if role == RecipientRole.GP:
        return _(
            "L'adresse de messagerie sécurisée du médecin traitant est inconnue : saisissez-la "
            "pour lui envoyer le compte rendu."
        )
    return _(
        "L'adresse de messagerie sécurisée du médecin prescripteur est inconnue : saisissez-la "
        "pour lui envoyer le compte rendu."
    )


def failed_reason(error: str) -> str:
    return _("L'envoi a échoué (%(code)s) : vous pouvez le relancer.") % {"code": error}


def _event(delivery: ReportDelivery, kind: EventKind, *, by: Membership | None) -> None:
    data = {
        "report": str(delivery.report.public_id),
        "delivery": str(delivery.public_id),
        "recipient_role": delivery.recipient_role,
        "channel": delivery.channel,
        "status": delivery.status,
    }
    if delivery.error_code:
        data["error"] = delivery.error_code
    record_event(delivery.report.pathway, kind, by=by, data=data)


def record_withheld_no_consent(delivery: ReportDelivery, *, by: Membership | None) -> None:
    delivery.status = DeliveryStatus.WITHHELD_NO_CONSENT
    delivery.reason = no_consent_reason(delivery.recipient_role)
    delivery.consent = None
    delivery.save(update_fields=["status", "reason", "consent"])
    _event(delivery, EventKind.REPORT_WITHHELD, by=by)


def record_withheld_no_address(delivery: ReportDelivery, *, by: Membership | None) -> None:
    delivery.status = DeliveryStatus.WITHHELD_NO_ADDRESS
    delivery.reason = no_address_reason(
        delivery.recipient_role, known_doctor=bool(delivery.recipient_name)
    )
    delivery.save(update_fields=["status", "reason"])
    _event(delivery, EventKind.REPORT_WITHHELD, by=by)


def record_sent(delivery: ReportDelivery) -> None:
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.reason = ""
    delivery.error_code = ""
    delivery.save(update_fields=["status", "sent_at", "reason", "error_code", "attempts"])
    _event(delivery, EventKind.REPORT_SENT, by=None)


def record_failed(delivery: ReportDelivery, error: str) -> None:
    delivery.status = DeliveryStatus.FAILED
    delivery.error_code = error[:100]
    delivery.reason = failed_reason(delivery.error_code)
    delivery.save(update_fields=["status", "reason", "error_code", "attempts"])
    logger.warning(
        "report delivery=%s failed attempts=%d error=%s",
        delivery.public_id,
        delivery.attempts,
        delivery.error_code,
    )
    _event(delivery, EventKind.REPORT_FAILED, by=None)
