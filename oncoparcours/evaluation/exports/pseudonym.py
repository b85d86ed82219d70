"""Keyed pseudonyms: the same patient gets the same pseudonym in every export made with the same
pepper, and nobody without the pepper can compute it from an identifier (unlike a plain hash of
a public identifier, which anyone holding the identifier could recompute)."""

import hashlib
import hmac
from uuid import UUID

# 64 bits: collisions are negligible for the region's patients (birthday bound ~ 4·10⁹).
PSEUDONYM_HEX_LENGTH = 16


def pseudonym(public_id: UUID | str, pepper: str) -> str:
    """HMAC-SHA256 of the patient's public identifier, keyed with the pepper, truncated."""
    if not pepper:
        raise ValueError("The export pepper is empty.")
    digest = hmac.new(pepper.encode(), str(public_id).encode(), hashlib.sha256).hexdigest()
    return digest[:PSEUDONYM_HEX_LENGTH]
