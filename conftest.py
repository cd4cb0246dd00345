"""Fixtures shared by every test directory: the ankang profile with its demo content (loaded once per
session, idempotently), the `ankang` portal, its columns, departments and department members."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def ankang_profile(django_db_setup, django_db_blocker) -> None:
    """Load the ankang profile and demo content unless already loaded (both commands are idempotent)."""
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
