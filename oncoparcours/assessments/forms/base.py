"""What every assessment form shares: the patient's age and sex (prefilled), one group of
optional fields per measure, the observations and the summary, and the translation of the
form into the service's ``data`` (and of the service's refusals back onto the fields).

A field is named ``<measure>__<input>`` (``six_minute_walk__distance_m``); handgrip trials are
``handgrip__right_kg_1`` … ``_3``. A measure is sent to the service when any of its fields is
filled; the service scores it with the instrument functions, whose bounds and French messages
are the only validation of values (one place for each rule).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.measures import (
    FORMS,
    MEASURES,
    SEX_CHOICES,
    Context,
)
from oncoparcours.assessments.models import Assessment
from oncoparcours.assessments.services.submit import MAX_OBSERVATION, MAX_SUMMARY
from oncoparcours.core.forms import DsfrFormMixin

# Trials per hand kept by the form (the instrument refuses more).
HANDGRIP_TRIALS = 3
LIST_FIELDS = {("handgrip", "right_kg"), ("handgrip", "left_kg")}


def decimal_field(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=7,
        decimal_places=2,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def whole_field(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, help_text=help_text)


def points_field(label: Any, choices: tuple[int, ...]) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *((str(c), str(c)) for c in choices)],
    )


@dataclass(frozen=True)
class Group:
    code: str
    legend: str
    fields: list[forms.BoundField]


class AssessmentForm(DsfrFormMixin, forms.Form):
    """Subclasses give ``kind`` and ``measure_fields`` (measure code -> its form fields, by
    input name) for the measures of ``FORMS[kind]``."""

    kind: str
    measure_fields: dict[str, Callable[[], dict[str, forms.Field]]]
    summary_label: Any = _("Synthèse")

    age = forms.IntegerField(
        label=_("Âge le jour du rendez-vous"),
        required=False,
        help_text=_("Calculé d'après la date de naissance ; modifiable."),
    )
    sex = forms.ChoiceField(
        label=_("Sexe (pour les valeurs de référence)"),
        required=False,
        choices=[("", "—"), *SEX_CHOICES],
    )

    def __init__(
        self,
        data: Any = None,
        *,
        context: Context,
        previous: Assessment | None = None,
        **kwargs: Any,
    ) -> None:
        initial = {"age": context.age, "sex": context.sex or ""}
        if previous is not None:
            initial.update(initial_from(previous))
        kwargs.setdefault("initial", initial)
        super().__init__(data, **kwargs)
        spec = FORMS[self.kind]
        for code in spec.measures:
            for name, field in self.measure_fields[code]().items():
                self.fields[f"{code}__{name}"] = field
        for name, label in spec.observations:
            self.fields[name] = forms.CharField(
                label=label, required=False, max_length=MAX_OBSERVATION, widget=forms.Textarea
            )
        self.fields["summary"] = forms.CharField(
            label=self.summary_label,
            required=False,
            max_length=MAX_SUMMARY,
            widget=forms.Textarea(attrs={"rows": 6}),
        )
        # DsfrFormMixin ran before the fields above existed.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(
                widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple
            ):
                continue
            css = "fr-select" if isinstance(widget, forms.Select) else "fr-input"
            if css not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    # --- Rendering ---------------------------------------------------------------------------

    def groups(self) -> list[Group]:
        spec = FORMS[self.kind]
        found = []
        for code in spec.measures:
            prefix = f"{code}__"
            fields = [self[name] for name in self.fields if name.startswith(prefix)]
            found.append(Group(code, str(MEASURES[code].label), fields))
        return found

    def shared_fields(self) -> list[forms.BoundField]:
        return [self["age"], self["sex"]]

    def text_fields(self) -> list[forms.BoundField]:
        names = [name for name, _label in FORMS[self.kind].observations]
        return [self[name] for name in (*names, "summary")]

    # --- To the service and back --------------------------------------------------------------

    def to_data(self) -> dict[str, Any]:
        cd = self.cleaned_data
        measures: dict[str, dict[str, Any]] = {}
        for code in FORMS[self.kind].measures:
            inputs: dict[str, Any] = {}
            for name in MEASURES[code].fields:
                if (code, name) in LIST_FIELDS:
                    trials = [cd.get(f"{code}__{name}_{i}") for i in range(1, HANDGRIP_TRIALS + 1)]
                    inputs[name] = [t for t in trials if t is not None]
                elif f"{code}__{name}" in cd:
                    inputs[name] = cd[f"{code}__{name}"]
            if any(_filled(value) for value in inputs.values()):
                measures[code] = {k: v for k, v in inputs.items() if _filled(v) or v is False}
        return {
            "age": cd.get("age"),
            "sex": cd.get("sex") or None,
            "measures": measures,
            "observations": {
                name: cd.get(name, "") for name, _label in FORMS[self.kind].observations
            },
            "summary": cd.get("summary", ""),
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc)
            return
        for field, errors in exc.error_dict.items():
            self.add_error(self._form_field(field), errors)

    def _form_field(self, service_field: str) -> str | None:
        if service_field == NON_FIELD_ERRORS:
            return None
        if service_field in self.fields:
            return service_field
        code, _dot, name = service_field.partition(".")
        if code == "observations" and name in self.fields:
            return name
        for candidate in (f"{code}__{name}", f"{code}__{name}_1"):
            if candidate in self.fields:
                return candidate
        return None


def _filled(value: object) -> bool:
    if value is None or value == "" or value is False:
        return False
    return not (isinstance(value, list | tuple) and not value)


def initial_from(assessment: Assessment) -> dict[str, Any]:
    """The stored answers back into form fields, to correct a submission."""
    spec = FORMS.get(assessment.kind)
    if spec is None:
        return {}
    initial: dict[str, Any] = dict(assessment.observations)
    initial["summary"] = assessment.summary
    for record in assessment.results.all():
        for code in spec.measures:
            measure = MEASURES[code]
            if record.instrument not in measure.instruments:
                continue
            for name, value in record.answers.items():
                if name in ("age", "sex"):
                    initial.setdefault(name, value)
                elif (code, name) in LIST_FIELDS:
                    for i, trial in enumerate(value or [], start=1):
                        initial[f"{code}__{name}_{i}"] = trial
                elif name in measure.fields and value is not None:
                    initial.setdefault(f"{code}__{name}", value)
    return initial
