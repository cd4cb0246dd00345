"""Background tasks (django-tasks) that bring the index up to date."""

from __future__ import annotations

from django_tasks import task


@task()
def update_entries(keys: list[str]) -> dict[str, int]:
    """Re-read the objects behind these entry keys and index or remove each."""
    from .service import update

    indexed, removed = update(keys)
    return {"indexed": indexed, "removed": removed}
