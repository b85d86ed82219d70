"""Writes of the territories app, split by sub-domain: the reference geography and territories."""

from oncoparcours.territories.services.geography import (
    DEFAULT_DATA_DIR,
    GeographyLoadReport,
    UpsertCount,
    geography_load,
)
from oncoparcours.territories.services.territories import (
    territory_archive,
    territory_create,
    territory_update,
)

__all__ = [
    "DEFAULT_DATA_DIR",
    "GeographyLoadReport",
    "UpsertCount",
    "geography_load",
    "territory_archive",
    "territory_create",
    "territory_update",
]
