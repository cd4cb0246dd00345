"""Fixtures of the deadline tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def clean_slate(db) -> None:
    """Start without clocks or calendar rows, whatever the session's profile and demo data hold (rolled back)."""
    from cms.deadlines.models import CalendarDay, CalendarYear, Clock

    Clock.objects.all().delete()
    CalendarDay.objects.all().delete()
    CalendarYear.objects.all().delete()
