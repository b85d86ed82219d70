"""Booking guards (PSG-04 … PSG-11) and the budget ledger of one pathway.

Money is ``Decimal`` to the cent, never float: an ``Act`` built with a float is a programming
error and raises ``TypeError``.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from oncoparcours.pathways.rules.dates import add_months
from oncoparcours.pathways.rules.failures import RuleFailure
from oncoparcours.pathways.rules.prestations import (
    APA_SESSION,
    PRESTATIONS,
    PrestationKind,
    is_assessment,
    is_followup,
)
from oncoparcours.regulation.parameters import PsgacParameters

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# Not rules of the texts but data errors on the amount, kept apart from the PSG codes.
AMOUNT_NEGATIVE = "act.amount_negative"
AMOUNT_PRECISION = "act.amount_precision"


class ActStatus(StrEnum):
    BOOKED = "booked"
    DONE = "done"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"


# An act holds its amount while booked (committed) or done (spent). A cancelled act and a
# no-show release it: the professional is not paid for an appointment the patient missed
# (decision to confirm with the ARS; the texts pay "prestations réalisées").
HOLDING = frozenset({ActStatus.BOOKED, ActStatus.DONE})
RELEASING = frozenset({ActStatus.CANCELLED, ActStatus.NO_SHOW})


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def euros(amount: Decimal) -> str:
    """French notation for messages: 22,50."""
    return f"{cents(amount):.2f}".replace(".", ",")


@dataclass(frozen=True)
class Act:
    kind: str
    amount: Decimal
    status: ActStatus
    date: date

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("an act's amount must be a Decimal, never a float")


@dataclass(frozen=True)
class Ledger:
    committed: Decimal
    spent: Decimal
    released: Decimal
    remaining: Decimal
    followups_used: int

    @property
    def used(self) -> Decimal:
        """What counts against the cap (PSG-09): committed + spent."""
        return self.committed + self.spent


def ledger(acts: Iterable[Act], *, cap: Decimal) -> Ledger:
    """Sums by status, to the cent (ROUND_HALF_UP). ``remaining`` = cap - committed - spent.

    The cap is the caller's: the pathway's own (OQ-4: counted per pathway), read from the
    parameters in force when it started, so a later change never rewrites it.
    """
    committed = spent = released = ZERO
    followups_used = 0
    for act in acts:
        if act.status == ActStatus.BOOKED:
            committed += act.amount
        elif act.status == ActStatus.DONE:
            spent += act.amount
        else:
            released += act.amount
        if act.status in HOLDING and is_followup(act.kind):
            followups_used += 1
    return Ledger(
        committed=cents(committed),
        spent=cents(spent),
        released=cents(released),
        remaining=cents(cap - committed - spent),
        followups_used=followups_used,
    )


def delivery_deadline(window_start: date, params: PsgacParameters) -> date:
    """PSG-06: last day a prestation may take place (first assessment + window)."""
    return add_months(window_start, params.delivery_window_months)


def delivery_window_start(
    *,
    first_assessment_date: date | None,
    existing_acts: Iterable[Act],
    new_kind: str,
    new_date: date,
) -> date | None:
    """When the PSG-06 window opens: at the first assessment.

    Until an assessment is done, the earliest booked assessment stands in for it (the new act
    included if it is one), so a follow-up is not booked past a deadline that is already
    certain. A follow-up with no assessment done or booked opens nothing: there is no
    deadline to check it against yet (None).
    """
    candidates = [first_assessment_date] if first_assessment_date is not None else []
    candidates += [
        act.date for act in existing_acts if act.status in HOLDING and is_assessment(act.kind)
    ]
    if is_assessment(new_kind):
        candidates.append(new_date)
    return min(candidates) if candidates else None


def check_booking(
    *,
    prescribed_items: Collection[str],
    existing_acts: Collection[Act],
    new_kind: str,
    new_amount: Decimal,
    new_date: date,
    first_assessment_date: date | None,
    params: PsgacParameters,
) -> list[RuleFailure]:
    """Every failure of booking (or completing) one more act, in rule order.

    ``existing_acts`` are the pathway's other acts, whatever their status: only booked and
    done ones count against the limits.
    """
    if not isinstance(new_amount, Decimal):
        raise TypeError("an act's amount must be a Decimal, never a float")
    # PSG-11: APA sessions are an orientation, never billed to the pathway.
    if new_kind == APA_SESSION:
        return [
            RuleFailure(
                "PSG-11",
                _(
                    "Les séances d'activité physique adaptée ne sont pas financées par le "
                    "parcours : enregistrez-les comme une orientation."
                ),
                "kind",
            )
        ]
    prestation = PRESTATIONS.get(new_kind)
    if prestation is None:
        return [
            RuleFailure(
                "PSG-04",
                _("« %(item)s » n'est pas une prestation du parcours de soins global.")
                % {"item": new_kind},
                "kind",
            )
        ]
    failures: list[RuleFailure] = []
    holding = [act for act in existing_acts if act.status in HOLDING]
    # PSG-04: only what the prescription asked for.
    if new_kind not in prescribed_items:
        failures.append(
            RuleFailure(
                "PSG-04",
                _("La prestation « %(label)s » n'a pas été prescrite.")
                % {"label": prestation.label},
                "kind",
            )
        )
    # PSG-06: within the delivery window after the first assessment.
    start = delivery_window_start(
        first_assessment_date=first_assessment_date,
        existing_acts=existing_acts,
        new_kind=new_kind,
        new_date=new_date,
    )
    if start is not None:
        deadline = delivery_deadline(start, params)
        if new_date > deadline:
            failures.append(
                RuleFailure(
                    "PSG-06",
                    _(
                        "Les prestations doivent avoir lieu dans les %(months)s mois qui suivent "
                        "le premier bilan, soit au plus tard le %(deadline)s."
                    )
                    % {
                        "months": params.delivery_window_months,
                        "deadline": deadline.strftime("%d/%m/%Y"),
                    },
                    "date",
                )
            )
    if prestation.kind == PrestationKind.ASSESSMENT:
        # PSG-10: at most one assessment of each kind (booked or done).
        same_kind = sum(1 for act in holding if act.kind == new_kind)
        if same_kind >= params.max_assessments_per_kind:
            failures.append(
                RuleFailure(
                    "PSG-10",
                    _("Le parcours comporte déjà un « %(label)s ».") % {"label": prestation.label},
                    "kind",
                )
            )
        max_rate, rate_rule = params.assessment_max_rate, "PSG-07"
    else:
        # PSG-05: at most N follow-ups, dietetic and psychological combined (booked or done).
        used = sum(1 for act in holding if is_followup(act.kind))
        if used >= params.max_followups:
            failures.append(
                RuleFailure(
                    "PSG-05",
                    _(
                        "Le parcours compte déjà %(count)s consultations de suivi, le maximum "
                        "(diététiques et psychologiques confondues)."
                    )
                    % {"count": used},
                    "kind",
                )
            )
        max_rate, rate_rule = params.followup_max_rate, "PSG-08"
    failures.extend(_check_amount(new_amount, max_rate, rate_rule))
    # PSG-09: committed + spent + this act within the cap per patient (OQ-4: per pathway).
    current = ledger(existing_acts, cap=params.cap_per_patient)
    if new_amount >= 0 and current.used + new_amount > params.cap_per_patient:
        failures.append(
            RuleFailure(
                "PSG-09",
                _(
                    "Le plafond de %(cap)s € par patient serait dépassé : il reste %(remaining)s € "
                    "sur le parcours."
                )
                % {
                    "cap": euros(params.cap_per_patient),
                    "remaining": euros(max(current.remaining, ZERO)),
                },
                "amount",
            )
        )
    return failures


def _check_amount(amount: Decimal, max_rate: Decimal, rule: str) -> list[RuleFailure]:
    if amount < 0:
        return [RuleFailure(AMOUNT_NEGATIVE, _("Le montant ne peut pas être négatif."), "amount")]
    failures: list[RuleFailure] = []
    if amount != cents(amount):
        failures.append(
            RuleFailure(
                AMOUNT_PRECISION,
                _("Le montant s'exprime en euros et centimes (deux décimales au plus)."),
                "amount",
            )
        )
    # PSG-07 (assessment) / PSG-08 (follow-up): the maximum rate paid to the professional.
    if amount > max_rate:
        failures.append(
            RuleFailure(
                rule,
                _("Le tarif dépasse le maximum de %(max)s € pour cette prestation.")
                % {"max": euros(max_rate)},
                "amount",
            )
        )
    return failures
