"""Parsing of the commune codes a person types for a territory: pure, no database.

The textarea accepts INSEE codes and postal codes separated by commas, semicolons, spaces or
line breaks. A 5-digit code can be both (e.g. an INSEE code that is another commune's postal
code): ``insee:01400`` or ``cp:01400`` says which one is meant.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

_SEPARATORS = re.compile(r"[,;\s]+")
_ENTRY = re.compile(r"(?:(?P<prefix>INSEE|CP):)?(?P<code>(?:\d{2}|2[AB])\d{3})")


class CodeKind(StrEnum):
    INSEE = "insee"
    POSTAL = "postal"
    EITHER = "either"


@dataclass(frozen=True)
class CodeEntry:
    kind: CodeKind
    value: str


@dataclass(frozen=True)
class ParsedCodes:
    entries: list[CodeEntry]
    # Tokens that look like no code at all, as typed.
    invalid: list[str]


def parse_commune_codes(text: str) -> ParsedCodes:
    entries: list[CodeEntry] = []
    invalid: list[str] = []
    for token in _SEPARATORS.split(text or ""):
        if not token:
            continue
        match = _ENTRY.fullmatch(token.upper())
        if match is None:
            invalid.append(token)
            continue
        code = match["code"]
        if match["prefix"] == "CP":
            kind = CodeKind.POSTAL
        elif match["prefix"] == "INSEE" or not code.isdigit():
            kind = CodeKind.INSEE
        else:
            kind = CodeKind.EITHER
        entry = CodeEntry(kind, code)
        if entry not in entries:
            entries.append(entry)
    return ParsedCodes(entries=entries, invalid=invalid)
