import datetime
from decimal import Decimal

import pytest

from oncoparcours.professionals import services

PDF = b"%PDF-1.4\n% synthetic test diploma\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def psychologist(personas):
    """The treating team's psychologist, with a profession (PSG-12)."""
    user = personas.psychologist.user
    user.profession = "psychologist"
    user.save(update_fields=["profession"])
    return user


@pytest.fixture
def contract(personas, psychologist):
    return services.contract_create(
        by=personas.coordinator,
        structure=personas.structure,
        professional=psychologist,
        kind="contracted",
        start_date=datetime.date(2026, 1, 1),
        assessment_rate=Decimal("45.00"),
        followup_rate=Decimal("22.50"),
    )
