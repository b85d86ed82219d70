from typing import Any

from oncoparcours.accounts.models import Membership, User
from oncoparcours.professionals.models import EventKind, ProfessionalEvent


def record_event(
    *, professional: User, kind: EventKind, by: Membership, **data: Any
) -> ProfessionalEvent:
    # Identifiers and codes only: the trail must not copy names or free text.
    return ProfessionalEvent.objects.create(professional=professional, kind=kind, by=by, data=data)
