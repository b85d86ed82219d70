"""Prescriptions in: from a hospital system, a prescriber's software or a structure."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja.pagination import PageNumberPagination, paginate
from ninja.params import HeaderEx, P
from ninja.responses import Status

from oncoparcours.accounts.roles import RoleCode
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.pathways import services
from oncoparcours.pathways.api.base import (
    reloaded_pathway,
    router,
)
from oncoparcours.pathways.api.schemas import (
    MyPrescriptionOut,
    PathwayDetailOut,
    PrescriptionIn,
    RefusedOut,
)
from oncoparcours.pathways.models import Channel, Prescription
from oncoparcours.pathways.permissions import (
    can_list_own_prescriptions,
    can_receive_prescription,
)
from oncoparcours.pathways.selectors import (
    prescriptions_of,
)
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.patients.permissions import access_patient


@router.post(
    "/prescriptions",
    response={201: PathwayDetailOut, 422: RefusedOut},
    summary="Transmettre une prescription de parcours de soins global (idempotent)",
    description="201 avec le parcours si la prescription est éligible ; 422 avec chaque règle "
    'non respectée (`{"code": "PSG-03", "message": "…", "field": "…"}`) et `pathway_id` '
    "sinon : la prescription est conservée au statut « refused », et un coordinateur peut "
    "accorder une dérogation. Données invalides (prestation inconnue, date future…) : 400, "
    "rien n'est enregistré. Avec un en-tête `Idempotency-Key`, une requête rejouée avec la "
    "même clé et le même corps renvoie le même parcours sans en créer un second.",
)
def prescription_create(
    request: HttpRequest,
    payload: PrescriptionIn,
    idempotency_key: HeaderEx[
        str | None,
        P(alias="Idempotency-Key", description="Clé choisie par le client (1 à 255 caractères)."),
    ] = None,
) -> Status[Any]:
    current = actor(request)
    if not can_receive_prescription(current):
        raise forbidden()
    try:
        patient = access_patient(current, payload.patient_id)
    except Http404:
        raise not_found() from None
    fields: dict[str, Any] = {
        "patient": patient,
        "prescriber": current.user if current.role == RoleCode.PRESCRIBER else None,
        "prescriber_name": payload.prescriber_name,
        "prescriber_rpps": payload.prescriber_rpps,
        "prescriber_specialty": payload.prescriber_specialty,
        "prescription_date": payload.prescription_date,
        "items": payload.items,
        "channel": Channel.API,
    }
    if idempotency_key is None:
        pathway = services.prescription_receive(by=current, **fields)
    else:
        pathway, _created = services.prescription_receive_once(
            by=current,
            idempotency_key=idempotency_key,
            fingerprint_of=payload.model_dump(),
            **fields,
        )
    pathway = reloaded_pathway(pathway)
    if pathway.status == PathwayStatus.REFUSED:
        return Status(
            422, {"errors": pathway.prescription.failures, "pathway_id": pathway.public_id}
        )
    return Status(201, pathway)


@router.get(
    "/prescriptions/mine",
    response=list[MyPrescriptionOut],
    summary="Mes prescriptions et leur statut (prescripteur)",
    description="Le patient n'y figure que par ses initiales et son année de naissance.",
)
@paginate(PageNumberPagination)
def prescription_list_mine(request: HttpRequest) -> QuerySet[Prescription]:
    current = actor(request)
    if not can_list_own_prescriptions(current):
        raise forbidden()
    return prescriptions_of(current.user)
