"""Fixtures of the outlet tests: the ankang profile with demo content (loaded once, idempotently), the
`ankang` portal and its columns, as in tests/conftest.py."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def ankang_profile(django_db_setup, django_db_blocker) -> None:
    """Load the ankang profile and demo content unless tests/conftest.py already did (both are idempotent)."""
    with django_db_blocker.unblock():
        from cms.models import Portal

        if not Portal.objects.filter(profile="ankang").exists():
            call_command("load_profile", "ankang", verbosity=0)
            call_command("load_demo", "ankang", verbosity=0)


@pytest.fixture
def ankang(ankang_profile, db):
    """The ankang portal."""
    from cms.models import Portal

    return Portal.objects.select_related("site__root_page").get(profile="ankang")


@pytest.fixture
def column(ankang):
    """Return a function giving the ankang column with this key (e.g. 'xxgk/jwyw')."""
    from pages.models import ColumnPage

    def get(key: str) -> ColumnPage:
        return ColumnPage.objects.get(profile_key=key, path__startswith=ankang.site.root_page.path)

    return get
