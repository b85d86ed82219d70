"""Reads of pathways: orientation candidates, the worklist, one pathway with its timeline."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.core.text import fold
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.models import (
    Act,
    Pathway,
    PathwayEvent,
    Prescription,
    Referral,
    to_rule_act,
)
from oncoparcours.pathways.rules import budget as rules
from oncoparcours.pathways.rules.eligibility import AgeGroup
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.patients.models import Patient
from oncoparcours.patients.selectors import compact_ins
from oncoparcours.regulation.parameters import PsgacParameters
from oncoparcours.regulation.selectors import psgac_parameters_at
from oncoparcours.territories.geo import haversine_km
from oncoparcours.territories.normalise import normalise_name

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


@dataclass(frozen=True)
class Candidate:
    structure: Organisation
    # None when either commune has no coordinates.
    distance_km: float | None


def _audience_first(structures: list[Organisation], group: AgeGroup) -> list[Organisation]:
    """PSG-19/21: AJA and children go to the matching scheme first, else to adult ones."""
    if group == AgeGroup.AJA:
        matching = [s for s in structures if s.serves_aja]
    elif group == AgeGroup.CHILD:
        matching = [s for s in structures if s.serves_children]
    else:
        matching = []
    return matching or [s for s in structures if s.serves_adults]


def reassignment_targets(pathway: Pathway) -> QuerySet[Organisation]:
    """The active structures porteuses a pathway may be handed to, by name."""
    return (
        Organisation.objects.filter(kind=OrgKind.STRUCTURE_PORTEUSE, archived_at__isnull=True)
        .exclude(pk=pathway.structure_id or 0)
        .order_by("name")
    )


def orientation_candidates(
    patient: Patient, *, age_group: AgeGroup = AgeGroup.ADULT
) -> list[Candidate]:
    """Active structures porteuses whose active territory contains the patient's commune,
    nearest first (one query)."""
    structures = list(
        Organisation.objects.filter(
            kind=OrgKind.STRUCTURE_PORTEUSE,
            archived_at__isnull=True,
            territories__archived_at__isnull=True,
            territories__communes=patient.commune_id,
        )
        .select_related("commune")
        .distinct()
    )
    home = patient.commune
    candidates = []
    for structure in _audience_first(structures, age_group):
        place = structure.commune
        distance = None
        if place is not None and None not in (
            place.latitude,
            place.longitude,
            home.latitude,
            home.longitude,
        ):
            distance = haversine_km(
                home.latitude,  # type: ignore[arg-type]
                home.longitude,  # type: ignore[arg-type]
                place.latitude,  # type: ignore[arg-type]
                place.longitude,  # type: ignore[arg-type]
            )
        candidates.append(Candidate(structure, distance))
    candidates.sort(key=lambda c: (c.distance_km is None, c.distance_km or 0.0, c.structure.name))
    return candidates


def _scope(actor: Membership | None) -> Q | None:
    """Which pathways the actor may list; None: none at all."""
    if actor is None:
        return None
    if actor.role == RoleCode.COORDINATOR:
        return Q(structure_id=actor.organisation_id)
    if actor.role in (RoleCode.PRESCRIBER, RoleCode.HOSPITAL_ONCOLOGIST):
        return Q(prescription__prescriber_id=actor.user_id)
    if actor.role in (RoleCode.DIRECTORY_EDITOR, RoleCode.ADMIN):
        return Q(uncovered=True)
    return None


# The coordinator's worklist buckets (issue 3 §8), in the order of the tabs. A pathway may sit
# in several (a new prescription is also to contact); each bucket's filter is ``bucket_filter``.
WORKLIST_BUCKETS: dict[str, "StrPromise"] = {
    "new": _("Nouvelles prescriptions"),
    "to_contact": _("À contacter"),
    "waiting_first_assessment": _("En attente du premier bilan"),
    "active": _("En cours"),
    "expiring": _("Échéance proche"),
    "near_cap": _("Budget presque consommé"),
    "refused": _("Non éligibles"),
}

_MONEY = DecimalField(max_digits=12, decimal_places=2)


def _engaged_x100() -> ExpressionWrapper:
    """PSG-09: 100 * (committed + spent), from the column the act services keep
    (``Pathway.engaged_amount``). A hundredfold: the threshold test needs no division (exact on
    SQLite and PostgreSQL)."""
    return ExpressionWrapper(F("engaged_amount") * 100, output_field=_MONEY)


def bucket_filter(code: str, *, params: PsgacParameters, today: date) -> Q:
    """The filter of one worklist bucket, usable in ``filter`` and in ``Count(filter=…)``
    (expressions, no alias). Windows and threshold are the parameters in force ``today``."""
    if code == "new":
        since = timezone.now() - timedelta(days=params.contact_after_days)
        return Q(
            status__in=[PathwayStatus.RECEIVED, PathwayStatus.ELIGIBLE],
            prescription__received_at__gte=since,
        )
    if code == "to_contact":
        return Q(status=PathwayStatus.ELIGIBLE)
    if code == "waiting_first_assessment":
        done = Act.objects.filter(pathway=OuterRef("pk"), status=rules.ActStatus.DONE.value)
        return Q(status=PathwayStatus.CONTACTED) & ~Q(Exists(done))
    if code == "active":
        return Q(status=PathwayStatus.ACTIVE)
    if code == "expiring":
        return Q(
            status=PathwayStatus.ACTIVE,
            deadline__gte=today,
            deadline__lte=today + timedelta(days=params.deadline_within_days),
        )
    if code == "near_cap":
        # engaged / cap >= threshold %, i.e. 100 * engaged >= threshold * cap.
        threshold = ExpressionWrapper(
            F("cap") * params.budget_threshold_percent, output_field=_MONEY
        )
        return Q(status__in=[PathwayStatus.ACTIVE, PathwayStatus.CONTACTED]) & Q(
            GreaterThanOrEqual(_engaged_x100(), threshold)
        )
    if code == "refused":
        return Q(status=PathwayStatus.REFUSED)
    raise KeyError(code)


def _search(q: str) -> Q | None:
    """Folded family or given name, INS matricule (spaces ignored) or commune name."""
    term = q.strip()
    if not term:
        return None
    folded = fold(term)
    search = (
        Q(patient__birth_name_key__contains=folded)
        | Q(patient__used_name_key__contains=folded)
        | Q(patient__given_name_key__contains=folded)
    )
    commune = normalise_name(term)
    if commune:
        search |= Q(patient__commune__search_name__contains=commune)
    ins = compact_ins(term)
    if ins.isdigit():
        search |= Q(patient__ins_matricule__startswith=ins)
    return search


def _scoped(actor: Membership | None, q: str | None) -> QuerySet[Pathway]:
    scope = _scope(actor)
    if scope is None:
        return Pathway.objects.none()
    pathways = Pathway.objects.filter(scope)
    search = _search(q or "")
    if search is not None:
        pathways = pathways.filter(search)
    return pathways


def pathway_worklist_for(
    actor: Membership | None,
    *,
    status: str | None = None,
    q: str | None = None,
    bucket: str | None = None,
    params: PsgacParameters | None = None,
    today: date | None = None,
) -> QuerySet[Pathway]:
    """The actor's pathways, newest first, with patient, commune, structure and prescription
    joined (one query whatever the number of rows). ``bucket``: a ``WORKLIST_BUCKETS`` code
    (``params``: the parameters in force ``today``, read when not given)."""
    pathways = _scoped(actor, q).select_related("patient__commune", "structure", "prescription")
    if status:
        pathways = pathways.filter(status=status)
    if bucket in WORKLIST_BUCKETS:
        today = today or timezone.localdate()
        params = params or psgac_parameters_at(today)
        pathways = pathways.filter(bucket_filter(bucket, params=params, today=today))
    return pathways.order_by("-created_at", "-pk")


def worklist_bucket_counts(
    actor: Membership | None,
    *,
    q: str | None = None,
    params: PsgacParameters | None = None,
    today: date | None = None,
) -> dict[str, int]:
    """How many of the actor's pathways (matching ``q``) sit in each bucket: one aggregate
    query (plus one for the parameters when not given)."""
    if _scope(actor) is None:
        return dict.fromkeys(WORKLIST_BUCKETS, 0)
    today = today or timezone.localdate()
    params = params or psgac_parameters_at(today)
    counts = _scoped(actor, q).aggregate(
        **{
            code: Count("pk", filter=bucket_filter(code, params=params, today=today))
            for code in WORKLIST_BUCKETS
        }
    )
    return {code: int(counts[code] or 0) for code in WORKLIST_BUCKETS}


def prescriptions_of(user: User) -> QuerySet[Prescription]:
    """The prescriptions the user made, newest first, with their pathway, structure and
    patient joined (one query whatever the number of rows)."""
    return (
        Prescription.objects.filter(prescriber=user)
        .select_related("pathway__structure", "patient")
        .order_by("-received_at", "-pk")
    )


def pathway_detail(public_id: UUID | str) -> Pathway | None:
    """One pathway with what its page and API show, events and their authors prefetched."""
    return (
        Pathway.objects.select_related(
            "patient__commune",
            "structure",
            "prescription__prescriber",
            "prescription__override_by__user",
        )
        .prefetch_related(
            Prefetch(
                "events",
                queryset=PathwayEvent.objects.select_related("actor__user", "actor__organisation"),
            ),
            Prefetch("acts", queryset=Act.objects.select_related("professional")),
            Prefetch("referrals", queryset=Referral.objects.select_related("offer")),
        )
        .filter(public_id=public_id)
        .first()
    )


def pathway_ledger(pathway: Pathway) -> rules.Ledger:
    """PSG-09: committed, spent and released to the cent, against the pathway's own cap. One
    query over the acts (none when ``pathway_detail`` has prefetched them)."""
    return rules.ledger((to_rule_act(act) for act in pathway.acts.all()), cap=pathway.cap)


def act_detail(public_id: UUID | str) -> Act | None:
    return (
        Act.objects.select_related(
            "pathway__prescription", "pathway__patient", "pathway__structure", "professional"
        )
        .filter(public_id=public_id)
        .first()
    )


def agenda_for(user: User) -> QuerySet[Act]:
    """The professional's booked acts, soonest first, with patient and structure joined (one
    query whatever the number of rows)."""
    return (
        Act.objects.filter(professional=user, status=rules.ActStatus.BOOKED)
        .select_related("pathway__patient", "pathway__structure")
        .order_by("starts_at", "pk")
    )


def act_professional_choices(pathway: Pathway, kind: str | None = None) -> QuerySet[User]:
    """Active members of the pathway's structure qualified for ``kind`` (PSG-12/13), or for any
    prestation of the prescription when ``kind`` is None."""
    if pathway.structure_id is None:
        return User.objects.none()
    kinds = [kind] if kind else list(pathway.prescription.items)
    professions = {
        p for code in kinds if code in PRESTATIONS for p in PRESTATIONS[code].professions
    }
    now = timezone.now()
    return (
        User.objects.filter(
            Q(memberships__ended_at__isnull=True) | Q(memberships__ended_at__gt=now),
            is_active=True,
            profession__in=professions,
            memberships__organisation_id=pathway.structure_id,
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
