"""The search key of a commune name: pure, so the database needs no accent-aware collation.

The same function fills ``Commune.search_name`` and normalises what a person types, which makes
search accent- and punctuation-insensitive on SQLite and PostgreSQL alike.
"""

import re

from oncoparcours.core.text import fold

# Apostrophes, hyphens, dashes and any other punctuation separate words.
_NON_WORD = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalise_name(text: str) -> str:
    """``"Saint-Étienne"`` and ``"st etienne"`` both give ``"saint etienne"``."""
    words = _NON_WORD.sub(" ", fold(text)).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
