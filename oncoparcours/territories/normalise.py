"""The search key of a commune name: pure, so the database needs no accent-aware collation.

The same function fills ``Commune.search_name`` and normalises what a person types, which makes
search accent- and punctuation-insensitive on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

# Ligatures that NFKD does not decompose but that French commune names contain.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
# Apostrophes, hyphens, dashes and any other punctuation separate words.
_NON_WORD = re.compile(r"[^0-9a-z]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def normalise_name(text: str) -> str:
    """``"Saint-Étienne"`` and ``"st etienne"`` both give ``"saint etienne"``."""
    lowered = text.casefold().translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = _NON_WORD.sub(" ", ascii_only).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)
