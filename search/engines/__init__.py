"""Search engines: the embedded one (SQLite FTS5 / PostgreSQL) and Elasticsearch, behind `base.Engine`."""
