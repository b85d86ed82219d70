"""Reads of pathways: orientation candidates, the worklist, one pathway with its timeline."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.roles import OrgKind, RoleCode
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways.geo import haversine_km
from oncoparcours.pathways.models import Pathway, PathwayEvent
from oncoparcours.pathways.rules.eligibility import AgeGroup
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
            )
        )
        .filter(public_id=public_id)
        .first()
    )
