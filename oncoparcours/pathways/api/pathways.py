"""Pathways: list, buckets, read, and the coordinator's decisions on one."""

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from oncoparcours.core.api import actor, forbidden
from oncoparcours.core.errors import refuse
from oncoparcours.directory.selectors import offer_detail
from oncoparcours.organisations.models import Organisation
from oncoparcours.pathways import services
from oncoparcours.pathways.api.base import (
    actable_pathway,
    reloaded_pathway,
    router,
    visible_pathway,
)
from oncoparcours.pathways.api.schemas import (
    BucketOut,
    BucketsFilters,
    CloseIn,
    OverrideIn,
    PathwayDetailOut,
    PathwayFilters,
    PathwayOut,
    ReassignIn,
    ReferralIn,
    ReferralOut,
)
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.permissions import (
    can_list_pathways,
    can_reassign_pathway,
    can_view_pathway,
)
from oncoparcours.pathways.selectors import (
    WORKLIST_BUCKETS,
    pathway_worklist_for,
    worklist_bucket_counts,
)


@router.get(
    "",
    response=list[PathwayOut],
    summary="Parcours de l'organisation de l'appelant (filtres : catégorie, statut, recherche)",
    description="`bucket` : une des catégories de `/pathways/buckets` (new, to_contact, "
    "waiting_first_assessment, active, expiring, near_cap, refused) ; une valeur inconnue est "
    "ignorée. `q` : nom, matricule INS (espaces ignorés) ou commune.",
)
@paginate(PageNumberPagination)
def pathway_list(request: HttpRequest, filters: Query[PathwayFilters]) -> QuerySet[Pathway]:
    current = actor(request)
    if not can_list_pathways(current):
        raise forbidden()
    bucket = filters.bucket if filters.bucket in WORKLIST_BUCKETS else None
    return pathway_worklist_for(current, status=filters.status, q=filters.q, bucket=bucket)


@router.get(
    "/buckets",
    response=list[BucketOut],
    summary="Nombre de parcours de l'appelant par catégorie de la file de travail",
)
def pathway_buckets(request: HttpRequest, filters: Query[BucketsFilters]) -> list[dict[str, Any]]:
    current = actor(request)
    if not can_list_pathways(current):
        raise forbidden()
    counts = worklist_bucket_counts(current, q=filters.q)
    return [
        {"code": code, "label": str(label), "count": counts[code]}
        for code, label in WORKLIST_BUCKETS.items()
    ]


@router.get(
    "/{pathway_id}",
    response=PathwayDetailOut,
    summary="Lire un parcours : statut, structure, échéance, plafond, chronologie",
)
def pathway_get(request: HttpRequest, pathway_id: UUID) -> Pathway:
    return visible_pathway(request, pathway_id)


@router.post(
    "/{pathway_id}/override",
    response=PathwayDetailOut,
    summary="Accorder une dérogation d'éligibilité, avec justification écrite (coordinateur)",
)
def pathway_override(request: HttpRequest, pathway_id: UUID, payload: OverrideIn) -> Pathway:
    current, pathway = actable_pathway(request, pathway_id)
    services.eligibility_override(by=current, pathway=pathway, justification=payload.justification)
    return reloaded_pathway(pathway)


@router.post(
    "/{pathway_id}/contacted",
    response=PathwayDetailOut,
    summary="Indiquer que le patient a été contacté (coordinateur)",
)
def pathway_contacted(request: HttpRequest, pathway_id: UUID) -> Pathway:
    current, pathway = actable_pathway(request, pathway_id)
    services.pathway_mark_contacted(by=current, pathway=pathway)
    return reloaded_pathway(pathway)


@router.post(
    "/{pathway_id}/close",
    response=PathwayDetailOut,
    summary="Clore un parcours : terminé, abandon, perdu de vue ou décès (coordinateur)",
)
def pathway_close(request: HttpRequest, pathway_id: UUID, payload: CloseIn) -> Pathway:
    current, pathway = actable_pathway(request, pathway_id)
    services.pathway_close(
        by=current, pathway=pathway, outcome=payload.outcome, reason=payload.reason
    )
    return reloaded_pathway(pathway)


@router.post(
    "/{pathway_id}/reassign",
    response={200: PathwayDetailOut, 204: None},
    summary="Réattribuer un parcours à une autre structure porteuse (coordinateur ; DSRC pour "
    "un territoire non couvert)",
    description="Le dossier du patient suit le parcours. Après réattribution, un coordinateur de "
    "l'ancienne structure ne voit plus le parcours : la réponse est alors 204.",
)
def pathway_reassign(request: HttpRequest, pathway_id: UUID, payload: ReassignIn) -> Status[Any]:
    current = actor(request)
    pathway = visible_pathway(request, pathway_id)
    if not can_reassign_pathway(current, pathway):
        raise forbidden()
    structure = Organisation.objects.filter(public_id=payload.structure_id).first()
    if structure is None:
        refuse(
            ValidationError(
                {
                    "structure_id": ValidationError(
                        _("Aucune structure porteuse ne porte cet identifiant."),
                        code="pathway.structure_invalid",
                    )
                }
            ),
            where="api.pathway_reassign",
            by=current,
        )
    services.pathway_reassign(
        by=current, pathway=pathway, structure=structure, reason=payload.reason
    )
    fresh = reloaded_pathway(pathway)
    if not can_view_pathway(current, fresh):
        return Status(204, None)
    return Status(200, fresh)


@router.post(
    "/{pathway_id}/referrals",
    response={201: ReferralOut},
    summary="Orienter le patient vers un soin de support (coordinateur)",
    description="Une offre du répertoire (`offer_id`) ou un intervenant nommé (`care_type`, "
    "`provider_name`). Les séances d'activité physique adaptée s'enregistrent ainsi : elles ne "
    "sont jamais facturées au parcours (PSG-11). Refus : 400 avec le code `referral.*`.",
)
def pathway_refer(request: HttpRequest, pathway_id: UUID, payload: ReferralIn) -> Status[Any]:
    current, pathway = actable_pathway(request, pathway_id)
    offer = None
    if payload.offer_id is not None:
        offer = offer_detail(payload.offer_id)
        if offer is None:
            refuse(
                ValidationError(
                    {
                        "offer_id": ValidationError(
                            _("Cette offre n'est plus au répertoire."),
                            code="referral.offer_archived",
                        )
                    }
                ),
                where="api.pathway_refer",
                by=current,
            )
    referral = services.pathway_refer(
        by=current,
        pathway=pathway,
        care_type=payload.care_type,
        offer=offer,
        provider_name=payload.provider_name,
        note=payload.note,
    )
    return Status(201, referral)
