"""What an indicator set is computed for: a scope, a period, optional filters. Pure values.

Periods are calendar years or quarters of local (Europe/Paris) days; each indicator says which
date of a record places it in a period (``definitions``).
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise


class ScopeLevel(StrEnum):
    REGION = "region"
    DEPARTMENT = "department"
    TERRITORY = "territory"
    STRUCTURE = "structure"


SCOPE_LABELS: dict[ScopeLevel, "StrPromise"] = {
    ScopeLevel.REGION: _("Région"),
    ScopeLevel.DEPARTMENT: _("Département"),
    ScopeLevel.TERRITORY: _("Territoire d'intervention"),
    ScopeLevel.STRUCTURE: _("Structure porteuse"),
}


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError("quarter must be 1..4")

    @property
    def start(self) -> date:
        month = 1 if self.quarter is None else 3 * (self.quarter - 1) + 1
        return date(self.year, month, 1)

    @property
    def end_exclusive(self) -> date:
        """The first day after the period (bounds are [start, end_exclusive))."""
        if self.quarter is None or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, 3 * self.quarter + 1, 1)

    @property
    def label(self) -> str:
        return str(self.year) if self.quarter is None else f"T{self.quarter} {self.year}"


@dataclass(frozen=True)
class CancerGroup:
    code: str
    label: "StrPromise"
    # ICD-10 three-character categories (the first three characters of ``Patient.cancer_site``).
    categories: tuple[str, ...]


# The grouping of I-5 and of the cancer-site filter. "other" is every other code, "unknown" an
# empty site. Categories from ICD-10 chapter II (malignant neoplasms).
CANCER_GROUPS: tuple[CancerGroup, ...] = (
    CancerGroup("breast", _("Sein (C50)"), ("C50",)),
    CancerGroup("colorectal", _("Côlon-rectum (C18-C21)"), ("C18", "C19", "C20", "C21")),
    CancerGroup("prostate", _("Prostate (C61)"), ("C61",)),
    CancerGroup("lung", _("Poumon (C33-C34)"), ("C33", "C34")),
)
OTHER_CANCER = "other"
UNKNOWN_CANCER = "unknown"
CANCER_GROUP_LABELS: dict[str, "StrPromise"] = {
    **{group.code: group.label for group in CANCER_GROUPS},
    OTHER_CANCER: _("Autres localisations"),
    UNKNOWN_CANCER: _("Localisation non renseignée"),
}


def cancer_group_of(site: str) -> str:
    """The group of one ICD-10 code (the SQL of the selectors applies the same table)."""
    if not site:
        return UNKNOWN_CANCER
    category = site[:3].upper()
    for group in CANCER_GROUPS:
        if category in group.categories:
            return group.code
    return OTHER_CANCER


@dataclass(frozen=True)
class Filters:
    """Optional filters on the patient (they apply to indicators counting pathways)."""

    age_group: str = ""
    cancer_group: str = ""

    @property
    def any(self) -> bool:
        return bool(self.age_group or self.cancer_group)
