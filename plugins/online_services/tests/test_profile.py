"""Where guides go: the plugin declares it (every police type's 办事指南 column), so the profile names no plugin
page type and stays valid on a site that disables the plugin; articles stay accepted there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pages.models import ArticlePage, ColumnPage
from plugins.online_services.models import ServiceGuidePage
from plugins.online_services.police_types import police_types

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_guides_go_in_every_police_types_guides_column_and_nowhere_else(column, ankang):
    guides_columns = [e.services["guides"] for e in police_types(ankang.site.root_page)]
    assert len(guides_columns) == 12 and {c.slug for c in guides_columns} == {"bszn"}
    for bszn in guides_columns:
        assert bszn.accepted_types == ["pages.ArticlePage"]  # the profile names no plugin type...
        assert ServiceGuidePage.can_create_at(bszn)  # ...the plugin adds its own
        assert ArticlePage.can_create_at(bszn)
    for key in ("wsbs/huzheng/ywzx", "wsbs/huzheng/bmdh", "xxgk/jwyw", "wsbs/huzheng"):
        assert not ServiceGuidePage.can_create_at(column(key)), key


@pytest.mark.django_db
def test_a_column_naming_the_type_takes_guides_too(column):
    jwyw = column("xxgk/jwyw")
    jwyw.accepted_types = ["online_services.ServiceGuidePage"]
    assert ServiceGuidePage.can_create_at(jwyw)
    assert not ArticlePage.can_create_at(jwyw)


@pytest.mark.django_db
def test_the_admin_offers_guides_in_the_guides_column(client, column, member):
    client.force_login(member("huzheng"))
    bszn = column("wsbs/huzheng/bszn")
    choices = client.get(f"/admin/pages/{bszn.pk}/add_subpage/").content.decode()
    assert "/admin/pages/add/online_services/serviceguidepage/" in choices
    assert "/admin/pages/add/pages/articlepage/" in choices
    assert ColumnPage.objects.get(pk=bszn.pk).accepted_types == ["pages.ArticlePage"]


def test_the_ankang_profile_is_valid_on_a_site_without_the_plugin():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", "SUNLIGHT_DISABLED_PLUGINS": "online_services"}
    result = subprocess.run(
        [sys.executable, "manage.py", "load_profile", "ankang", "--check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "valid" in result.stdout
    listed = subprocess.run(
        [sys.executable, "manage.py", "plugins"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert "online_services" not in listed.stdout
