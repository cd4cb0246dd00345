"""Highlighted snippets, the same for both engines: the query tokens marked with <em> in escaped text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from django.utils.html import escape

#: Characters of a body snippet.
SNIPPET_CHARS = 120
#: Hits looked at when choosing the window (a long text full of a common character).
MAX_MATCHES = 2000


def _pattern(tokens: Sequence[str]) -> re.Pattern[str] | None:
    """A case-insensitive pattern for the tokens, longest first (so 通缉令 is marked whole, not 通缉)."""
    words = sorted({token for token in tokens if token}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def mark(text: str, tokens: Sequence[str]) -> str:
    """Return `text` HTML-escaped with every occurrence of a token wrapped in <em>…</em>."""
    pattern = _pattern(tokens)
    if pattern is None or not text:
        return escape(text or "")
    out: list[str] = []
    position = 0
    for match in pattern.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(f"<em>{escape(match.group())}</em>")
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)


def snippet(text: str, tokens: Sequence[str], length: int = SNIPPET_CHARS) -> str:
    """The `length`-character window of `text` holding the most distinct tokens (then the most hits), marked.

    Without a hit the beginning of the text is returned. An ellipsis shows where text was cut.
    """
    text = " ".join((text or "").split())
    if not text:
        return ""
    pattern = _pattern(tokens)
    start = 0
    if pattern is not None and len(text) > length:
        matches = [m for _, m in zip(range(MAX_MATCHES), pattern.finditer(text), strict=False)]
        best = (-1, -1)
        counts: Counter[str] = Counter()
        j = 0
        for i, first in enumerate(matches):  # sliding window: matches[i:j] end within `length` of matches[i]
            while j < len(matches) and matches[j].end() <= first.start() + length:
                counts[matches[j].group().lower()] += 1
                j += 1
            score = (len(counts), j - i)
            if score > best:
                best, start = score, first.start()
            word = first.group().lower()
            if j > i:
                counts[word] -= 1
                if not counts[word]:
                    del counts[word]
            else:
                j = i + 1
        # Leave a little context before the first hit.
        start = max(0, min(start - length // 6, len(text) - length))
    piece = text[start : start + length]
    marked = mark(piece, tokens)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + length < len(text) else ""
    return f"{prefix}{marked}{suffix}"
