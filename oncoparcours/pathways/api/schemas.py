"""The pathways API's JSON shapes (pydantic): what goes in and out."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Schema

from oncoparcours.pathways.models import Act, Pathway, PathwayEvent, Prescription, Referral
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.selectors import (
    pathway_ledger,
)
from oncoparcours.pathways.states import EVENT_LABELS
from oncoparcours.patients.api import PatientIn


class FailureOut(Schema):
    code: str
    message: str
    field: str | None = None


class PathwayOut(Schema):
    id: UUID
    status: str
    status_label: str
    patient_id: UUID
    structure_id: UUID | None
    structure_name: str | None
    uncovered: bool
    age_group: str
    eligibility: str
    failures: list[FailureOut]
    prescription_date: date
    first_assessment_date: date | None
    deadline: date | None
    cap: Decimal
    created_at: datetime
    closed_at: datetime | None
    closure_reason: str

    @staticmethod
    def resolve_id(obj: Pathway) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_patient_id(obj: Pathway) -> UUID:
        return obj.patient.public_id

    @staticmethod
    def resolve_structure_id(obj: Pathway) -> UUID | None:
        return obj.structure.public_id if obj.structure else None

    @staticmethod
    def resolve_structure_name(obj: Pathway) -> str | None:
        return obj.structure.name if obj.structure else None

    @staticmethod
    def resolve_eligibility(obj: Pathway) -> str:
        return obj.prescription.eligibility

    @staticmethod
    def resolve_failures(obj: Pathway) -> list[dict[str, Any]]:
        return list(obj.prescription.failures)

    @staticmethod
    def resolve_prescription_date(obj: Pathway) -> date:
        return obj.prescription.prescription_date


class PrescriptionOut(Schema):
    id: UUID
    prescriber_name: str
    prescriber_rpps: str
    prescriber_specialty: str
    prescription_date: date
    items: list[str]
    channel: str
    ald_cancer: bool
    active_treatment_end_date: date | None
    received_at: datetime
    override_justification: str
    override_at: datetime | None

    @staticmethod
    def resolve_id(obj: Prescription) -> UUID:
        return obj.public_id


class EventOut(Schema):
    kind: str
    kind_label: str
    at: datetime
    actor_id: UUID | None
    actor_role: str | None
    reason: str
    data: dict[str, Any]

    @staticmethod
    def resolve_kind_label(obj: PathwayEvent) -> str:
        return str(EVENT_LABELS.get(obj.kind, obj.kind))  # type: ignore[call-overload]

    @staticmethod
    def resolve_actor_id(obj: PathwayEvent) -> UUID | None:
        return obj.actor.public_id if obj.actor else None

    @staticmethod
    def resolve_actor_role(obj: PathwayEvent) -> str | None:
        return obj.actor.role if obj.actor else None


class ActOut(Schema):
    id: UUID
    pathway_id: UUID
    kind: str
    kind_label: str
    professional_id: UUID
    professional_name: str
    starts_at: datetime
    duration_minutes: int
    mode: str
    place: str
    amount: str
    status: str
    done_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str

    @staticmethod
    def resolve_id(obj: Act) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Act) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_kind_label(obj: Act) -> str:
        return str(PRESTATIONS[obj.kind].label)

    @staticmethod
    def resolve_professional_id(obj: Act) -> UUID:
        return obj.professional.public_id

    @staticmethod
    def resolve_professional_name(obj: Act) -> str:
        return obj.professional.get_full_name()

    @staticmethod
    def resolve_amount(obj: Act) -> str:
        return f"{obj.amount:.2f}"


class BudgetOut(Schema):
    """PSG-09, to the cent: strings with two decimals, never floats."""

    cap: str
    committed: str
    spent: str
    remaining: str
    followups_used: int


class ReferralOut(Schema):
    id: UUID
    care_type: str
    care_type_label: str
    offer_id: UUID | None
    provider_name: str
    note: str
    referred_at: datetime

    @staticmethod
    def resolve_id(obj: Referral) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_care_type_label(obj: Referral) -> str:
        return str(obj.get_care_type_display())

    @staticmethod
    def resolve_offer_id(obj: Referral) -> UUID | None:
        return obj.offer.public_id if obj.offer else None


class ReferralIn(Schema):
    """``offer_id``: a directory offer (its care type and provider are taken from it), or
    ``care_type`` and ``provider_name`` for a provider not in the directory."""

    offer_id: UUID | None = None
    care_type: str = ""
    provider_name: str = ""
    note: str = ""


class PathwayDetailOut(PathwayOut):
    prescription: PrescriptionOut
    events: list[EventOut]
    budget: BudgetOut
    acts: list[ActOut]
    referrals: list[ReferralOut]

    @staticmethod
    def resolve_referrals(obj: Pathway) -> list[Referral]:
        return list(obj.referrals.all())

    @staticmethod
    def resolve_events(obj: Pathway) -> list[PathwayEvent]:
        return list(obj.events.all())

    @staticmethod
    def resolve_budget(obj: Pathway) -> dict[str, Any]:
        ledger = pathway_ledger(obj)
        return {
            "cap": f"{obj.cap:.2f}",
            "committed": f"{ledger.committed:.2f}",
            "spent": f"{ledger.spent:.2f}",
            "remaining": f"{ledger.remaining:.2f}",
            "followups_used": ledger.followups_used,
        }

    @staticmethod
    def resolve_acts(obj: Pathway) -> list[Act]:
        return list(obj.acts.all())


class RefusedOut(Schema):
    errors: list[FailureOut]
    pathway_id: UUID


class PrescriptionIn(Schema):
    """``patient_id``: a patient of the caller's structure (coordinator). ``patient``: the
    patient described by a prescriber (or the hospital system acting with a prescriber's
    token); a known patient (same matricule INS or strict traits) is reused, never twinned,
    and ``confirm_not_duplicate`` is ignored. Exactly one of the two. ``prescriber_*``: for a
    paper prescription keyed by a coordinator; a prescriber is taken from their account."""

    patient_id: UUID | None = None
    patient: PatientIn | None = None
    prescription_date: date
    items: list[str]
    prescriber_name: str = ""
    prescriber_rpps: str = ""
    prescriber_specialty: str = ""


class OverrideIn(Schema):
    justification: str


class ReassignIn(Schema):
    """``structure_id``: the active structure porteuse that takes the pathway over."""

    structure_id: UUID
    reason: str


class CloseIn(Schema):
    outcome: str
    reason: str = ""


class ActIn(Schema):
    """``professional_id``: the professional's user id (``/api/v1/organisations/{id}/members``);
    ``amount``: the rate agreed with them, in euros, as a string ("45.00"); left out, the rate
    of their contract in force on the act's day (or the regulatory maximum without one)."""

    kind: str
    professional_id: UUID
    starts_at: datetime
    mode: str
    place: str = ""
    amount: Decimal | None = None


class RescheduleIn(Schema):
    starts_at: datetime


class CompleteIn(Schema):
    done_on: date | None = None


class CancelIn(Schema):
    reason: str


class ErrorsOut(Schema):
    errors: list[FailureOut]


class PathwayFilters(Schema):
    status: str | None = None
    q: str | None = None
    bucket: str | None = None


class BucketsFilters(Schema):
    q: str | None = None


class BucketOut(Schema):
    code: str
    label: str
    count: int


class MyPrescriptionOut(Schema):
    """A prescriber's own prescription: the patient as initials and birth year only."""

    id: UUID
    pathway_id: UUID
    prescription_date: date
    received_at: datetime
    patient_initials: str
    patient_birth_year: int
    items: list[str]
    status: str
    status_label: str
    structure_name: str | None
    uncovered: bool
    failures: list[FailureOut]

    @staticmethod
    def resolve_id(obj: Prescription) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Prescription) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_patient_initials(obj: Prescription) -> str:
        patient = obj.patient
        family = patient.used_name or patient.birth_name
        return f"{patient.first_given_name[:1].upper()}. {family[:1].upper()}."

    @staticmethod
    def resolve_patient_birth_year(obj: Prescription) -> int:
        return obj.patient.birth_date.year

    @staticmethod
    def resolve_status(obj: Prescription) -> str:
        return obj.pathway.status

    @staticmethod
    def resolve_status_label(obj: Prescription) -> str:
        return obj.pathway.status_label

    @staticmethod
    def resolve_structure_name(obj: Prescription) -> str | None:
        structure = obj.pathway.structure
        return structure.name if structure else None

    @staticmethod
    def resolve_uncovered(obj: Prescription) -> bool:
        return obj.pathway.uncovered

    @staticmethod
    def resolve_failures(obj: Prescription) -> list[dict[str, Any]]:
        return list(obj.failures)
