"""Query codes of citizens' cases (a disclosure request, a letter, a tip): shown once at submission, stored only
as a hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

#: Query codes avoid letters and digits that are easily confused (0/O, 1/I/L).
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 8


def new_query_code() -> str:
    """A new random query code of 8 characters (e.g. K7QM2XHP)."""
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


def hash_query_code(code: str) -> str:
    """The stored form of a query code (sha256 of the normalised code)."""
    return hashlib.sha256((code or "").strip().upper().encode()).hexdigest()


def query_code_matches(stored_hash: str, code: str) -> bool:
    """True when `code` hashes to `stored_hash` (compared in constant time)."""
    return hmac.compare_digest(stored_hash or "", hash_query_code(code or ""))


def spend_like_a_check(code: str) -> None:
    """Take as long as a real code check, for a number that does not exist (no timing difference)."""
    hmac.compare_digest(hash_query_code(code or ""), "0" * 64)
