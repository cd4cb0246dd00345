"""Fixtures of the mailbox tests: the ankang portal's boxes and kinds, a letter factory, and one user per step of
ankang's reply chain (the routed department's head, the leader, the box column's administrator)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cms.deadlines.calendar import CHINA_TZ
from plugins.mailbox import transitions as t
from plugins.mailbox.models import Box, LetterKind

from .helpers import WRITER


@pytest.fixture
def box(ankang):
    """Return a function giving the ankang box with this key."""

    def get(key: str = "juzhang") -> Box:
        return Box.objects.get(portal=ankang, key=key)

    return get


@pytest.fixture
def kind(ankang):
    """Return a function giving the ankang letter kind with this key."""

    def get(key: str = "consultation") -> LetterKind:
        return LetterKind.objects.get(portal=ankang, key=key)

    return get


@pytest.fixture
def make_letter(ankang, box, kind):
    """Return a function submitting a letter (default: a consultation to 局长信箱 on a Monday, 2026-03-02)."""

    def make(box_key: str = "juzhang", kind_key: str = "consultation", when: datetime | None = None, **data):
        when = when or datetime(2026, 3, 2, 9, 30, tzinfo=CHINA_TZ)
        letter, code, _created = t.submit(ankang, box(box_key), kind(kind_key), {**WRITER, **data}, submitted_at=when)
        letter.query_code = code
        return letter

    return make


@pytest.fixture
def staff(member, django_user_model):
    """Users of ankang's letter handling: the petitions office, a police type, the leader, a stranger."""
    return {
        "office": member("xinfang", "editors", "xinfang-editor"),
        "office_admin": member("xinfang", "admins", "xinfang-admin"),
        "office_head": member("xinfang", "heads", "xinfang-head"),
        "huzheng": member("huzheng", "editors", "huzheng-editor"),
        "huzheng_head": member("huzheng", "heads", "huzheng-head"),
        "leader": member("juling", "heads", "juling-head"),
        "jiwei": member("jiwei", "editors", "jiwei-editor"),
        "stranger": member("xingjing", "heads", "xingjing-head"),
        "superuser": django_user_model.objects.create_superuser("mailbox-admin", password="pw-123456"),
    }
