"""One error shape for the API: {"errors": [{"code", "message", "field"}]} with French messages."""

import logging
from collections.abc import Callable
from typing import Any, NoReturn

from django.core.exceptions import ValidationError

logger = logging.getLogger("oncoparcours.refusals")


def error_items_from_validation(exc: ValidationError) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                items.append(_item(error, None if field == "__all__" else field))
    else:
        for error in exc.error_list:
            items.append(_item(error, None))
    return items


def _item(error: ValidationError, field: str | None) -> dict[str, Any]:
    message = error.message % error.params if error.params else error.message
    return {"code": error.code or "invalid", "message": str(message), "field": field}


def log_refusal(*, where: str, actor: object, codes: list[str]) -> None:
    """Refusals are logged with their codes only: never identities or clinical content."""
    actor_id = getattr(actor, "public_id", None) or getattr(actor, "pk", None) or "-"
    logger.info("refused where=%s actor=%s codes=%s", where, actor_id, ",".join(codes))


class Errors:
    """Collects validation errors by field, then refuses with all of them (and a log line), so a
    form shows every problem at once and nothing is saved half-way."""

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

    def raise_if_any(self, *, where: str, by: object) -> None:
        if self.by_field:
            refuse(ValidationError(self.by_field), where=where, by=by)


def refuse(exc: ValidationError, *, where: str, by: object) -> NoReturn:
    log_refusal(where=where, actor=by, codes=[i["code"] for i in error_items_from_validation(exc)])
    raise exc
