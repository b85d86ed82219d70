"""The GET form of the indicators page: scope, period, filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from oncoparcours.evaluation.indicators.filters import (
    CANCER_GROUP_LABELS,
    SCOPE_LABELS,
    Filters,
    Period,
)
from oncoparcours.pathways.models import AGE_GROUP_CHOICES

FIRST_YEAR = 2021  # the PSGAC exists since the décret of 22 December 2020


class IndicatorFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Périmètre"),
        choices=[("", "—"), *[(level.value, label) for level, label in SCOPE_LABELS.items()]],
        required=False,
        widget=forms.HiddenInput,
    )
    id = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    year = forms.IntegerField(label=_("Année"), required=False, min_value=FIRST_YEAR)
    quarter = forms.TypedChoiceField(
        label=_("Trimestre"),
        choices=[("", _("Toute l'année")), *[(str(q), f"T{q}") for q in range(1, 5)]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    age_group = forms.ChoiceField(
        label=_("Tranche d'âge"), choices=[("", _("Toutes")), *AGE_GROUP_CHOICES], required=False
    )
    cancer_site = forms.ChoiceField(
        label=_("Localisation du cancer"),
        choices=[("", _("Toutes")), *CANCER_GROUP_LABELS.items()],
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for name in ("quarter", "age_group", "cancer_site"):
            self.fields[name].widget.attrs["class"] = "fr-select"
        self.fields["year"].widget.attrs["class"] = "fr-input"

    def clean_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("year")
        if year is not None and year > timezone.localdate().year + 1:
            raise forms.ValidationError(
                _("Choisissez une année passée ou en cours."), code="evaluation.year_future"
            )
        return year

    def period(self) -> Period:
        year = self.cleaned_data.get("year") or timezone.localdate().year
        return Period(year, self.cleaned_data.get("quarter"))

    def filters(self) -> Filters:
        return Filters(
            age_group=self.cleaned_data.get("age_group") or "",
            cancer_group=self.cleaned_data.get("cancer_site") or "",
        )


class DashboardFilterForm(IndicatorFilterForm):
    """The dashboard's filters (issue 6 §3): the indicators' period and patient filters, plus a
    department and a structure chosen in lists instead of the drill-down's scope/id pair.
    Neither is validated against its list here: ``access_indicator_scope`` decides, so that a
    forced value answers 403/404 exactly as on the indicators page."""

    scope = None  # type: ignore[assignment]
    id = None  # type: ignore[assignment]
    department = forms.CharField(
        label=_("Département"), required=False, max_length=3, widget=forms.Select
    )
    structure = forms.CharField(
        label=_("Structure porteuse"), required=False, max_length=40, widget=forms.Select
    )

    def __init__(
        self,
        *args: object,
        departments: list[tuple[str, str]] | None = None,
        structures: list[tuple[str, str]] | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Toute la région"))]
        self.fields["department"].widget.choices = everything + (departments or [])
        self.fields["structure"].widget.choices = [("", _("Toutes"))] + (structures or [])
        for name in ("department", "structure"):
            # A select has no maxlength (the CharField's limit still applies on the server).
            self.fields[name].widget.attrs.pop("maxlength", None)
            self.fields[name].widget.attrs["class"] = "fr-select"

    def scope_request(self) -> tuple[str, str]:
        """The (level, id) to ask ``access_indicator_scope`` for: the structure when one is
        chosen, else the department, else the default scope of the actor."""
        structure = self.cleaned_data.get("structure") or ""
        department = self.cleaned_data.get("department") or ""
        if structure:
            return "structure", structure
        if department:
            return "department", department
        return "", ""
