"""The five PSGAC prestations (PSG-04) and who may perform each (PSG-12, PSG-13).

Profession codes are the values of ``accounts.models.Profession``, copied here so that the
rules stay free of models; a test checks that they still exist there.
"""

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oncoparcours.pathways.rules.failures import RuleFailure

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class PrestationKind(StrEnum):
    ASSESSMENT = "assessment"
    FOLLOWUP = "followup"


APA_ASSESSMENT = "apa_assessment"
DIET_ASSESSMENT = "diet_assessment"
PSY_ASSESSMENT = "psy_assessment"
DIET_FOLLOWUP = "diet_followup"
PSY_FOLLOWUP = "psy_followup"

# Adapted physical activity sessions are recorded as an orientation, never as a prestation:
# the forfait does not fund them (PSG-11).
APA_SESSION = "apa_session"

# PSG-13: D.1172-2 CSP 1° (physiotherapists, occupational and psychomotor therapists),
# 2° (APA degree holders) and 3° (qualified sport educators; full list still open, OQ-5).
APA_PROFESSIONS = frozenset(
    {
        "physiotherapist",
        "occupational_therapist",
        "psychomotor_therapist",
        "apa_teacher",
        "sport_educator",
    }
)
# PSG-12: dietitians (L.4371-1 CSP) and psychologists.
DIET_PROFESSIONS = frozenset({"dietitian"})
PSY_PROFESSIONS = frozenset({"psychologist"})


@dataclass(frozen=True)
class Prestation:
    code: str
    label: "StrPromise"
    kind: PrestationKind
    # The PsgacParameters field holding its duration in minutes.
    duration_key: str
    professions: frozenset[str]
    # The rule that says who may perform it: PSG-13 for APA, PSG-12 otherwise.
    performer_rule: str


PRESTATIONS: dict[str, Prestation] = {
    p.code: p
    for p in (
        Prestation(
            APA_ASSESSMENT,
            gettext_lazy("Bilan fonctionnel et motivationnel d'activité physique"),
            PrestationKind.ASSESSMENT,
            "assessment_minutes",
            APA_PROFESSIONS,
            "PSG-13",
        ),
        Prestation(
            DIET_ASSESSMENT,
            gettext_lazy("Bilan diététique"),
            PrestationKind.ASSESSMENT,
            "assessment_minutes",
            DIET_PROFESSIONS,
            "PSG-12",
        ),
        Prestation(
            PSY_ASSESSMENT,
            gettext_lazy("Bilan psychologique"),
            PrestationKind.ASSESSMENT,
            "assessment_minutes",
            PSY_PROFESSIONS,
            "PSG-12",
        ),
        Prestation(
            DIET_FOLLOWUP,
            gettext_lazy("Consultation de suivi diététique"),
            PrestationKind.FOLLOWUP,
            "followup_minutes",
            DIET_PROFESSIONS,
            "PSG-12",
        ),
        Prestation(
            PSY_FOLLOWUP,
            gettext_lazy("Consultation de suivi psychologique"),
            PrestationKind.FOLLOWUP,
            "followup_minutes",
            PSY_PROFESSIONS,
            "PSG-12",
        ),
    )
}

PRESTATION_CHOICES = [(p.code, p.label) for p in PRESTATIONS.values()]


def is_assessment(code: str) -> bool:
    prestation = PRESTATIONS.get(code)
    return prestation is not None and prestation.kind == PrestationKind.ASSESSMENT


def is_followup(code: str) -> bool:
    prestation = PRESTATIONS.get(code)
    return prestation is not None and prestation.kind == PrestationKind.FOLLOWUP


def check_performer(*, item: str, profession: str | None) -> list[RuleFailure]:
    """PSG-12/PSG-13: the professional's profession qualifies them for this prestation."""
    prestation = PRESTATIONS.get(item)
    if prestation is None:
        return [
            RuleFailure(
                "PSG-04",
                _("« %(item)s » n'est pas une prestation du parcours de soins global.")
                % {"item": item},
                "kind",
            )
        ]
    if profession in prestation.professions:
        return []
    return [
        RuleFailure(
            prestation.performer_rule,
            _("Ce professionnel n'est pas qualifié pour réaliser la prestation « %(label)s ».")
            % {"label": prestation.label},
            "professional",
        )
    ]


def unknown_items(items: Collection[str]) -> list[str]:
    return [item for item in items if item not in PRESTATIONS]
