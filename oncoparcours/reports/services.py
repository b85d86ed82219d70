"""Issuing a report and sending it to the prescriber and the médecin traitant (PSG-14/16).

``report_issue`` renders the PDF of a submitted assessment, stores it, then prepares one
delivery per recipient: with the patient's consent in force that day and a known secure address,
it is queued and sent by ``tasks.deliver_report`` once the transaction commits; otherwise it is
withheld, with the reason the pathway page shows. ``report_resend`` sends a failed or withheld
delivery again once the cause is gone (consent recorded, address entered).
"""

import hashlib

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.apa_project.selectors import current_apa_project
from oncoparcours.assessments.models import Assessment
from oncoparcours.core.errors import Errors
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.prestations import APA_ASSESSMENT
from oncoparcours.reports.channels import configured_channel
from oncoparcours.reports.documents import report_pdf
from oncoparcours.reports.models import (
    DeliveryStatus,
    RecipientAddress,
    RecipientRole,
    Report,
    ReportDelivery,
)
from oncoparcours.reports.outcomes import (
    active_consent,
    no_consent_reason,
    record_withheld_no_address,
    record_withheld_no_consent,
)
from oncoparcours.reports.permissions import can_issue_report, can_resend_delivery
from oncoparcours.reports.tasks import deliver_report

RESENDABLE = (
    DeliveryStatus.FAILED,
    DeliveryStatus.WITHHELD_NO_CONSENT,
    DeliveryStatus.WITHHELD_NO_ADDRESS,
)


def recipient_of(pathway: Pathway, role: str) -> tuple[str, str]:
    """(name, secure address) of the prescriber or the médecin traitant; "" when unknown.

    The prescriber's address is their account's e-mail (an MSSanté address in production),
    else one entered earlier for this patient; the médecin traitant's, one entered earlier."""
    patient = pathway.patient
    remembered = (
        RecipientAddress.objects.filter(patient=patient, role=role)
        .values_list("address", flat=True)
        .first()
        or ""
    )
    if role == RecipientRole.PRESCRIBER:
        prescription = pathway.prescription
        prescriber = prescription.prescriber
        name = prescription.prescriber_name or (prescriber.get_full_name() if prescriber else "")
        return name, (prescriber.email if prescriber else "") or remembered
    return patient.gp_name, remembered


def _queue(delivery: ReportDelivery) -> None:
    public_id = str(delivery.public_id)
    transaction.on_commit(lambda: deliver_report.delay(public_id))


def _prepare(report: Report, role: RecipientRole, *, by: Membership) -> ReportDelivery:
    pathway = report.pathway
    name, address = recipient_of(pathway, role)
    consent = active_consent(pathway.patient, role, timezone.localdate())
    delivery = ReportDelivery.objects.create(
        report=report,
        recipient_role=role,
        recipient_name=name[:200],
        address=address,
        channel=configured_channel(),
        status=DeliveryStatus.QUEUED,
        consent=consent,
    )
    if consent is None:
        record_withheld_no_consent(delivery, by=by)
    elif not address:
        record_withheld_no_address(delivery, by=by)
    else:
        _queue(delivery)
    return delivery


@transaction.atomic
def report_issue(*, by: Membership, assessment: Assessment) -> Report:
    """The report of ``assessment`` (one per assessment version), with its deliveries."""
    errors = Errors()
    if not can_issue_report(by, assessment):
        errors.new(
            NON_FIELD_ERRORS,
            _("Seuls l'auteur du bilan et la coordination du parcours émettent son compte rendu."),
            "report.not_allowed",
        )
    if assessment.superseded_at is not None:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette saisie a été remplacée : le compte rendu porte sur la plus récente."),
            "report.assessment_superseded",
        )
    if Report.objects.filter(assessment=assessment).exists():
        errors.new(
            NON_FIELD_ERRORS,
            _("Le compte rendu de cette saisie a déjà été émis."),
            "report.already_issued",
        )
    errors.raise_if_any(where="report_issue", by=by)

    pathway = assessment.pathway
    today = timezone.localdate()
    apa_project = current_apa_project(pathway) if assessment.kind == APA_ASSESSMENT else None
    pdf_bytes = report_pdf(
        assessment,
        records=assessment.results.order_by("position", "pk"),
        apa_project=apa_project,
        issued_on=today,
    )
    report = Report(
        pathway=pathway,
        assessment=assessment,
        kind=assessment.kind,
        size=len(pdf_bytes),
        sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        created_by=by,
    )
    report.file.save("compte-rendu.pdf", ContentFile(pdf_bytes), save=False)
    report.save()
    for role in (RecipientRole.PRESCRIBER, RecipientRole.GP):
        _prepare(report, role, by=by)
    return report


@transaction.atomic
def report_resend(*, by: Membership, delivery: ReportDelivery, address: str = "") -> ReportDelivery:
    """Sends a failed or withheld delivery again. ``address``: the recipient's secure address
    when it was unknown (remembered for the patient's next reports)."""
    errors = Errors()
    address = address.strip()
    report = delivery.report
    patient = report.pathway.patient
    if not can_resend_delivery(by, delivery):
        errors.new(
            NON_FIELD_ERRORS,
            _("Seuls l'auteur du bilan et la coordination du parcours envoient son compte rendu."),
            "report.not_allowed",
        )
    if delivery.status not in RESENDABLE:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cet envoi est déjà fait ou en cours."),
            "report.delivery.not_resendable",
        )
    consent = active_consent(patient, delivery.recipient_role, timezone.localdate())
    if consent is None:
        # PSG-14/16: no sharing without the patient's agreement, recorded on the patient file.
        errors.new(
            NON_FIELD_ERRORS, no_consent_reason(delivery.recipient_role), "report.no_consent"
        )
    if address:
        try:
            validate_email(address)
        except ValidationError:
            errors.new("address", _("Adresse électronique invalide."), "report.address.invalid")
    elif not delivery.address:
        errors.new(
            "address",
            _("Indiquez l'adresse de messagerie sécurisée du destinataire."),
            "report.address.required",
        )
    errors.raise_if_any(where="report_resend", by=by)

    if address:
        RecipientAddress.objects.update_or_create(
            patient=patient,
            role=delivery.recipient_role,
            defaults={"address": address, "updated_by": by},
        )
        delivery.address = address
    delivery.status = DeliveryStatus.QUEUED
    delivery.consent = consent
    delivery.reason = ""
    delivery.error_code = ""
    delivery.channel = configured_channel()
    delivery.save(update_fields=["address", "status", "consent", "reason", "error_code", "channel"])
    _queue(delivery)
    return delivery
