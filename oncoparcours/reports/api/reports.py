"""Reports: one with its deliveries, its PDF, a pathway's list, a resend."""

from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest

from oncoparcours.accounts.models import Membership
from oncoparcours.core.api import actor, forbidden, not_found
from oncoparcours.pathways.permissions import access_pathway
from oncoparcours.reports import services
from oncoparcours.reports.api.base import router
from oncoparcours.reports.api.schemas import DeliveryOut, ReportOut, ResendIn
from oncoparcours.reports.models import Report, ReportDelivery
from oncoparcours.reports.permissions import access_delivery, access_report, can_use_reports
from oncoparcours.reports.selectors import delivery_detail, reports_for_pathway


def _reader(request: HttpRequest) -> Membership:
    current = actor(request)
    if not can_use_reports(current):
        raise forbidden()
    return current


def _report(request: HttpRequest, report_id: UUID) -> Report:
    try:
        return access_report(_reader(request), report_id)
    except Http404:
        raise not_found() from None


@router.get(
    "/reports/{report_id}",
    response=ReportOut,
    summary="Un compte rendu et ses envois (coordination, auteur du bilan)",
)
def report_get(request: HttpRequest, report_id: UUID) -> Report:
    return _report(request, report_id)


@router.get(
    "/reports/{report_id}/pdf",
    response={200: None},
    summary="Télécharger le PDF d'un compte rendu",
)
def report_pdf_download(request: HttpRequest, report_id: UUID) -> FileResponse:
    report = _report(request, report_id)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise not_found() from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"compte-rendu-{report.public_id}.pdf",
        content_type="application/pdf",
    )


@router.get(
    "/pathways/{pathway_id}/reports",
    response=list[ReportOut],
    summary="Comptes rendus d'un parcours, du plus récent au plus ancien",
    description="La coordination les voit tous ; un professionnel, ceux de ses bilans.",
)
def pathway_report_list(request: HttpRequest, pathway_id: UUID) -> list[Report]:
    current = _reader(request)
    try:
        pathway = access_pathway(current, pathway_id)
    except Http404:
        raise not_found() from None
    return list(reports_for_pathway(pathway, current))


@router.post(
    "/reports/deliveries/{delivery_id}/resend",
    response=DeliveryOut,
    summary="Envoyer à nouveau un compte rendu (échec, consentement ou adresse obtenus depuis)",
    description="`address` : l'adresse de messagerie sécurisée du destinataire quand elle était "
    "inconnue. Refus : 400 avec le code `report.*` (`report.no_consent`, "
    "`report.address.required`, `report.delivery.not_resendable`).",
)
def report_delivery_resend(
    request: HttpRequest, delivery_id: UUID, payload: ResendIn
) -> ReportDelivery:
    current = _reader(request)
    try:
        delivery = access_delivery(current, delivery_id)
    except Http404:
        raise not_found() from None
    services.report_resend(by=current, delivery=delivery, address=payload.address)
    fresh = delivery_detail(delivery.public_id)
    if fresh is None:
        raise not_found()
    return fresh
