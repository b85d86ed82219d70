"""One error shape for the API: {"errors": [{"code", "message", "field"}]} with French messages."""

import logging
from typing import Any

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
