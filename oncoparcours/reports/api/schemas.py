"""The reports API's JSON shapes: reports with their deliveries, the APA project."""

from datetime import date, datetime
from uuid import UUID

from ninja import Schema

from oncoparcours.assessments.apa_project.documents import suggested_offers
from oncoparcours.assessments.models import ApaProject
from oncoparcours.reports.documents import prestation_label
from oncoparcours.reports.models import Report, ReportDelivery


class DeliveryOut(Schema):
    id: UUID
    recipient_role: str
    recipient_role_label: str
    recipient_name: str
    channel: str
    status: str
    status_label: str
    reason: str
    attempts: int
    sent_at: datetime | None

    @staticmethod
    def resolve_id(obj: ReportDelivery) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_recipient_role_label(obj: ReportDelivery) -> str:
        return str(obj.get_recipient_role_display())

    @staticmethod
    def resolve_status_label(obj: ReportDelivery) -> str:
        return str(obj.get_status_display())


class ReportOut(Schema):
    id: UUID
    pathway_id: UUID
    assessment_id: UUID
    kind: str
    kind_label: str
    performed_on: date
    created_at: datetime
    size: int
    sha256: str
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_id(obj: Report) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: Report) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_assessment_id(obj: Report) -> UUID:
        return obj.assessment.public_id

    @staticmethod
    def resolve_kind_label(obj: Report) -> str:
        return prestation_label(obj.kind)

    @staticmethod
    def resolve_performed_on(obj: Report) -> date:
        return obj.assessment.performed_on

    @staticmethod
    def resolve_deliveries(obj: Report) -> list[ReportDelivery]:
        return list(obj.deliveries.all())


class ResendIn(Schema):
    address: str = ""


class ApaProjectIn(Schema):
    assessment_id: UUID | None = None
    goals: str
    activity_types: list[str]
    sessions_per_week: int
    intensity: str
    session_minutes: int
    precautions: str = ""
    suggested_offer_ids: list[UUID] = []
    other_suggestions: str = ""


class SuggestedOfferOut(Schema):
    id: UUID
    title: str
    provider_name: str
    phone: str
    distance_km: float | None


class ApaProjectOut(Schema):
    id: UUID
    pathway_id: UUID
    assessment_id: UUID | None
    goals: str
    activity_types: list[str]
    sessions_per_week: int
    intensity: str
    session_minutes: int
    precautions: str
    suggested_offers: list[SuggestedOfferOut]
    other_suggestions: str
    written_at: datetime
    superseded_at: datetime | None

    @staticmethod
    def resolve_id(obj: ApaProject) -> UUID:
        return obj.public_id

    @staticmethod
    def resolve_pathway_id(obj: ApaProject) -> UUID:
        return obj.pathway.public_id

    @staticmethod
    def resolve_assessment_id(obj: ApaProject) -> UUID | None:
        return obj.assessment.public_id if obj.assessment else None

    @staticmethod
    def resolve_suggested_offers(obj: ApaProject) -> list[dict[str, object]]:
        return [
            {
                "id": row.offer.public_id,
                "title": row.offer.title,
                "provider_name": row.offer.provider_name,
                "phone": row.offer.phone,
                "distance_km": row.distance_km,
            }
            for row in suggested_offers(obj)
        ]
