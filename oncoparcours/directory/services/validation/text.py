"""Free text as people type or paste it, shared by every field group."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from oncoparcours.core.errors import Errors

TEXT_MAX = 4000


def one_line(data: Mapping[str, Any], name: str) -> str:
    """One line of text: whitespace runs (a pasted line break, a tab) become one space."""
    value = data.get(name)
    return "" if value is None else " ".join(str(value).split())


def long_text(errors: Errors, data: Mapping[str, Any], name: str) -> str:
    value = str(data.get(name) or "").strip()
    if len(value) > TEXT_MAX:
        errors.new(
            name,
            _("Ce texte ne peut pas dépasser %(max)s caractères."),
            f"directory.{name}.too_long",
            max=TEXT_MAX,
        )
    return value
