"""Jieba-segmented database search backend.

Enable with `WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends.database"}}`.

Like `modelsearch.backends.database`, picks the variant for the default database: PostgreSQL, or SQLite with
FTS5. Other databases (MySQL, SQLite without FTS5) get modelsearch's stock backend for them, unsegmented.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from modelsearch.backends.base import BaseSearchBackend

_sqlite_fts: bool | None = None  # None until tested, like modelsearch's USE_SQLITE_FTS


def _sqlite_fts_usable() -> bool:
    """True when SQLite has FTS5 and modelsearch's FTS table exists (tested once per process)."""
    global _sqlite_fts
    if _sqlite_fts is None:
        from modelsearch.backends.database.sqlite.utils import fts5_available, fts_table_exists

        _sqlite_fts = fts5_available() and fts_table_exists()
    return _sqlite_fts


def SearchBackend(params: dict[str, Any]) -> BaseSearchBackend:
    """Return the jieba backend for the default database's vendor (stock modelsearch backend otherwise).

    modelsearch instantiates `<module>.SearchBackend(params)`, hence the class-like name.
    """
    if connection.vendor == "postgresql":
        from .postgres import JiebaPostgresSearchBackend

        return JiebaPostgresSearchBackend(params)
    if connection.vendor == "sqlite" and _sqlite_fts_usable():
        from .sqlite import JiebaSQLiteSearchBackend

        return JiebaSQLiteSearchBackend(params)
    from modelsearch.backends.database import SearchBackend as StockSearchBackend

    return StockSearchBackend(params)
