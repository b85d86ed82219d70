"""A provider proposes a change to its own offer; an editor approves (applied) or rejects it."""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import Errors
from oncoparcours.directory.models import (
    Offer,
    OfferChangeProposal,
    OfferEventKind,
    ProposalStatus,
)
from oncoparcours.directory.permissions import can_propose_offer_change
from oncoparcours.directory.services.offers import (
    apply_update,
    merged_for_update,
    record,
    refuse_if_archived,
    require_editor,
)
from oncoparcours.directory.services.validation.lookups import Lookups
from oncoparcours.directory.services.validation.offer import clean_offer
from oncoparcours.directory.services.validation.vocabulary import (
    PROPOSABLE_FIELDS,
    changed_fields,
)

NOTE_MAX = 2000


def _jsonable(value: Any) -> Any:
    """Proposals are stored as JSON: the proposable fields are text, codes, lists and numbers."""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value


@transaction.atomic
def offer_change_propose(
    *, by: Membership, offer: Offer, changes: dict[str, Any], note: str = ""
) -> OfferChangeProposal:
    """Checked now as the offer would become, so an editor only sees applicable proposals."""
    errors = Errors()
    if not can_propose_offer_change(by, offer):
        errors.new(
            NON_FIELD_ERRORS,
            _("Seul le fournisseur de l'offre peut proposer une modification."),
            "directory.permission_denied",
        )
        errors.raise_if_any(where="directory.offer_change_propose", by=by)
    not_proposable = sorted(set(changes) - set(PROPOSABLE_FIELDS))
    for name in not_proposable:
        errors.new(
            name,
            _("Ce champ est tenu par les éditeurs du répertoire."),
            "directory.proposal.field_not_proposable",
        )
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors.new(
            "note",
            _("Le commentaire ne peut pas dépasser %(max)s caractères."),
            "directory.proposal.note_too_long",
            max=NOTE_MAX,
        )
    stored = {name: _jsonable(value) for name, value in changes.items()}
    if not not_proposable:
        values = clean_offer(merged_for_update(offer, stored), errors=errors, lookups=Lookups())
        if not errors.by_field and not changed_fields(offer, values):
            errors.new(
                NON_FIELD_ERRORS,
                _("La proposition ne change rien à l'offre."),
                "directory.proposal.no_change",
            )
    errors.raise_if_any(where="directory.offer_change_propose", by=by)
    proposal = OfferChangeProposal.objects.create(
        offer=offer, proposed_by=by, changes=stored, note=note
    )
    record(
        offer,
        OfferEventKind.CHANGE_PROPOSED,
        by=by,
        fields=[name for name in PROPOSABLE_FIELDS if name in stored],
        data={"proposal": str(proposal.public_id)},
    )
    return proposal


def _refuse_if_decided(errors: Errors, proposal: OfferChangeProposal) -> None:
    if proposal.status != ProposalStatus.PENDING:
        errors.new(
            NON_FIELD_ERRORS,
            _("Cette proposition a déjà été traitée."),
            "directory.proposal.already_decided",
        )


def _decide(
    proposal: OfferChangeProposal, *, by: Membership, status: ProposalStatus, note: str
) -> None:
    proposal.status = status
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decision_note = note
    proposal.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def offer_change_approve(*, by: Membership, proposal: OfferChangeProposal, note: str = "") -> Offer:
    """Applies the proposal through the editors' update (validated again: the offer may have
    changed since)."""
    proposal = OfferChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    offer = Offer.objects.select_for_update().get(pk=proposal.offer_id)
    errors = Errors()
    require_editor(errors, by)
    _refuse_if_decided(errors, proposal)
    refuse_if_archived(errors, offer)
    errors.raise_if_any(where="directory.offer_change_approve", by=by)
    data = {"proposal": str(proposal.public_id)}
    apply_update(
        by=by,
        offer=offer,
        fields=dict(proposal.changes),
        data=data,
        where="directory.offer_change_approve",
    )
    _decide(proposal, by=by, status=ProposalStatus.APPROVED, note=(note or "").strip())
    record(offer, OfferEventKind.CHANGE_APPROVED, by=by, data=data)
    return offer


@transaction.atomic
def offer_change_reject(
    *, by: Membership, proposal: OfferChangeProposal, note: str
) -> OfferChangeProposal:
    """The provider reads why: a rejection needs a note."""
    proposal = OfferChangeProposal.objects.select_for_update().get(pk=proposal.pk)
    errors = Errors()
    require_editor(errors, by)
    _refuse_if_decided(errors, proposal)
    note = (note or "").strip()
    if not note:
        errors.new(
            "note",
            _("Expliquez au fournisseur pourquoi la proposition est refusée."),
            "directory.proposal.note_required",
        )
    errors.raise_if_any(where="directory.offer_change_reject", by=by)
    _decide(proposal, by=by, status=ProposalStatus.REJECTED, note=note)
    record(
        proposal.offer,
        OfferEventKind.CHANGE_REJECTED,
        by=by,
        data={"proposal": str(proposal.public_id)},
    )
    return proposal
