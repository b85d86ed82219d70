from typing import Any

from oncoparcours.accounts.models import Membership


def home_context(membership: Membership) -> dict[str, Any]:
    return {"membership": membership}
