"""Reads of the geography and of intervention territories, with their joins done once."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from oncoparcours.accounts.models import Membership
from oncoparcours.accounts.permissions import has_role, is_regional
from oncoparcours.accounts.roles import RoleCode
from oncoparcours.territories.codes import CodeEntry, CodeKind
from oncoparcours.territories.models import (
    Commune,
    CommunePostalCode,
    Department,
    Epci,
    InterventionTerritory,
)
from oncoparcours.territories.normalise import normalise_name

_FIVE_DIGITS = re.compile(r"\d{5}")
_POSTAL_PREFIX = re.compile(r"\d{2,5}")
_INSEE_CODE = re.compile(r"(\d{2}|2[AB])\d{3}")

MAX_SEARCH_LIMIT = 100


def _communes() -> QuerySet[Commune]:
    return Commune.objects.select_related("department", "epci").prefetch_related(
        Prefetch("postal_codes", queryset=CommunePostalCode.objects.order_by("postal_code"))
    )


def commune_for_postal_code(postal_code: str, insee_code: str | None = None) -> Commune:
    """The commune an address with this postal code is in.

    Several communes often share one postal code: without ``insee_code`` the postal code must
    designate exactly one commune, otherwise the caller has to ask which one.
    """
    code = "".join((postal_code or "").split())
    if not _FIVE_DIGITS.fullmatch(code):
        raise ValidationError(
            _("Le code postal doit comporter 5 chiffres (ex. 69003)."),
            code="identifier.postal_code.format",
        )
    candidates = list(
        Commune.objects.filter(postal_codes__postal_code=code)
        .select_related("department", "epci")
        .order_by("-population", "name")
    )
    if not candidates:
        raise ValidationError(
            _(
                "Le code postal %(postal_code)s ne correspond à aucune commune d'Auvergne-Rhône-Alpes."
            ),
            code="identifier.postal_code.unknown",
            params={"postal_code": code},
        )
    if insee_code is not None:
        wanted = insee_code.strip().upper()
        for commune in candidates:
            if commune.insee_code == wanted:
                return commune
        raise ValidationError(
            _(
                "Le code postal %(postal_code)s n'est pas celui de la commune choisie "
                "(code INSEE %(insee_code)s) ; communes de ce code postal : %(communes)s."
            ),
            code="identifier.postal_code.mismatch",
            params={
                "postal_code": code,
                "insee_code": wanted,
                "communes": ", ".join(c.name for c in candidates),
            },
        )
    if len(candidates) > 1:
        raise ValidationError(
            _(
                "Le code postal %(postal_code)s correspond à plusieurs communes (%(communes)s) : "
                "précisez la commune."
            ),
            code="identifier.postal_code.ambiguous",
            params={"postal_code": code, "communes": ", ".join(c.name for c in candidates)},
        )
    return candidates[0]


def commune_search(query: str, limit: int = 20) -> list[Commune]:
    """Communes matching a name, a postal code (or its first digits) or an INSEE code.

    Two queries whatever the number of results: communes with department and EPCI, then
    their postal codes.
    """
    text = (query or "").strip()
    limit = max(1, min(limit, MAX_SEARCH_LIMIT))
    compact = "".join(text.split()).upper()
    communes = _communes()
    if _POSTAL_PREFIX.fullmatch(compact):
        postal = CommunePostalCode.objects.filter(commune=OuterRef("pk"))
        if len(compact) == 5:
            matches = Q(insee_code=compact) | Q(Exists(postal.filter(postal_code=compact)))
        else:
            matches = Q(Exists(postal.filter(postal_code__startswith=compact)))
        return list(communes.filter(matches).order_by("-population", "name")[:limit])
    if _INSEE_CODE.fullmatch(compact):
        return list(communes.filter(insee_code=compact)[:limit])
    key = normalise_name(text)
    if not key:
        return []
    ranked = communes.filter(search_name__contains=key).annotate(
        rank=Case(
            When(search_name__startswith=key, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    )
    return list(ranked.order_by("rank", "-population", "name")[:limit])


def commune_get(insee_code: str) -> Commune | None:
    return _communes().filter(insee_code=insee_code.strip().upper()).first()


def department_list() -> QuerySet[Department]:
    return Department.objects.order_by("code")


def epci_list(department_code: str | None = None) -> QuerySet[Epci]:
    epcis = Epci.objects.order_by("name")
    if department_code:
        in_department = Commune.objects.filter(epci=OuterRef("pk"), department_id=department_code)
        epcis = epcis.filter(Exists(in_department))
    return epcis


@dataclass(frozen=True)
class CodeResolution:
    """Commune codes typed in a form, turned into INSEE codes."""

    insee_codes: list[str]
    # Codes that match nothing: kept so that the service reports them all in one message.
    unknown: list[str]
    # 5-digit codes that are both an INSEE code and another commune's postal code.
    ambiguous: list[str]


def commune_codes_resolve(entries: Iterable[CodeEntry]) -> CodeResolution:
    """Expands postal codes into their communes (two queries whatever the number of codes)."""
    entries = list(entries)
    values = {entry.value for entry in entries}
    known_insee = set(
        Commune.objects.filter(insee_code__in=values).values_list("insee_code", flat=True)
    )
    by_postal: dict[str, list[str]] = {}
    for postal_code, insee in CommunePostalCode.objects.filter(postal_code__in=values).values_list(
        "postal_code", "commune_id"
    ):
        by_postal.setdefault(postal_code, []).append(insee)
    insee_codes: list[str] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for entry in entries:
        as_insee = [entry.value] if entry.value in known_insee else []
        as_postal = sorted(by_postal.get(entry.value, []))
        if entry.kind == CodeKind.INSEE:
            found = as_insee
        elif entry.kind == CodeKind.POSTAL:
            found = as_postal
        elif as_insee and as_postal and as_postal != as_insee:
            ambiguous.append(entry.value)
            continue
        else:
            found = as_insee or as_postal
        if not found:
            unknown.append(entry.value)
            continue
        insee_codes.extend(found)
    return CodeResolution(
        insee_codes=list(dict.fromkeys(insee_codes)),
        unknown=list(dict.fromkeys(unknown)),
        ambiguous=list(dict.fromkeys(ambiguous)),
    )


# Territories


def _may_list_territories(actor: Membership | None) -> bool:
    return is_regional(actor) or has_role(actor, RoleCode.COORDINATOR)


def _with_totals(
    territories: QuerySet[InterventionTerritory], *, with_commune_codes: bool
) -> QuerySet[InterventionTerritory]:
    territories = territories.select_related("structure").annotate(
        commune_count=Count("communes"),
        population=Coalesce(Sum("communes__population"), 0),
    )
    if with_commune_codes:
        territories = territories.prefetch_related(
            Prefetch("communes", queryset=Commune.objects.only("insee_code").order_by("insee_code"))
        )
    return territories


def territory_list_for(
    actor: Membership | None,
    *,
    structure_public_id: UUID | None = None,
    with_commune_codes: bool = False,
) -> QuerySet[InterventionTerritory]:
    """Active territories the actor may see (optionally of one structure), with commune count
    and population covered.

    One query (two with the commune codes), whatever the number of territories.
    """
    territories = InterventionTerritory.objects.filter(archived_at__isnull=True)
    if actor is None or not _may_list_territories(actor):
        return territories.none()
    if not is_regional(actor):
        territories = territories.filter(structure_id=actor.organisation_id)
    if structure_public_id is not None:
        territories = territories.filter(structure__public_id=structure_public_id)
    return _with_totals(territories, with_commune_codes=with_commune_codes).order_by(
        "structure__name", "name"
    )


def territory_with_totals(pk: int) -> InterventionTerritory:
    """One territory (archived or not) annotated like the list rows, commune codes loaded."""
    return _with_totals(InterventionTerritory.objects.filter(pk=pk), with_commune_codes=True).get()


@dataclass(frozen=True)
class TerritoryDetail:
    territory: InterventionTerritory
    communes: list[Commune]
    population: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "population", sum(c.population for c in self.communes))

    @property
    def commune_count(self) -> int:
        return len(self.communes)


def territory_detail(territory: InterventionTerritory) -> TerritoryDetail:
    communes = list(
        _communes().filter(territories=territory).order_by("department_id", "name", "insee_code")
    )
    return TerritoryDetail(territory=territory, communes=communes)


def territory_get(public_id: UUID | str) -> InterventionTerritory | None:
    try:
        return InterventionTerritory.objects.select_related("structure").get(public_id=public_id)
    except (InterventionTerritory.DoesNotExist, ValidationError, ValueError):
        return None


@dataclass(frozen=True)
class DepartmentCoverage:
    code: str
    name: str
    covered_communes: int
    covered_population: int
    uncovered_communes: int
    uncovered_population: int

    @property
    def communes(self) -> int:
        return self.covered_communes + self.uncovered_communes

    @property
    def population(self) -> int:
        return self.covered_population + self.uncovered_population


@dataclass(frozen=True)
class CoverageSummary:
    departments: list[DepartmentCoverage]

    @property
    def covered_communes(self) -> int:
        return sum(d.covered_communes for d in self.departments)

    @property
    def covered_population(self) -> int:
        return sum(d.covered_population for d in self.departments)

    @property
    def uncovered_communes(self) -> int:
        return sum(d.uncovered_communes for d in self.departments)

    @property
    def uncovered_population(self) -> int:
        return sum(d.uncovered_population for d in self.departments)


def coverage_summary() -> CoverageSummary:
    """Communes (and people) in at least one active territory of an active structure, or in none.

    One aggregate query, grouped by department.
    """
    membership = InterventionTerritory.communes.through.objects.filter(
        commune_id=OuterRef("pk"),
        interventionterritory__archived_at__isnull=True,
        interventionterritory__structure__archived_at__isnull=True,
    )
    covered = Q(Exists(membership))
    rows = (
        Commune.objects.order_by()
        .values("department_id", "department__name")
        .annotate(
            covered_communes=Count("pk", filter=covered),
            covered_population=Coalesce(Sum("population", filter=covered), 0),
            uncovered_communes=Count("pk", filter=~covered),
            uncovered_population=Coalesce(Sum("population", filter=~covered), 0),
        )
        .order_by("department_id")
    )
    return CoverageSummary(
        departments=[
            DepartmentCoverage(
                code=row["department_id"],
                name=row["department__name"],
                covered_communes=row["covered_communes"],
                covered_population=row["covered_population"],
                uncovered_communes=row["uncovered_communes"],
                uncovered_population=row["uncovered_population"],
            )
            for row in rows
        ]
    )


def commune_points(department_code: str) -> list[dict[str, object]]:
    """The located communes of one department, for the territory map: one query."""
    rows = (
        Commune.objects.filter(department_id=department_code, latitude__isnull=False)
        .order_by("name", "insee_code")
        .values_list("insee_code", "name", "latitude", "longitude")
    )
    return [{"code": code, "name": name, "lat": lat, "lon": lon} for code, name, lat, lon in rows]
