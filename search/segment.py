"""Chinese word segmentation with jieba, shared by index time and query time.

One dedicated `jieba.Tokenizer` per process (never jieba's global one) is loaded lazily with jieba's own
dictionary plus the shipped police/government user dictionary (`search/dict/police.txt`); profiles add
their own words with `add_words`. Index and query text both go through `cut_for_search`; the index also
holds every dictionary word at any position and every Chinese character, and queries are cut without HMM
(dictionary words, single characters, ASCII words), so a query token is always in the index of a document
that contains it: a query finds a document when all its tokens are in the document.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import jieba

USER_DICT = Path(__file__).resolve().parent / "dict" / "police.txt"

# Runs jieba can segment (the characters of jieba's own `re_han_default`: CJK, ASCII letters and digits and
# the joiners it keeps inside a word), and runs of any other letters/digits (Cyrillic, Hangul, kana ...),
# which are kept whole instead of being cut into single characters.
_JIEBA_RUN = r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]+"
_OTHER_RUN = r"[^\W_\u4E00-\u9FD5a-zA-Z0-9]+"
_RUNS = re.compile(f"({_JIEBA_RUN})|({_OTHER_RUN})")

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_extra_words: list[tuple[str, int | None, str | None]] = []
_word_sources: list[Callable[[], Iterable[str]]] = []


def _quiet_jieba() -> None:
    """Silence jieba's "Building prefix dict ..." messages on stderr."""
    jieba.setLogLevel(logging.WARNING)
    logging.getLogger("jieba").setLevel(logging.WARNING)


def get_tokenizer() -> jieba.Tokenizer:
    """Return the process-wide tokenizer, loading jieba's dictionary and the user dictionary on first use."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    built = False
    with _lock:
        if _tokenizer is None:
            _quiet_jieba()
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()  # uses jieba's on-disk cache (tempdir/jieba.cache) after the first build
            tokenizer.load_userdict(str(USER_DICT))
            for word, freq, tag in _extra_words:
                tokenizer.add_word(word, freq, tag)
            _tokenizer = tokenizer
            built = True
    if built:
        refresh_word_sources()
    return _tokenizer


def add_word_source(source: Callable[[], Iterable[str]]) -> None:
    """Register a function giving words to keep whole (e.g. the profiles' place and department names).

    Sources are read when the tokenizer is built and again on `refresh_word_sources()`; a failing source
    (database not migrated yet) is skipped.
    """
    _word_sources.append(source)


def refresh_word_sources() -> None:
    """Add the current words of every registered source to the tokenizer (a no-op before it is built)."""
    if _tokenizer is None:
        return
    words: list[str] = []
    for source in _word_sources:
        try:
            words.extend(source())
        except Exception:
            continue
    known = _tokenizer.FREQ
    new = [word for word in dict.fromkeys(words) if word and not known.get(word)]
    if new:
        add_words(new)


def add_words(words: Iterable[str | tuple[str, int | None] | tuple[str, int | None, str | None]]) -> None:
    """Add words (e.g. a profile's place and unit names) to the segmenter of this process.

    Each item is a word or a `(word, freq)` / `(word, freq, tag)` tuple as in jieba's user dictionaries;
    a missing frequency lets jieba pick one that keeps the word whole. Pages indexed before the call keep
    their old segmentation until they are re-indexed (`manage.py update_index`).
    """
    entries: list[tuple[str, int | None, str | None]] = []
    for item in words:
        if isinstance(item, str):
            word, freq, tag = item, None, None
        else:
            word, freq, tag = (*item, None, None)[:3]
        word = word.strip()
        if word:
            entries.append((word, int(freq) if freq is not None else None, tag))
    with _lock:
        _extra_words.extend(entries)
        if _tokenizer is not None:
            for word, freq, tag in entries:
                _tokenizer.add_word(word, freq, tag)


def _normalise(token: str) -> str | None:
    """Lower-case a token; None when it has no letter or digit (whitespace, punctuation, symbols)."""
    token = token.strip()
    if not token or not any(char.isalnum() for char in token):
        return None
    return token.lower()


_HAN = re.compile(r"[\u4E00-\u9FD5]")


_ASCII = re.compile(r"[a-zA-Z0-9]+")
_JOINERS = frozenset("+#&._%-")


def _index_run_tokens(tokenizer: jieba.Tokenizer, run: str) -> Iterator[str]:
    """Tokens of one jieba run at index time: every dictionary word of two or more characters at every
    position (the words of jieba's DAG, i.e. what `cut_all` and `cut_for_search` can produce), every Chinese
    character once, and every ASCII word.

    Any query token, which is a dictionary word, a single character or an ASCII word (see
    `_query_run_tokens`), is among them when the document contains it, whatever words the document's
    context would make jieba choose. One pass over the prefix dictionary, without jieba's route search.
    """
    freq = tokenizer.FREQ
    n = len(run)
    for k in range(n - 1):
        end = k + 2
        fragment = run[k:end]
        while fragment in freq:  # the prefix dictionary holds every prefix of every word (frequency 0)
            if freq[fragment] and (fragment[0] not in _JOINERS or _normalise(fragment)):
                yield fragment.lower()
            if end >= n:
                break
            end += 1
            fragment = run[k:end]
    yield from dict.fromkeys(_HAN.findall(run))
    yield from (word.lower() for word in _ASCII.findall(run))


def _query_run_tokens(tokenizer: jieba.Tokenizer, run: str) -> Iterator[str]:
    """Tokens of one jieba run at query time: `cut_for_search` without HMM, so only dictionary words, single
    characters (for unknown words) and ASCII words."""
    yield from tokenizer.cut_for_search(run, HMM=False)


def _raw_tokens(text: str, for_query: bool) -> Iterator[str]:
    """Yield the tokens of the jieba-segmentable runs and whole runs of other scripts."""
    tokenizer = get_tokenizer()
    run_tokens = _query_run_tokens if for_query else _index_run_tokens
    for match in _RUNS.finditer(text):
        jieba_run, other_run = match.groups()
        if jieba_run:
            yield from run_tokens(tokenizer, jieba_run)
        else:
            yield other_run


def _tokens(text: str | None, for_query: bool) -> list[str]:
    """Return the normalised tokens of a text, in order."""
    if not text:
        return []
    return [token for token in map(_normalise, _raw_tokens(str(text), for_query)) if token]


def tokens_for_index(text: str | None) -> list[str]:
    """Tokens stored in the index for a text: every dictionary word at every position ('网上通缉' -> 网上,
    网上通缉, 通缉), every Chinese character once and every ASCII word, lower-cased; other scripts' runs whole."""
    if not text:
        return []
    tokenizer = get_tokenizer()
    tokens: list[str] = []
    for match in _RUNS.finditer(str(text)):
        jieba_run, other_run = match.groups()
        if jieba_run:
            tokens.extend(_index_run_tokens(tokenizer, jieba_run))
        else:
            tokens.append(other_run.lower())
    return tokens


def tokens_for_query(text: str | None) -> list[str]:
    """Tokens of a query, without repeats; a document matches when it holds all of them."""
    return list(dict.fromkeys(_tokens(text, for_query=True)))


def segment_for_index(text: str | None) -> str:
    """Index text as space-joined tokens, the input of the FTS5 table / tsvector."""
    return " ".join(tokens_for_index(text))


def segment_for_query(text: str | None) -> str:
    """Query text as space-joined tokens ('' when nothing searchable is left)."""
    return " ".join(tokens_for_query(text))
