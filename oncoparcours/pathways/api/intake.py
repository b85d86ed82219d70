"""Prescriptions in: from a hospital system, a prescriber's software or a structure."""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja.pagination import PageNumberPagination, paginate
from ninja.params import HeaderEx, P
from ninja.responses import Status

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.core.errors import refuse
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
from oncoparcours.pathways.models import Channel, Pathway, Prescription
from oncoparcours.pathways.permissions import (
    can_list_own_prescriptions,
    can_prescribe,
    can_receive_prescription,
)
from oncoparcours.pathways.selectors import (
    prescriptions_of,
)
from oncoparcours.pathways.states import PathwayStatus
from oncoparcours.patients.permissions import access_patient


def _intake(
    current: Membership, payload: PrescriptionIn
) -> tuple[Callable[..., Pathway], dict[str, Any]]:
    """The intake service and its arguments: the prescriber's channel for a described patient,
    the structure's for one of its patients."""
    if (payload.patient is None) == (payload.patient_id is None):
        refuse(
            ValidationError(
                {
                    "patient": ValidationError(
                        _("Indiquez soit patient_id, soit patient (l'un des deux)."),
                        code="prescription.patient_required",
                    )
                }
            ),
            where="api.prescription_create",
            by=current,
        )
    common = {
        "prescription_date": payload.prescription_date,
        "items": payload.items,
        "channel": Channel.API,
    }
    if payload.patient is not None:
        if not can_prescribe(current):
            refuse(
                ValidationError(
                    {
                        "patient": ValidationError(
                            _(
                                "Un coordinateur transmet la prescription d'un patient de sa "
                                "structure (patient_id) ; décrire le patient est réservé au "
                                "prescripteur."
                            ),
                            code="prescription.patient_inline_prescriber_only",
                        )
                    }
                ),
                where="api.prescription_create",
                by=current,
            )
        described = payload.patient.model_dump(exclude={"confirm_not_duplicate"})
        return services.prescription_prescribe, {"patient": described, **common}
    try:
        patient = access_patient(current, payload.patient_id or "")
    except Http404:
        raise not_found() from None
    return services.prescription_receive, {
        "patient": patient,
        "prescriber": current.user if can_prescribe(current) else None,
        "prescriber_name": payload.prescriber_name,
        "prescriber_rpps": payload.prescriber_rpps,
        "prescriber_specialty": payload.prescriber_specialty,
        **common,
    }


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
    receive, fields = _intake(current, payload)
    if idempotency_key is None:
        pathway = receive(by=current, **fields)
    else:
        pathway, _created = services.prescription_receive_once(
            by=current,
            idempotency_key=idempotency_key,
            fingerprint_of=payload.model_dump(),
            receive=receive,
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
