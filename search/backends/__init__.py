"""Wagtail/modelsearch search backends of Sunlight (`search.backends.database`: jieba-segmented SQLite/PostgreSQL)."""
