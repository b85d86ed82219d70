"""Reads of the regulatory parameters. Nothing is cached: each call reads the table, so an
administrator's new version applies from the next request on."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from oncoparcours.regulation.catalogue import PARAMETERS, ParameterSpec
from oncoparcours.regulation.models import RegulatoryParameter
from oncoparcours.regulation.parameters import ParameterNotInForce, PsgacParameters


def _in_force(on: date) -> Q:
    return Q(effective_from__lte=on) & (Q(effective_to__isnull=True) | Q(effective_to__gte=on))


def psgac_parameters_at(on: date) -> PsgacParameters:
    """Every parameter in force on ``on``, in one query.

    Raises ``ParameterNotInForce`` naming the keys without a version that day (e.g. a date
    before the arrêté of 24 December 2020): the rules must never run on a guessed number.
    """
    rows = RegulatoryParameter.objects.filter(_in_force(on)).values_list("key", "value")
    values: dict[str, object] = {}
    for key, value in rows:
        spec = PARAMETERS.get(key)
        if spec is not None:
            values[spec.field] = spec.typed(value)
    missing = [spec.key for spec in PARAMETERS.values() if spec.field not in values]
    if missing:
        raise ParameterNotInForce(on, missing)
    return PsgacParameters(**values)  # type: ignore[arg-type]


def parameter_versions_at(on: date) -> dict[str, RegulatoryParameter]:
    """The version of each key in force on ``on`` (keys without one are absent), one query."""
    versions = RegulatoryParameter.objects.filter(_in_force(on)).select_related("created_by")
    return {version.key: version for version in versions}


def parameter_version_list(key: str) -> QuerySet[RegulatoryParameter]:
    """Every version of one parameter, the latest first."""
    return (
        RegulatoryParameter.objects.filter(key=key)
        .select_related("created_by")
        .order_by("-effective_from")
    )


def parameter_latest_version(key: str) -> RegulatoryParameter | None:
    """The version that starts last (the open one, unless a key was retired by hand)."""
    return RegulatoryParameter.objects.filter(key=key).order_by("-effective_from").first()


@dataclass(frozen=True)
class ParameterOverview:
    spec: ParameterSpec
    current: RegulatoryParameter | None
    # Latest first, the current version and any scheduled one included.
    versions: list[RegulatoryParameter]

    @property
    def scheduled(self) -> list[RegulatoryParameter]:
        """Versions that start later than the current one (already decided, not yet in force)."""
        if self.current is None:
            return self.versions
        return [v for v in self.versions if v.effective_from > self.current.effective_from]


def parameter_overview(on: date) -> list[ParameterOverview]:
    """For the list page: each catalogue entry, its version in force and its history.

    One query whatever the number of versions (the table holds a few rows per key).
    """
    by_key: dict[str, list[RegulatoryParameter]] = defaultdict(list)
    for version in RegulatoryParameter.objects.select_related("created_by").order_by(
        "key", "-effective_from"
    ):
        by_key[version.key].append(version)
    overview = []
    for spec in PARAMETERS.values():
        versions = by_key.get(spec.key, [])
        current = next((v for v in versions if v.in_force_on(on)), None)
        overview.append(ParameterOverview(spec=spec, current=current, versions=versions))
    return overview
