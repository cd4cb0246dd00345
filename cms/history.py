"""Helpers of plugins' transitions (the functions that change a case: a request, a letter, a tip): save with the
actor and a reason in the object's django-simple-history, lock the row first, and turn a clock's refusal into the
plugin's own error."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models


def acting_user(user: Any) -> Any:
    """`user` when it is an authenticated user, else None (the applicant, the system)."""
    return user if getattr(user, "is_authenticated", False) else None


def save_with_reason(obj: models.Model, user: Any, reason: str) -> None:
    """Save `obj`, its history recording `user` (when authenticated) and `reason` (history_change_reason)."""
    obj._change_reason = (reason or "")[:100]  # simple-history's field holds 100 characters
    if acting_user(user) is not None:
        obj._history_user = user
    obj.save()


def lock_row(obj: models.Model) -> models.Model:
    """Reload `obj` locked for update (inside the caller's transaction), so concurrent changes queue."""
    obj.refresh_from_db(from_queryset=type(obj)._default_manager.select_for_update())
    return obj


def clock_change(clock: Any, method: str, *args: Any, error: type[ValidationError] = ValidationError) -> None:
    """Call a change method of a `cms.deadlines.Clock` (pause, resume, restart, extend, change_limit, stop); its
    refusal is raised again as `error` with the clock's message and code. Nothing happens for no clock."""
    if clock is None:
        return
    try:
        getattr(clock, method)(*args)
    except ValidationError as exc:
        message = exc.messages[0] if exc.messages else str(exc)
        raise error(message, code=getattr(exc, "code", None)) from exc
