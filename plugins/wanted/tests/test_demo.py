"""The demo notices: fictitious people at four levels, one updated, one closed; loading twice changes nothing."""

from __future__ import annotations

import pytest

from cms.privacy import is_valid_id_number
from plugins.wanted.demo import DEMO, load_demo
from plugins.wanted.models import WantedNotice

pytestmark = pytest.mark.django_db


def test_demo_notices_are_fictitious_cover_the_levels_and_load_once(ankang, admin_user, client):
    created = load_demo(ankang)
    assert len(created) == len(DEMO) == 5
    assert load_demo(ankang) == []
    notices = {n.number: n for n in WantedNotice.objects.filter(number__contains="演示")}
    assert {n.level for n in notices.values()} >= {"a", "b", "province", "city"}
    assert sorted(n.status for n in notices.values()) == ["captured", "updated", "wanted", "wanted", "wanted"]
    for spec in DEMO:
        assert "演示" in spec["number"] and spec["subject_name"] in {"李示例", "王演示", "赵样本", "钱虚构", "孙假名"}
    for notice in notices.values():
        if notice.is_open:
            assert notice.live and is_valid_id_number(notice.id_number) and notice.photos.count() == 1
            photo = notice.photos.get().image
            assert photo.title.startswith("演示照片（虚构人物）") and photo.file.name.endswith(".png")
        else:
            assert not notice.live and notice.subject_name == "" and not notice.photos.exists()
    listing = client.get("/api/wanted/").json()
    assert listing["count"] == 4
    updated = next(n for n in notices.values() if n.status == "updated")
    detail = client.get(f"/api/wanted/{updated.pk}/").json()
    assert detail["reward"]["amount"] == 100000 and detail["bulletins"][0]["cites"]["number"] == updated.number
    closed = next(n for n in notices.values() if n.is_closed)
    assert client.get(f"/api/wanted/{closed.pk}/").status_code == 410
