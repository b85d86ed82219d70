"""/api/v1/directory: the public search and offers, the editors' writes, proposals, CSV.

Search and offer reads are public (``auth=None``): the directory is published for patients
and professionals alike. Everything else takes the acting membership and checks
``directory.permissions``. Every rule is the services'; this package maps JSON to them.
"""

# isort: off
# Importing a module registers its operations on ``router``, and ninja keeps that order in
# the OpenAPI schema and the URL patterns: the modules go in reading order (public search
# first, then the editors' writes, proposals, CSV), not alphabetically.
from oncoparcours.directory.api.base import router
from oncoparcours.directory.api import public, editors, proposals, imports

# isort: on

__all__ = ["editors", "imports", "proposals", "public", "router"]
