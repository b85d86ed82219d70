"""The APA project's form: parsing only; the rules (ranges, at least one activity…) are
``services.apa_project_write``'s, shown next to each field."""

from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from oncoparcours.assessments.apa_project.documents import distance_label
from oncoparcours.assessments.apa_project.selectors import OfferChoice
from oncoparcours.assessments.models import ActivityType, ApaProject, Assessment, Intensity
from oncoparcours.core.forms import DsfrFormMixin


class ApaProjectForm(DsfrFormMixin, forms.Form):
    assessment = forms.ChoiceField(label=_("Bilan d'activité physique"), required=False)
    goals = forms.CharField(
        label=_("Objectifs"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("En mots simples : le projet est remis au patient."),
    )
    activity_types = forms.MultipleChoiceField(
        label=_("Types d'activité"),
        choices=ActivityType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    sessions_per_week = forms.IntegerField(label=_("Séances par semaine"), help_text="1 à 7")
    intensity = forms.ChoiceField(label=_("Intensité"), choices=Intensity.choices)
    session_minutes = forms.IntegerField(
        label=_("Durée d'une séance (minutes)"), help_text="10 à 180"
    )
    precautions = forms.CharField(
        label=_("Précautions"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    suggested_offers = forms.MultipleChoiceField(
        label=_("Offres d'activité physique adaptée proposées"),
        help_text=_("Les offres du répertoire à moins de 30 km du domicile, les plus proches."),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_suggestions = forms.CharField(
        label=_("Autres lieux ou activités proposés"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        assessments: Sequence[Assessment],
        offers: Sequence[OfferChoice],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.assessments = {str(a.public_id): a for a in assessments}
        cast(forms.ChoiceField, self.fields["assessment"]).choices = [("", "—")] + [
            (key, f"{a.performed_on:%d/%m/%Y} — {a.submitted_by.user.get_full_name()}")
            for key, a in self.assessments.items()
        ]
        self.offers = {str(c.offer.public_id): c.offer for c in offers}
        cast(forms.ChoiceField, self.fields["suggested_offers"]).choices = [
            (
                str(c.offer.public_id),
                f"{c.offer.title} — {c.offer.provider_name}, {c.offer.commune.name} "
                f"({distance_label(c.distance_km)})",
            )
            for c in offers
        ]
        if not offers:
            self.fields["suggested_offers"].help_text = _(
                "Aucune offre du répertoire à moins de 30 km : indiquez d'autres lieux ci-dessous."
            )

    @staticmethod
    def initial_from(project: ApaProject | None, assessment: Assessment | None) -> dict[str, Any]:
        initial: dict[str, Any] = {"assessment": str(assessment.public_id) if assessment else ""}
        if project is not None:
            initial.update(
                goals=project.goals,
                activity_types=list(project.activity_types),
                sessions_per_week=project.sessions_per_week,
                intensity=project.intensity,
                session_minutes=project.session_minutes,
                precautions=project.precautions,
                suggested_offers=[str(o.public_id) for o in project.suggested_offers.all()],
                other_suggestions=project.other_suggestions,
            )
            if project.assessment is not None:
                initial["assessment"] = str(project.assessment.public_id)
        return initial

    def chosen_assessment(self) -> Assessment | None:
        return self.assessments.get(self.cleaned_data.get("assessment") or "")

    def chosen_offers(self) -> list[Any]:
        return [self.offers[key] for key in self.cleaned_data.get("suggested_offers", [])]
