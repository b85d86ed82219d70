"""Physical-activity bilan, motivational part (domain.md §9.1): habitual activity with the
IPAQ short form (MET-minutes/week and category) and the stage of change."""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.assessments.instruments.base import (
    IMPLAUSIBLE_ANSWERS,
    Bounds,
    InstrumentError,
    InstrumentResult,
    choice_value,
    interpretation,
    whole_value,
)

# --- IPAQ short form ------------------------------------------------------------------------

IPAQ_SHORT = "ipaq_short"
IPAQ_SHORT_VERSION = "ipaq-sf-scoring-2005"
DAYS_PER_WEEK = Bounds(Decimal(0), Decimal(7), "jours")
MINUTES_PER_DAY = Bounds(Decimal(0), Decimal(1440), "min")

# Guidelines for Data Processing and Analysis of the International Physical Activity
# Questionnaire (IPAQ) - Short and Long Forms, revised November 2005 (www.ipaq.ki.se).
# §5.2 MET values of the short form:
IPAQ_MET_WALKING = Decimal("3.3")
IPAQ_MET_MODERATE = Decimal("4.0")
IPAQ_MET_VIGOROUS = Decimal("8.0")
# §7.2 a case whose walking + moderate + vigorous minutes per day exceed 16 h is excluded;
IPAQ_MAX_DAILY_TOTAL_MINUTES = 960
# §7.3 bouts under 10 minutes are recoded to zero (minutes and days);
IPAQ_MIN_BOUT_MINUTES = 10
# §7.4 each intensity's minutes per day are truncated to 3 hours.
IPAQ_TRUNCATE_MINUTES = 180
# §5.3 categorical score ("high" then "moderate", else "low"):
IPAQ_HIGH_VIGOROUS_DAYS = 3
IPAQ_HIGH_VIGOROUS_MET = 1500
IPAQ_HIGH_ANY_DAYS = 7
IPAQ_HIGH_ANY_MET = 3000
IPAQ_MODERATE_VIGOROUS_DAYS = 3
IPAQ_MODERATE_VIGOROUS_MINUTES = 20
IPAQ_MODERATE_DAYS = 5
IPAQ_MODERATE_MINUTES = 30
IPAQ_MODERATE_ANY_DAYS = 5
IPAQ_MODERATE_ANY_MET = 600

IPAQ_LOW = "low"
IPAQ_MODERATE = "moderate"
IPAQ_HIGH = "high"


@dataclass(frozen=True)
class _Activity:
    days: int
    minutes: int

    def cleaned(self) -> "_Activity":
        if self.days == 0 or self.minutes < IPAQ_MIN_BOUT_MINUTES:
            return _Activity(0, 0)
        return _Activity(self.days, min(self.minutes, IPAQ_TRUNCATE_MINUTES))


def ipaq_short(
    *,
    vigorous_days: int,
    vigorous_minutes: int,
    moderate_days: int,
    moderate_minutes: int,
    walking_days: int,
    walking_minutes: int,
    sitting_minutes: int | None = None,
) -> InstrumentResult:
    """Minutes are per day on the days the activity was done; sitting time is kept but not
    scored (the protocol reports it apart)."""
    raw = {
        "vigorous": _activity(vigorous_days, vigorous_minutes, "vigorous"),
        "moderate": _activity(moderate_days, moderate_minutes, "moderate"),
        "walking": _activity(walking_days, walking_minutes, "walking"),
    }
    sitting = (
        None
        if sitting_minutes is None
        else whole_value(
            sitting_minutes,
            field="sitting_minutes",
            label=_("Temps assis par jour"),
            bounds=MINUTES_PER_DAY,
        )
    )
    if sum(a.minutes for a in raw.values() if a.days) > IPAQ_MAX_DAILY_TOTAL_MINUTES:
        raise InstrumentError(
            IMPLAUSIBLE_ANSWERS,
            _(
                "Plus de 16 heures d'activité par jour au total : réponses non exploitables "
                "selon les règles IPAQ, à revoir avec la personne."
            ),
            field="walking_minutes",
        )
    vig, mod, walk = (a.cleaned() for a in raw.values())
    met_vig = IPAQ_MET_VIGOROUS * vig.minutes * vig.days
    met_mod = IPAQ_MET_MODERATE * mod.minutes * mod.days
    met_walk = IPAQ_MET_WALKING * walk.minutes * walk.days
    total = met_vig + met_mod + met_walk
    any_days = vig.days + mod.days + walk.days
    # Criterion "5 or more days of moderate activity and/or walking of at least 30 minutes
    # per day": a day counts for each intensity that reached 30 minutes on it.
    long_days = (mod.days if mod.minutes >= IPAQ_MODERATE_MINUTES else 0) + (
        walk.days if walk.minutes >= IPAQ_MODERATE_MINUTES else 0
    )
    if (vig.days >= IPAQ_HIGH_VIGOROUS_DAYS and total >= IPAQ_HIGH_VIGOROUS_MET) or (
        any_days >= IPAQ_HIGH_ANY_DAYS and total >= IPAQ_HIGH_ANY_MET
    ):
        meaning = interpretation(IPAQ_HIGH, gettext_lazy("Activité physique élevée"))
    elif (
        (vig.days >= IPAQ_MODERATE_VIGOROUS_DAYS and vig.minutes >= IPAQ_MODERATE_VIGOROUS_MINUTES)
        or long_days >= IPAQ_MODERATE_DAYS
        or (any_days >= IPAQ_MODERATE_ANY_DAYS and total >= IPAQ_MODERATE_ANY_MET)
    ):
        meaning = interpretation(IPAQ_MODERATE, gettext_lazy("Activité physique modérée"))
    else:
        meaning = interpretation(IPAQ_LOW, gettext_lazy("Activité physique faible"))
    answers: dict[str, int | None] = {}
    for name, activity in raw.items():
        answers[f"{name}_days"] = activity.days
        answers[f"{name}_minutes"] = activity.minutes
    answers["sitting_minutes"] = sitting
    return InstrumentResult(
        IPAQ_SHORT,
        IPAQ_SHORT_VERSION,
        answers,
        total,
        {"vigorous_met": met_vig, "moderate_met": met_mod, "walking_met": met_walk},
        meaning,
    )


def _activity(days: int, minutes: int, name: str) -> _Activity:
    return _Activity(
        whole_value(days, field=f"{name}_days", label=_("Jours par semaine"), bounds=DAYS_PER_WEEK),
        whole_value(
            minutes, field=f"{name}_minutes", label=_("Minutes par jour"), bounds=MINUTES_PER_DAY
        ),
    )


# --- Stage of change ------------------------------------------------------------------------

STAGE_OF_CHANGE = "stage_of_change"
# Prochaska JO, DiClemente CC. Stages and processes of self-change of smoking: toward an
# integrative model of change. J Consult Clin Psychol 1983;51:390-5 (transtheoretical model),
# applied to physical activity by Marcus et al. 1992.
STAGE_OF_CHANGE_VERSION = "prochaska-diclemente-5-stages"


class StageOfChange(StrEnum):
    PRECONTEMPLATION = "precontemplation"
    CONTEMPLATION = "contemplation"
    PREPARATION = "preparation"
    ACTION = "action"
    MAINTENANCE = "maintenance"


STAGE_LABELS = {
    StageOfChange.PRECONTEMPLATION: gettext_lazy("Précontemplation (pas d'intention de changer)"),
    StageOfChange.CONTEMPLATION: gettext_lazy("Contemplation (intention dans les 6 mois)"),
    StageOfChange.PREPARATION: gettext_lazy("Préparation (intention dans le mois)"),
    StageOfChange.ACTION: gettext_lazy("Action (pratique depuis moins de 6 mois)"),
    StageOfChange.MAINTENANCE: gettext_lazy("Maintien (pratique depuis 6 mois ou plus)"),
}
STAGE_CHOICES = [(s.value, STAGE_LABELS[s]) for s in StageOfChange]


def stage_of_change(*, stage: str) -> InstrumentResult:
    """A vocabulary, not a score: stored like the others so re-measures can be compared."""
    chosen = choice_value(stage, StageOfChange, field="stage", label=_("Stade de changement"))
    return InstrumentResult(
        STAGE_OF_CHANGE,
        STAGE_OF_CHANGE_VERSION,
        {"stage": chosen.value},
        None,
        {},
        interpretation(chosen.value, STAGE_LABELS[chosen]),
    )
