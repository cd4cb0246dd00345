"""The demo letters: every state once, idempotent, published ones masked."""

from __future__ import annotations

import pytest

from plugins.mailbox.demo import load_demo
from plugins.mailbox.models import Letter

pytestmark = pytest.mark.django_db


def test_demo_letters_in_every_state_once(ankang, django_user_model):
    django_user_model.objects.create_superuser("demo-admin", password="pw-123456")
    numbers = load_demo(ankang)
    assert len(numbers) == 9 and load_demo(ankang) == []
    states = sorted(Letter.objects.values_list("state", flat=True))
    assert states == sorted(
        ["received", "routed", "drafting", "approving", "replied", "replied", "routed", "closed", "received"]
    )
    published = Letter.objects.published()
    assert published.count() == 2
    texts = " ".join(p.public_content + p.public_reply for p in published)
    assert "欧阳明轩" not in texts and "兴安东路18号" not in texts and "欧阳某" in texts
    assert Letter.objects.filter(is_emergency=True, read_at__isnull=True).count() == 1
    assert all(p.replied_on > p.received_on for p in published)
