"""Writing the APA project (issue 4 §3): validated, then saved as the pathway's current project;
a revision supersedes the previous one, which stays (``superseded_at``)."""

from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.assessments.apa_project.permissions import can_write_apa_project
from oncoparcours.assessments.models import ActivityType, ApaProject, Assessment, Intensity
from oncoparcours.core.errors import Errors
from oncoparcours.directory.catalogue import CareType
from oncoparcours.directory.models import Offer
from oncoparcours.pathways.models import Pathway
from oncoparcours.pathways.rules.prestations import APA_ASSESSMENT
from oncoparcours.pathways.services._events import lock, record_event
from oncoparcours.pathways.states import EventKind

SESSIONS_PER_WEEK = (1, 7)
SESSION_MINUTES = (10, 180)
GOALS_MAX = 4000
TEXT_MAX = 4000


def _check_numbers(
    errors: Errors, sessions_per_week: int | None, session_minutes: int | None
) -> None:
    low, high = SESSIONS_PER_WEEK
    if sessions_per_week is None or not low <= sessions_per_week <= high:
        errors.new(
            "sessions_per_week",
            _("Indiquez entre %(min)d et %(max)d séances par semaine."),
            "apa_project.sessions_per_week.out_of_range",
            min=low,
            max=high,
        )
    low, high = SESSION_MINUTES
    if session_minutes is None or not low <= session_minutes <= high:
        errors.new(
            "session_minutes",
            _("La durée d'une séance doit être comprise entre %(min)d et %(max)d minutes."),
            "apa_project.session_minutes.out_of_range",
            min=low,
            max=high,
        )


def _check_assessment(errors: Errors, pathway: Pathway, assessment: Assessment | None) -> None:
    if assessment is None:
        return
    if assessment.pathway_id != pathway.pk or assessment.kind != APA_ASSESSMENT:
        errors.new(
            "assessment",
            _("Le projet s'appuie sur le bilan d'activité physique de ce parcours."),
            "apa_project.assessment.not_apa",
        )
    elif assessment.superseded_at is not None:
        errors.new(
            "assessment",
            _("Ce bilan a été remplacé par une nouvelle saisie : partez de la plus récente."),
            "apa_project.assessment.superseded",
        )


def _check_offers(errors: Errors, offers: Sequence[Offer]) -> None:
    wrong = [o for o in offers if o.care_type != CareType.APA or o.archived_at is not None]
    if wrong:
        errors.new(
            "suggested_offers",
            _(
                "Seules les offres d'activité physique adaptée en cours au répertoire sont proposées."
            ),
            "apa_project.offer.invalid",
        )


@transaction.atomic
def apa_project_write(
    *,
    by: Membership,
    pathway: Pathway,
    assessment: Assessment | None,
    goals: str,
    activity_types: Sequence[str],
    sessions_per_week: int | None,
    intensity: str,
    session_minutes: int | None,
    precautions: str = "",
    suggested_offers: Sequence[Offer] = (),
    other_suggestions: str = "",
) -> ApaProject:
    errors = Errors()
    if not can_write_apa_project(by, pathway, assessment):
        errors.new(
            NON_FIELD_ERRORS,
            _(
                "Le projet d'activité physique adaptée est rédigé par le professionnel qui a "
                "réalisé le bilan d'activité physique, ou par la coordination."
            ),
            "apa_project.not_allowed",
        )
    _check_assessment(errors, pathway, assessment)
    goals = goals.strip()
    if not goals:
        errors.new("goals", _("Indiquez les objectifs du projet."), "apa_project.goals.required")
    elif len(goals) > GOALS_MAX:
        errors.new(
            "goals",
            _("Ce champ ne peut pas dépasser %(max)d caractères."),
            "apa_project.goals.too_long",
            max=GOALS_MAX,
        )
    kinds = list(dict.fromkeys(activity_types))
    if not kinds:
        errors.new(
            "activity_types",
            _("Choisissez au moins un type d'activité."),
            "apa_project.activity_types.required",
        )
    elif any(k not in ActivityType.values for k in kinds):
        errors.new(
            "activity_types",
            _("Type d'activité inconnu."),
            "apa_project.activity_types.unknown",
        )
    _check_numbers(errors, sessions_per_week, session_minutes)
    if intensity not in Intensity.values:
        errors.new("intensity", _("Choisissez une intensité."), "apa_project.intensity.invalid")
    for name, text in (("precautions", precautions), ("other_suggestions", other_suggestions)):
        if len(text.strip()) > TEXT_MAX:
            errors.new(
                name,
                _("Ce champ ne peut pas dépasser %(max)d caractères."),
                f"apa_project.{name}.too_long",
                max=TEXT_MAX,
            )
    _check_offers(errors, suggested_offers)
    errors.raise_if_any(where="apa_project_write", by=by)
    assert sessions_per_week is not None
    assert session_minutes is not None

    # One current project per pathway: concurrent revisions queue on the pathway's row.
    lock(pathway)
    now = timezone.now()
    previous = list(
        ApaProject.objects.filter(pathway=pathway, superseded_at__isnull=True).values_list(
            "public_id", flat=True
        )
    )
    ApaProject.objects.filter(pathway=pathway, superseded_at__isnull=True).update(superseded_at=now)
    project = ApaProject.objects.create(
        pathway=pathway,
        assessment=assessment,
        goals=goals,
        activity_types=kinds,
        sessions_per_week=sessions_per_week,
        intensity=intensity,
        session_minutes=session_minutes,
        precautions=precautions.strip(),
        other_suggestions=other_suggestions.strip(),
        written_by=by,
    )
    project.suggested_offers.set(list(suggested_offers))
    record_event(
        pathway,
        EventKind.APA_PROJECT_WRITTEN,
        by=by,
        data={
            "apa_project": str(project.public_id),
            "supersedes": [str(p) for p in previous],
        },
    )
    return project
