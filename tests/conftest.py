"""Fixtures of the cross-cutting tests: the ankang profile with demo content is loaded at once, and the real
demo server (the shared ankang fixtures are in the root conftest.py)."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the ankang profile and its demo content once per session (tests run in rolled-back transactions)."""
    with django_db_blocker.unblock():
        call_command("load_profile", "ankang", verbosity=0)
        call_command("load_demo", "ankang", verbosity=0)


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """A real demo portal: `setup_demo` on its own database, served by `runserver` in a subprocess."""
    from .server import start_demo

    yield from start_demo(tmp_path_factory.mktemp("demo"))
