"""Fixtures of the API tests (the shared ankang fixtures are in the root conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture
def outlet(ankang):
    """Return a function giving the ankang outlet of a kind (web, weibo, wechat, app)."""
    from cms.outlets.models import Outlet

    def get(kind: str) -> Outlet:
        return Outlet.objects.get(portal=ankang, kind=kind)

    return get
