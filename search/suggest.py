"""Suggestions: completions of partial queries and corrections of misspelt ones.

The vocabulary (`SearchTerm`) holds the words of indexed titles and summaries with how many entries used
them and their toneless pinyin. A misspelt Chinese word is usually a homophone (通辑 for 通缉, 户藉 for
户籍): a query word unknown to the vocabulary is replaced by the most used known word with the same
pinyin, or for ASCII words by one at edit distance one. Suggestions are only offered when they find
something (the service checks them against the engine).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from django.db import connection, transaction
from pypinyin import lazy_pinyin

from search.models import SearchTerm
from search.segment import get_tokenizer

_HAN_RUN = re.compile(r"[\u4E00-\u9FD5]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_WORD_RUN = re.compile(r"[\u4E00-\u9FD5]+|[A-Za-z0-9]+")
MAX_TERM = 64


@lru_cache(maxsize=200_000)
def pinyin_key(term: str) -> str:
    """Toneless pinyin of a term without spaces ('通缉' -> 'tongji'); ASCII terms are lower-cased as they are."""
    return "".join(lazy_pinyin(term)).lower()[:255]


def terms_of(text: str) -> set[str]:
    """Vocabulary words of a text: dictionary words of two or more characters and ASCII words."""
    tokenizer = get_tokenizer()
    terms: set[str] = set()
    for run in _HAN_RUN.findall(text or ""):
        for word in tokenizer.cut(run, cut_all=True):
            if 2 <= len(word) <= MAX_TERM:
                terms.add(word)
    terms.update(word for word in _ASCII_WORD.findall((text or "").lower()) if 2 <= len(word) <= MAX_TERM)
    return terms


def record(texts: Iterable[str]) -> None:
    """Count the vocabulary words of these texts (one text = one entry's title and summary)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(terms_of(text))
    if not counts:
        return
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    rows = [(term, pinyin_key(term), n) for term, n in counts.items()]
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            marks = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (term, pinyin, frequency) VALUES {marks} "
                "ON CONFLICT (term) DO UPDATE SET frequency = " + table + ".frequency + excluded.frequency",
                [value for row in chunk for value in row],
            )


def clear() -> None:
    """Forget the vocabulary (before a rebuild)."""
    SearchTerm.objects.all().delete()


def complete(prefix: str, limit: int = 8) -> list[str]:
    """Known words starting with `prefix` (or whose pinyin does, for Latin letters), most used first."""
    prefix = (prefix or "").strip().lower()[:MAX_TERM]
    if not prefix:
        return []
    terms = SearchTerm.objects.filter(term__startswith=prefix, frequency__gt=0).exclude(term=prefix)
    found = list(terms.order_by("-frequency", "term").values_list("term", flat=True)[:limit])
    if len(found) < limit and prefix.isascii() and prefix.isalpha():
        more = SearchTerm.objects.filter(pinyin__startswith=prefix, frequency__gt=0).exclude(term__in=found)
        found += list(more.order_by("-frequency", "term").values_list("term", flat=True)[: limit - len(found)])
    return found


def _edits(word: str) -> set[str]:
    """ASCII words at edit distance one (deletions, transpositions, replacements, insertions)."""
    letters = "abcdefghijklmnopqrstuvwxyz0123456789"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in letters),
        *(a + c + b for a, b in splits for c in letters),
    } - {word}


def _candidate_words(run: str) -> set[str]:
    """Parts of a Chinese run that may be (misspelt) words: jieba's words of two or more characters, each word
    joined with its neighbour (出入 + 竟), and the whole run when it is short."""
    words = list(get_tokenizer().cut(run, HMM=True))
    found = {word for word in words if len(word) >= 2}
    found.update(a + b for a, b in pairwise(words) if len(a + b) <= 6)
    if len(run) <= 6:
        found.add(run)
    return {word for word in found if len(word) >= 2}


def corrections(text: str, limit: int = 3) -> list[str]:
    """Rewritings of `text` with misspelt words replaced by known ones, best first."""
    text = (text or "").strip()[:100]
    runs = _WORD_RUN.findall(text)
    if not runs:
        return []
    han_windows = {w for run in runs if _HAN_RUN.fullmatch(run) for w in _candidate_words(run)}
    ascii_words = {run.lower() for run in runs if not _HAN_RUN.fullmatch(run) and len(run) >= 3}
    known_terms = SearchTerm.objects.filter(term__in=han_windows | ascii_words, frequency__gt=0)
    known = set(known_terms.values_list("term", flat=True))
    replacements: dict[str, list[tuple[int, str]]] = {}
    unknown_han = [w for w in han_windows if not any(w in k for k in known)]
    if unknown_han:
        keys = {pinyin_key(w): w for w in unknown_han}
        for term, key, frequency in SearchTerm.objects.filter(pinyin__in=list(keys), frequency__gt=0).values_list(
            "term", "pinyin", "frequency"
        ):
            for word in unknown_han:
                if pinyin_key(word) == key and len(term) == len(word) and term != word:
                    replacements.setdefault(word, []).append((frequency, term))
    for word in ascii_words - known:
        candidates = SearchTerm.objects.filter(term__in=list(_edits(word))[:5000], frequency__gt=0)
        for term, frequency in candidates.values_list("term", "frequency"):
            replacements.setdefault(word, []).append((frequency, term))
    suggestions: list[str] = []
    # Longest misspelt windows first: replacing 通辑令 whole beats replacing 通辑 inside it.
    for word in sorted(replacements, key=lambda w: (-len(w), w)):
        for _frequency, term in sorted(replacements[word], reverse=True):
            fixed = re.sub(re.escape(word), term, text, flags=re.IGNORECASE)
            if fixed != text and fixed not in suggestions:
                suggestions.append(fixed)
    return suggestions[:limit]
