"""Collecting validation errors by field, then refusing with all of them (and a log line)."""

from collections.abc import Callable
from typing import NoReturn

from django.core.exceptions import ValidationError

from oncoparcours.accounts.models import Membership
from oncoparcours.core.errors import error_items_from_validation, log_refusal


class Errors:
    """Collects errors by field, then raises them together (and logs the refusal)."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, error: ValidationError) -> None:
        """Files ``error`` under ``field``, whatever field names another module gave it."""
        if hasattr(error, "error_dict"):
            found = [e for errors in error.error_dict.values() for e in errors]
        else:
            found = error.error_list
        self.by_field.setdefault(field, []).extend(found)

    def new(self, field: str, message: str, code: str, **params: object) -> None:
        self.add(field, ValidationError(message, code=code, params=params or None))

    def clean(self, field: str, clean: Callable[[str], str], value: str) -> str | None:
        """Runs an identifier's ``clean_*``; None when it failed (the error is kept)."""
        try:
            return clean(value)
        except ValidationError as exc:
            self.add(field, exc)
            return None

    def raise_if_any(self, *, where: str, by: Membership) -> None:
        if self.by_field:
            refuse(ValidationError(self.by_field), where=where, by=by)


def refuse(exc: ValidationError, *, where: str, by: Membership) -> NoReturn:
    log_refusal(where=where, actor=by, codes=[i["code"] for i in error_items_from_validation(exc)])
    raise exc
