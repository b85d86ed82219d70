from dataclasses import dataclass


@dataclass(frozen=True)
class RuleFailure:
    """One broken rule: ``code`` is stable (a rule ID such as "PSG-03"), ``message`` French.

    ``field`` names the input at fault, so a form or the API can attach the message to it.
    """

    code: str
    message: str
    field: str | None = None
