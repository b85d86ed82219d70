"""Reads of pathways: orientation candidates, the worklist, one pathway with its timeline."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from oncoparcours.accounts.models import Membership, User
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.geo import haversine_km
from oncoparcours.pathways.models import Act, Pathway, PathwayEvent, to_rule_act
from oncoparcours.pathways.rules import budget as rules
from oncoparcours.pathways.rules.eligibility import AgeGroup
from oncoparcours.pathways.rules.prestations import PRESTATIONS
from oncoparcours.patients.models import Patient
from oncoparcours.patients.selectors import compact_ins


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
    if actor.role == RoleCode.PRESCRIBER:
        return Q(prescription__prescriber_id=actor.user_id)
    if actor.role in (RoleCode.DIRECTORY_EDITOR, RoleCode.ADMIN):
        return Q(uncovered=True)
    return None


def pathway_worklist_for(
    actor: Membership | None, *, status: str | None = None, q: str | None = None
) -> QuerySet[Pathway]:
    """The actor's pathways, newest first, with patient, commune, structure and prescription
    joined (one query whatever the number of rows)."""
    scope = _scope(actor)
    if scope is None:
        return Pathway.objects.none()
    pathways = Pathway.objects.filter(scope).select_related(
        "patient__commune", "structure", "prescription"
    )
    if status:
        pathways = pathways.filter(status=status)
    if q and q.strip():
        term = q.strip()
        search = (
            Q(patient__birth_name__icontains=term)
            | Q(patient__used_name__icontains=term)
            | Q(patient__first_given_name__icontains=term)
            | Q(patient__commune__name__icontains=term)
        )
        ins = compact_ins(term)
        if ins.isdigit():
            search |= Q(patient__ins_matricule__startswith=ins)
        pathways = pathways.filter(search)
    return pathways.order_by("-created_at", "-pk")


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
