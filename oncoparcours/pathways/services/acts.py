"""Assessments and follow-up consultations: book, reschedule, cancel, complete, no-show
(issue 3 §6, domain.md §2.4 step 5).

The guards are the pure rules' (``rules.budget.check_booking`` for PSG-04 … PSG-10,
``rules.prestations.check_performer`` for PSG-12/13), read with the parameters in force at the
prescription date, like the cap, so a later parameter never rewrites a running pathway. They
run at booking, at rescheduling and again at completion: an act booked in time but declared
done after the deadline is refused (PSG-06). A refusal raises ``ValidationError`` whose codes
are the rule IDs, saves nothing and is logged (codes only).
"""

import dataclasses
import logging
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.core.errors import Errors, refuse
from oncoparcours.pathways import hooks
from oncoparcours.pathways.models import Act, ActMode, Pathway, to_rule_act
from oncoparcours.pathways.permissions import can_complete_act, can_manage_acts
from oncoparcours.pathways.rules.budget import ActStatus, check_booking
from oncoparcours.pathways.rules.prestations import PRESTATIONS, check_performer, is_assessment
from oncoparcours.pathways.selectors import pathway_ledger
from oncoparcours.pathways.services._events import lock, record_event
from oncoparcours.pathways.services.lifecycle import pathway_activate
from oncoparcours.pathways.states import EventKind, PathwayStatus
from oncoparcours.payments.rules import contract_rate
from oncoparcours.payments.selectors import contract_in_force
from oncoparcours.payments.services import payable_line_for_act, payable_line_reverse
from oncoparcours.regulation.parameters import PsgacParameters
from oncoparcours.regulation.selectors import psgac_parameters_at

logger = logging.getLogger("oncoparcours.pathways")

# Acts are booked and done between the patient's contact and the pathway's closure.
OPEN_STATUSES = frozenset({PathwayStatus.CONTACTED, PathwayStatus.ACTIVE})
MAX_PLACE = 250
MAX_REASON = 1000


def _params(pathway: Pathway) -> PsgacParameters:
    """The parameters in force at the prescription date, with the pathway's own cap (PSG-09:
    fixed when the pathway was opened)."""
    params = psgac_parameters_at(pathway.prescription.prescription_date)
    return dataclasses.replace(params, cap_per_patient=pathway.cap)


def _check_open(pathway: Pathway, *, by: Membership, where: str) -> None:
    lock(pathway)
    pathway.refresh_from_db(fields=["first_assessment_date", "deadline", "cap"])
    if pathway.status not in OPEN_STATUSES:
        refuse(
            ValidationError(
                _(
                    "Les rendez-vous se gèrent une fois le patient contacté et tant que le "
                    "parcours est en cours."
                ),
                code="act.pathway_not_open",
            ),
            where=where,
            by=by,
        )


def _forbidden(message: str, *, by: Membership, where: str) -> None:
    refuse(ValidationError(message, code="act.forbidden"), where=where, by=by)


def _check_booked(act: Act, *, by: Membership, where: str) -> None:
    if act.status != ActStatus.BOOKED:
        refuse(
            ValidationError(
                _("Ce rendez-vous n'est plus réservé : il ne peut plus être modifié."),
                code="act.not_booked",
            ),
            where=where,
            by=by,
        )


def _check_guards(
    errors: Errors,
    *,
    pathway: Pathway,
    kind: str,
    amount: Decimal,
    on: date,
    professional: User,
    exclude: Act | None = None,
) -> None:
    """Files every rule failure of one more act on ``on`` (the other acts of the pathway,
    read under the pathway's lock, are what it counts against)."""
    # A fresh query, never a prefetched list: what counts is what the lock protects.
    others = Act.objects.filter(pathway=pathway)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    failures = check_booking(
        prescribed_items=pathway.prescription.items,
        existing_acts=[to_rule_act(act) for act in others],
        new_kind=kind,
        new_amount=amount,
        new_date=on,
        first_assessment_date=pathway.first_assessment_date,
        params=_params(pathway),
    )
    if kind in PRESTATIONS:
        # PSG-12/13: the professional's profession qualifies them for the prestation.
        failures += check_performer(item=kind, profession=professional.profession or None)
    for failure in failures:
        errors.new(failure.field or "kind", failure.message, failure.code)


def _is_member(professional: User, pathway: Pathway) -> bool:
    if pathway.structure_id is None:
        return False
    now = timezone.now()
    return (
        professional.is_active
        and professional.memberships.filter(
            Q(ended_at__isnull=True) | Q(ended_at__gt=now),
            organisation_id=pathway.structure_id,
        ).exists()
    )


def _event_data(act: Act) -> dict[str, str]:
    return {"act": str(act.public_id), "kind": act.kind, "amount": f"{act.amount:.2f}"}


@transaction.atomic
def act_book(
    *,
    by: Membership,
    pathway: Pathway,
    kind: str,
    professional: User,
    starts_at: datetime,
    mode: str,
    place: str,
    amount: Decimal | None = None,
) -> Act:
    """``amount`` None: the rate of the professional's contract in force on the act's day, or
    the regulatory maximum without a contract (PSG-07/08)."""
    where = "act_book"
    if not can_manage_acts(by, pathway):
        _forbidden(
            _("Seul un coordinateur de la structure du parcours peut réserver un rendez-vous."),
            by=by,
            where=where,
        )
    _check_open(pathway, by=by, where=where)
    errors = Errors()
    place = place.strip()
    if mode not in ActMode.values:
        errors.new("mode", _("Modalité inconnue."), "act.mode_invalid")
    elif mode == ActMode.IN_PERSON and not place:
        errors.new("place", _("Indiquez le lieu du rendez-vous."), "act.place_required")
    if len(place) > MAX_PLACE:
        errors.new(
            "place",
            _("Le lieu ne doit pas dépasser %(max)s caractères."),
            "act.place_too_long",
            max=MAX_PLACE,
        )
    if timezone.is_naive(starts_at):
        errors.new("starts_at", _("Indiquez un fuseau horaire."), "act.starts_at_naive")
    if not _is_member(professional, pathway):
        errors.new(
            "professional",
            _("Le professionnel doit être un membre actif de la structure porteuse."),
            "act.professional_not_member",
        )
    if amount is None:
        amount = _default_amount(pathway, professional, kind, starts_at)
    if timezone.is_aware(starts_at):
        _check_guards(
            errors,
            pathway=pathway,
            kind=kind,
            amount=amount,
            on=timezone.localdate(starts_at),
            professional=professional,
        )
    errors.raise_if_any(where=where, by=by)
    params = _params(pathway)
    act = Act.objects.create(
        pathway=pathway,
        kind=kind,
        professional=professional,
        starts_at=starts_at,
        duration_minutes=getattr(params, PRESTATIONS[kind].duration_key),
        mode=mode,
        place=place if mode == ActMode.IN_PERSON else "",
        amount=amount,
        status=ActStatus.BOOKED,
        booked_by=by,
    )
    _engage(pathway, act.amount)
    record_event(pathway, EventKind.ACT_BOOKED, by=by, data=_event_data(act))
    hooks.notify_patient_of_booking(act)
    return act


def _default_amount(
    pathway: Pathway, professional: User, kind: str, starts_at: datetime
) -> Decimal:
    if kind not in PRESTATIONS or timezone.is_naive(starts_at) or pathway.structure_id is None:
        return Decimal("0.00")
    contract = contract_in_force(
        professional_id=professional.pk,
        structure_id=pathway.structure_id,
        day=timezone.localdate(starts_at),
    )
    if contract is not None:
        return contract_rate(
            kind, assessment_rate=contract.assessment_rate, followup_rate=contract.followup_rate
        )
    params = _params(pathway)
    return params.assessment_max_rate if is_assessment(kind) else params.followup_max_rate


def _booked_act_of_open_pathway(
    act: Act, *, by: Membership, where: str, allowed: bool, refusal: str
) -> Pathway:
    """The common start of every change to a booked act: the actor may, the pathway is open,
    and the act (read afresh) is still booked. Returns the act's pathway."""
    pathway = act.pathway
    if not allowed:
        _forbidden(refusal, by=by, where=where)
    _check_open(pathway, by=by, where=where)
    act.refresh_from_db()
    _check_booked(act, by=by, where=where)
    return pathway


def pathway_engaged_reconcile(*, pathway: Pathway) -> Decimal:
    """Sets ``engaged_amount`` from the acts themselves (the ledger): for rows written outside
    the act services (imports, fixtures); returns the amount."""
    used = pathway_ledger(Pathway.objects.get(pk=pathway.pk)).used
    Pathway.objects.filter(pk=pathway.pk).update(engaged_amount=used)
    pathway.engaged_amount = used
    return used


def _engage(pathway: Pathway, amount: Decimal) -> None:
    """Booked or done acts count against the cap; a cancelled or missed one is released. The
    caller holds the pathway's row lock."""
    Pathway.objects.filter(pk=pathway.pk).update(engaged_amount=F("engaged_amount") + amount)


@transaction.atomic
def act_reschedule(*, by: Membership, act: Act, starts_at: datetime) -> Act:
    where = "act_reschedule"
    pathway = _booked_act_of_open_pathway(
        act,
        by=by,
        where=where,
        allowed=can_manage_acts(by, act.pathway),
        refusal=_("Seul un coordinateur de la structure du parcours peut déplacer un rendez-vous."),
    )
    errors = Errors()
    if timezone.is_naive(starts_at):
        errors.new("starts_at", _("Indiquez un fuseau horaire."), "act.starts_at_naive")
    else:
        _check_guards(
            errors,
            pathway=pathway,
            kind=act.kind,
            amount=act.amount,
            on=timezone.localdate(starts_at),
            professional=act.professional,
            exclude=act,
        )
    errors.raise_if_any(where=where, by=by)
    previous = act.starts_at
    act.starts_at = starts_at
    act.save(update_fields=["starts_at"])
    record_event(
        pathway,
        EventKind.ACT_RESCHEDULED,
        by=by,
        data={**_event_data(act), "from": previous.isoformat(), "to": starts_at.isoformat()},
    )
    hooks.notify_patient_of_rescheduling(act)
    return act


@transaction.atomic
def act_cancel(*, by: Membership, act: Act, reason: str) -> Act:
    """Releases the act's amount (rules.budget.ledger)."""
    where = "act_cancel"
    pathway = _booked_act_of_open_pathway(
        act,
        by=by,
        where=where,
        allowed=can_manage_acts(by, act.pathway),
        refusal=_("Seul un coordinateur de la structure du parcours peut annuler un rendez-vous."),
    )
    reason = reason.strip()
    errors = Errors()
    if not reason:
        errors.new("reason", _("Indiquez le motif de l'annulation."), "act.reason_required")
    elif len(reason) > MAX_REASON:
        errors.new(
            "reason",
            _("Le motif ne doit pas dépasser %(max)s caractères."),
            "act.reason_too_long",
            max=MAX_REASON,
        )
    errors.raise_if_any(where=where, by=by)
    act.status = ActStatus.CANCELLED
    act.cancelled_by = by
    act.cancelled_at = timezone.now()
    act.cancel_reason = reason
    act.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    _engage(pathway, -act.amount)
    record_event(pathway, EventKind.ACT_CANCELLED, by=by, reason=reason, data=_event_data(act))
    return act


@transaction.atomic
def act_complete(*, by: Membership, act: Act, done_on: date | None = None) -> Act:
    """The act took place on ``done_on`` (today by default): its amount is spent. The guards
    run again on that day; the first assessment done activates the pathway (PSG-06)."""
    where = "act_complete"
    pathway = _booked_act_of_open_pathway(
        act,
        by=by,
        where=where,
        allowed=can_complete_act(by, act),
        refusal=_("Seuls le coordinateur et le professionnel du rendez-vous peuvent le clore."),
    )
    today = timezone.localdate()
    done_on = done_on or today
    errors = Errors()
    if done_on > today:
        errors.new(
            "done_on",
            _("Une prestation ne peut pas être déclarée réalisée dans le futur."),
            "act.done_in_future",
        )
    elif done_on < pathway.prescription.prescription_date:
        errors.new(
            "done_on",
            _("Une prestation ne peut pas précéder la prescription."),
            "act.done_before_prescription",
        )
    else:
        _check_guards(
            errors,
            pathway=pathway,
            kind=act.kind,
            amount=act.amount,
            on=done_on,
            professional=act.professional,
            exclude=act,
        )
    errors.raise_if_any(where=where, by=by)
    act.status = ActStatus.DONE
    act.completed_by = by
    act.done_at = timezone.make_aware(
        datetime.combine(done_on, timezone.localtime(act.starts_at).time())
    )
    act.save(update_fields=["status", "completed_by", "done_at"])
    record_event(pathway, EventKind.ACT_DONE, by=by, data=_event_data(act))
    # PSG-14: what the structure owes a contracted professional for it.
    payable_line_for_act(act, by=by)
    if is_assessment(act.kind) and pathway.first_assessment_date is None:
        pathway_activate(pathway=pathway, first_assessment_date=done_on, by=by)
    return act


@transaction.atomic
def act_no_show(*, by: Membership, act: Act) -> Act:
    """The patient did not come: the amount is released (rules.budget.RELEASING)."""
    where = "act_no_show"
    pathway = _booked_act_of_open_pathway(
        act,
        by=by,
        where=where,
        allowed=can_complete_act(by, act),
        refusal=_("Seuls le coordinateur et le professionnel du rendez-vous peuvent le clore."),
    )
    act.status = ActStatus.NO_SHOW
    act.completed_by = by
    act.save(update_fields=["status", "completed_by"])
    _engage(pathway, -act.amount)
    record_event(pathway, EventKind.ACT_NO_SHOW, by=by, data=_event_data(act))
    return act


@transaction.atomic
def act_void(*, by: Membership, act: Act, reason: str) -> Act:
    """A done act declared by mistake becomes cancelled: its amount is released (the ledger
    counts a cancelled act as released) and its payable line, if any, is reversed by a
    correcting line (payments: history is never edited). The pathway's status and PSG-06
    deadline stay as they are: the state table has no way back."""
    where = "act_void"
    pathway = act.pathway
    if not can_manage_acts(by, pathway):
        _forbidden(
            _("Seul un coordinateur de la structure du parcours peut annuler une prestation."),
            by=by,
            where=where,
        )
    lock(pathway)
    act.refresh_from_db()
    errors = Errors()
    reason = reason.strip()
    if act.status != ActStatus.DONE:
        errors.new(
            NON_FIELD_ERRORS,
            _("Seule une prestation indiquée comme réalisée peut être annulée ainsi."),
            "act.not_done",
        )
    if not reason:
        errors.new("reason", _("Indiquez le motif de l'annulation."), "act.reason_required")
    elif len(reason) > MAX_REASON:
        errors.new(
            "reason",
            _("Le motif ne doit pas dépasser %(max)s caractères."),
            "act.reason_too_long",
            max=MAX_REASON,
        )
    errors.raise_if_any(where=where, by=by)
    act.status = ActStatus.CANCELLED
    act.cancelled_by = by
    act.cancelled_at = timezone.now()
    act.cancel_reason = reason
    act.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    _engage(pathway, -act.amount)
    # The timeline's "cancelled" event, marked as the void of a done act.
    record_event(
        pathway,
        EventKind.ACT_CANCELLED,
        by=by,
        reason=reason,
        data={**_event_data(act), "voided_after_done": True},
    )
    payable_line_reverse(by=by, act=act, reason=reason)
    return act
