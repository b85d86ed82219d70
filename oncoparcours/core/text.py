"""Accent- and case-insensitive name search that behaves the same on SQLite and PostgreSQL.

PostgreSQL's ``unaccent`` needs an extension (a superuser step in production) and SQLite's
``lower()`` folds ASCII only. So a column is folded by :class:`Folded`: on PostgreSQL with
``TRANSLATE`` (one call, the French accented letters mapped to plain ones), on SQLite with
:func:`fold` itself, registered as a SQL function on each connection (``CoreConfig.ready``).
What a person types goes through :func:`fold` in Python. Good enough for names; not a general
Unicode collation.
"""

import unicodedata
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower, Replace
from django.db.models.sql.compiler import SQLCompiler

SQLITE_FUNCTION = "ONCOPARCOURS_FOLD"

_LIGATURES = {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"}
# One-to-one character mapping for TRANSLATE: both strings have the same length.
_APOSTROPHE = "\u2019"
_LOWER_ACCENTED = "àáâäãåçèéêëìíîïñòóôöõùúûüýÿ"
_LOWER_PLAIN = "aaaaaaceeeeiiiinooooouuuuyy"
_ACCENTED = _LOWER_ACCENTED + _LOWER_ACCENTED.upper() + "-" + _APOSTROPHE
_PLAIN = _LOWER_PLAIN * 2 + " '"
assert len(_ACCENTED) == len(_PLAIN)


def fold(text: str) -> str:
    """The search key of a string: lower case, no accents, hyphens as spaces, spaces squeezed."""
    lowered = text.lower().replace("œ", "oe").replace("æ", "ae")
    lowered = lowered.replace("-", " ").replace(_APOSTROPHE, "'")
    decomposed = unicodedata.normalize("NFKD", lowered)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def fold_or_null(text: str | None) -> str | None:
    return None if text is None else fold(text)


class Folded(Func):
    """The search key of a column (see the module docstring), for ``alias``/``filter``."""

    function = "LOWER"
    output_field = CharField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, Any]:
        expression: Any = self.get_source_expressions()[0]
        for ligature, plain in _LIGATURES.items():
            expression = Replace(expression, Value(ligature), Value(plain))
        translated = Func(
            expression,
            Value(_ACCENTED),
            Value(_PLAIN),
            function="TRANSLATE",
            output_field=CharField(),
        )
        return compiler.compile(Lower(translated))


def register_sqlite_fold(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """``connection_created`` receiver: gives SQLite the folding function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, fold_or_null, deterministic=True)
