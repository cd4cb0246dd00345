"""Shared fixtures: the test database is migrated once and gets the ankang profile with demo content."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the ankang profile and its demo content once per session (tests run in rolled-back transactions)."""
    with django_db_blocker.unblock():
        call_command("load_profile", "ankang", verbosity=0)
        call_command("load_demo", "ankang", verbosity=0)


@pytest.fixture
def ankang(db):
    """The ankang portal."""
    from cms.models import Portal

    return Portal.objects.select_related("site").get(profile="ankang")


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


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """A real demo portal: `setup_demo` on its own database, served by `runserver` in a subprocess."""
    from .server import start_demo

    yield from start_demo(tmp_path_factory.mktemp("demo"))
