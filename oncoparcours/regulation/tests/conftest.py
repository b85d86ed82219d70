from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def june_2026(time_machine):
    """Every test of this app runs on 1 June 2026, noon in Paris."""
    time_machine.move_to(datetime(2026, 6, 1, 12, 0, tzinfo=PARIS), tick=False)
