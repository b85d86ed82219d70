"""Where a pathway's life reaches other people: the DSRC for an uncovered territory, the
prescriber for the eligibility decision, the patient for each booked act. Tasks and
notifications to professionals carry references, places and rule codes, and name the patient
by initials only; the patient's own message uses their first name."""

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.roles import OrgKind
from oncoparcours.coordination.models import TaskKind
from oncoparcours.coordination.services import task_create_system
from oncoparcours.notifications.models import Channel, RecipientKind
from oncoparcours.notifications.services import notification_send
from oncoparcours.organisations.models import Organisation

if TYPE_CHECKING:
    from oncoparcours.pathways.models import Act, Pathway

logger = logging.getLogger("oncoparcours.pathways")


def reference(pathway: "Pathway") -> str:
    """A short reference to quote on the phone (the public id's first characters)."""
    return str(pathway.public_id)[:8].upper()


def _initials(pathway: "Pathway") -> str:
    patient = pathway.patient
    return f"{patient.first_given_name[:1]}. {(patient.used_name or patient.birth_name)[:1]}."


def notify_uncovered(pathway: "Pathway") -> None:
    """No structure covers the patient's commune: each DSRC gets a task and, if it has an
    address, an e-mail (issue 3 §4)."""
    from oncoparcours.pathways.models import Pathway

    commune = pathway.patient.commune
    since = timezone.now() - timedelta(days=365)
    uncovered_count = Pathway.objects.filter(
        uncovered=True, patient__commune=commune, created_at__gte=since
    ).count()
    for dsrc in Organisation.objects.filter(kind=OrgKind.DSRC, archived_at__isnull=True):
        task_create_system(
            organisation=dsrc,
            title=_("Territoire non couvert : %(commune)s (%(insee)s)")
            % {"commune": commune.name, "insee": commune.insee_code},
            description=_("Parcours %(ref)s : aucune structure porteuse ne couvre la commune.")
            % {"ref": reference(pathway)},
            kind=TaskKind.UNCOVERED_TERRITORY,
            dedup_key=f"uncovered:{pathway.public_id}",
            pathway_public_id=pathway.public_id,
        )
        if dsrc.email:
            notification_send(
                channel=Channel.EMAIL,
                recipient_kind=RecipientKind.DSRC,
                recipient=dsrc.email,
                template="uncovered_territory",
                context={
                    "commune_name": commune.name,
                    "commune_insee": commune.insee_code,
                    "department_name": commune.department.name,
                    "age_group": pathway.get_age_group_display(),
                    "received_on": pathway.created_at,
                    "uncovered_count": uncovered_count,
                    "pathway_reference": reference(pathway),
                },
                related_public_id=pathway.public_id,
            )
    logger.info("pathway uncovered pathway=%s commune=%s", pathway.public_id, commune.insee_code)


def notify_prescriber(pathway: "Pathway") -> None:
    """The prescriber learns whether the prescription was accepted, with every reason if not.
    A paper prescription from a prescriber without an account has no address: nothing is sent."""
    prescription = pathway.prescription
    prescriber = prescription.prescriber
    if prescriber is None or not prescriber.email:
        return
    structure = pathway.structure
    refused = pathway.status == "refused"
    notification_send(
        channel=Channel.EMAIL,
        recipient_kind=RecipientKind.PRESCRIBER,
        recipient=prescriber.email,
        template="prescription_refused" if refused else "prescription_accepted",
        context={
            "prescriber_name": prescription.prescriber_name or prescriber.get_full_name(),
            "patient_initials": _initials(pathway),
            "prescription_date": prescription.prescription_date,
            "reasons": prescription.failures,
            "structure_name": structure.name
            if structure
            else _("ONCO AURA (territoire non couvert)"),
            "structure_phone": structure.phone if structure else "",
            "pathway_reference": reference(pathway),
        },
        related_public_id=pathway.public_id,
    )


def notify_patient_of_booking(act: "Act") -> None:
    notify_patient_of_act(act, "act_booked")


def notify_patient_of_rescheduling(act: "Act") -> None:
    notify_patient_of_act(act, "act_rescheduled")


def notify_patient_of_act(act: "Act", template: str) -> None:
    """The patient is told of each booked act and each new date (issue 3 §11): by e-mail, else
    by SMS, else not at all. Delivery happens after commit (notification_send)."""
    from oncoparcours.pathways.models import ActMode
    from oncoparcours.pathways.rules.prestations import PRESTATIONS

    pathway = act.pathway
    patient = pathway.patient
    if patient.email:
        channel, recipient = Channel.EMAIL, patient.email
    elif patient.phone:
        channel, recipient = Channel.SMS, patient.phone
    else:
        return
    professional = act.professional
    profession = professional.get_profession_display()
    structure = pathway.structure
    try:
        notification_send(
            channel=channel,
            recipient_kind=RecipientKind.PATIENT,
            recipient=recipient,
            template=template,
            context={
                "patient_first_name": patient.first_given_name,
                "act_label": str(PRESTATIONS[act.kind].label),
                "starts_at": act.starts_at,
                "by_video": act.mode == ActMode.VIDEO,
                "place": act.place,
                "professional_name": professional.get_full_name()
                + (f", {profession.lower()}" if profession else ""),
                "structure_name": structure.name if structure else "",
                "structure_phone": structure.phone if structure else "",
            },
            related_public_id=pathway.public_id,
        )
    except ValidationError:
        # A malformed address or number in the patient's record must not undo the booking;
        # the refusal is logged by notification_send (codes only).
        logger.warning("%s notification not sent act=%s", template, act.public_id)
