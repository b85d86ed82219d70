from typing import Any

from django import forms


class DsfrFormMixin:
    """Gives each widget the DSFR class it needs, and links errors for screen readers."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            if getattr(self, "errors", None) and name in self.errors:  # type: ignore[attr-defined]
                widget.attrs["aria-describedby"] = f"id_{name}-error"
                widget.attrs["aria-invalid"] = "true"
