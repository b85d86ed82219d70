"""Orientation towards supportive care (issue 3 §6, issue 5 §2): a directory offer, or a
provider named by hand while the offer is not in the directory. APA sessions are recorded
here, never booked as a prestation (PSG-11)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.directory.catalogue import CareType
from oncoparcours.directory.models import Offer
from oncoparcours.pathways.models import Pathway, Referral
from oncoparcours.pathways.permissions import can_act_on_pathway
from oncoparcours.pathways.services._events import lock, record_event
from oncoparcours.pathways.states import EventKind, PathwayStatus

# A refused prescription orients nobody until a coordinator overrides it; a closed pathway
# keeps its history.
REFERRING_STATUSES = frozenset(
    {PathwayStatus.ELIGIBLE, PathwayStatus.CONTACTED, PathwayStatus.ACTIVE}
)
MAX_PROVIDER_NAME = 200


@transaction.atomic
def pathway_refer(
    *,
    by: Membership,
    pathway: Pathway,
    care_type: str = "",
    offer: Offer | None = None,
    provider_name: str = "",
    note: str = "",
) -> Referral:
    where = "pathway_refer"
    if not can_act_on_pathway(by, pathway):
        refuse(
            ValidationError(
                _("Seul un coordinateur de la structure du parcours peut orienter le patient."),
                code="referral.forbidden",
            ),
            where=where,
            by=by,
        )
    lock(pathway)
    errors = Errors()
    if PathwayStatus(pathway.status) not in REFERRING_STATUSES:
        errors.new(
            "status",
            _("Ce parcours n'est pas ouvert : le patient ne peut pas y être orienté."),
            "referral.pathway_not_open",
        )
    care_type = care_type or (offer.care_type if offer else "")
    if care_type not in CareType.values:
        errors.new("care_type", _("Choisissez le soin de support."), "referral.care_type_invalid")
    if offer is not None:
        if offer.archived_at is not None:
            errors.new(
                "offer", _("Cette offre n'est plus au répertoire."), "referral.offer_archived"
            )
        elif offer.care_type != care_type:
            errors.new(
                "care_type",
                _("L'offre choisie ne propose pas ce soin de support."),
                "referral.care_type_mismatch",
            )
        provider_name = offer.provider_name
    provider_name = " ".join(provider_name.split())
    if not provider_name:
        errors.new(
            "provider_name",
            _("Indiquez la structure ou le professionnel vers qui le patient est orienté."),
            "referral.provider_required",
        )
    elif len(provider_name) > MAX_PROVIDER_NAME:
        errors.new(
            "provider_name",
            _("Ce champ ne peut pas dépasser %(max)d caractères."),
            "referral.provider_too_long",
            max=MAX_PROVIDER_NAME,
        )
    errors.raise_if_any(where=where, by=by)
    referral = Referral.objects.create(
        pathway=pathway,
        care_type=care_type,
        offer=offer,
        provider_name=provider_name,
        note=note.strip(),
        referred_by=by,
    )
    record_event(
        pathway,
        EventKind.REFERRED,
        by=by,
        data={
            "referral": str(referral.public_id),
            "care_type": care_type,
            "offer": str(offer.public_id) if offer else None,
        },
    )
    return referral
