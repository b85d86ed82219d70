"""Reads of APA projects and of what their form offers: the pathway's APA assessments and the
directory's APA offers near the patient."""

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from oncoparcours.assessments.models import ApaProject, Assessment
from oncoparcours.directory.catalogue import Audience, CareType
from oncoparcours.directory.models import Offer
from oncoparcours.directory.selectors import offer_search
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.eligibility import AgeGroup
from oncoparcours.pathways.rules.prestations import APA_ASSESSMENT

# The suggestions: APA offers within this radius of the patient's commune, the nearest first.
OFFER_RADIUS_KM = 30.0
OFFER_COUNT = 10

AUDIENCE_OF_AGE_GROUP = {
    AgeGroup.CHILD.value: Audience.CHILDREN.value,
    AgeGroup.AJA.value: Audience.AJA.value,
    AgeGroup.ADULT.value: Audience.ADULTS.value,
}


def _projects() -> QuerySet[ApaProject]:
    return ApaProject.objects.select_related(
        "pathway__patient__commune",
        "pathway__structure",
        "written_by__user",
        "assessment__submitted_by",
    ).prefetch_related(
        Prefetch("suggested_offers", queryset=Offer.objects.select_related("commune"))
    )


def apa_project_detail(public_id: UUID | str) -> ApaProject | None:
    return _projects().filter(public_id=public_id).first()


def current_apa_project(pathway: Pathway) -> ApaProject | None:
    return _projects().filter(pathway=pathway, superseded_at__isnull=True).first()


def apa_assessments_of(pathway: Pathway) -> QuerySet[Assessment]:
    """The pathway's current APA assessments, latest first, with their authors."""
    return (
        Assessment.objects.filter(pathway=pathway, kind=APA_ASSESSMENT, superseded_at__isnull=True)
        .select_related("submitted_by__user")
        .order_by("-performed_on", "-pk")
    )


@dataclass(frozen=True)
class OfferChoice:
    offer: Offer
    distance_km: float | None


def apa_offer_choices(pathway: Pathway) -> list[OfferChoice]:
    """The directory's active APA offers for the patient's age group, within 30 km of their
    commune, the 10 nearest (remote-only offers are not places to go to)."""
    home = pathway.patient.commune
    if home.latitude is None or home.longitude is None:
        return []
    page = offer_search(
        care_types=[CareType.APA.value],
        audience=AUDIENCE_OF_AGE_GROUP.get(pathway.age_group, Audience.ADULTS.value),
        origin=(home.latitude, home.longitude),
        radius_km=OFFER_RADIUS_KM,
        include_remote=False,
        page_size=OFFER_COUNT,
    )
    return [OfferChoice(hit.offer, hit.distance_km) for hit in page.hits]
