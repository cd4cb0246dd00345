"""Fixtures shared by every test directory: the ankang profile with its demo content (loaded once per
session, idempotently), the `ankang` portal, its columns, departments and department members, the profile
again for tests with real transactions, and the `postgres` marker's skip on other databases."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser import browser_page, chromium  # noqa: F401  (fixtures of the browser tests)


@pytest.fixture(scope="session")
def ankang_profile(django_db_setup, django_db_blocker) -> None:
    """Load the ankang profile and demo content unless already loaded (both commands are idempotent)."""
    with django_db_blocker.unblock():
        from cms.models import Portal

        if not Portal.objects.filter(profile="ankang").exists():
            call_command("load_profile", "ankang", verbosity=0)
            call_command("load_demo", "ankang", verbosity=0)


@pytest.fixture
def committed_ankang(ankang_profile, django_db_blocker):
    """The ankang profile in the database for tests with real transactions: an earlier such test's flush may
    have emptied the database after the session loaded it, so load it again when it is missing."""
    from django.core.management import call_command

    from cms.models import Portal

    with django_db_blocker.unblock():
        if not Portal.objects.filter(profile="ankang").exists():
            from django.conf import settings
            from wagtail.models import Collection, Locale, Page

            # a flush also removed what Wagtail's migrations create: the default locale and the two roots
            locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
            if not Page.objects.filter(depth=1).exists():
                Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
            if not Collection.objects.filter(depth=1).exists():
                Collection.add_root(name="Root")
            call_command("load_profile", "ankang", verbosity=0)


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


@pytest.fixture
def department(ankang):
    """Return a function giving the ankang department with this code."""

    def get(code: str):
        return ankang.departments.get(code=code)

    return get


@pytest.fixture
def member(django_user_model, department):
    """Return a function creating a user in a department's group for a role (editors, heads, admins)."""
    from cms.models import DepartmentRole

    def make(code: str, role: str = "editors", username: str | None = None):
        user = django_user_model.objects.create_user(username or f"{code}_{role}", password="pw-123456")
        user.groups.add(department(code).group(DepartmentRole(role)))
        return user

    return make


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres` unless the test database is PostgreSQL (DATABASE_URL)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
