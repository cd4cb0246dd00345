"""The plugin contract: discovery, refusal with reasons, the read-only registry, contributions, API mounts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.management import call_command

from cms.plugins import PluginError
from cms.plugins.discovery import discover_plugins
from cms.plugins.registry import registry

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = {"online_services", "wanted", "disclosure_requests", "mailbox"}


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Run manage.py in a fresh process (settings and discovery happen anew)."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings.test", **env}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_builtin_plugins_are_registered_with_metadata():
    labels = {p.label for p in registry}
    assert BUILTIN <= labels
    for label in BUILTIN:
        plugin = registry[label]
        assert plugin.version == "0.1.0"
        assert plugin.requires
        assert plugin.module == f"plugins.{label}"
        assert f"/api/{label}/" in plugin.api_routes


def test_sample_plugin_contributions_are_listed():
    plugin = registry["sample_plugin"]
    assert plugin.version == "1.2.3"
    assert plugin.page_types == ("sample_plugin.SampleNoticePage",)
    assert plugin.workflow_tasks == ("sample_plugin.SampleReviewTask",)
    assert "sample_plugin.SampleRecord" in plugin.snippets
    assert "sample_plugin.verify_samplerecord" in plugin.permissions
    assert "sample_plugin.add_samplerecord" in plugin.permissions
    assert plugin.search_documents == ("SampleRecordDocument",)
    assert any(route.startswith("/api/sample/records/") for route in plugin.api_routes)


def test_plugin_settings_merge_defaults_with_site_config(settings):
    config = registry["sample_plugin"].config
    assert config.settings == {"greeting": "你好", "page_size": 10}


def test_registry_is_read_only():
    mapping = registry._load()
    with pytest.raises(TypeError):
        mapping["intruder"] = object()
    assert "intruder" not in registry
    assert registry.get("intruder") is None
    assert not registry.is_installed("intruder")


@pytest.mark.django_db
def test_plugin_api_is_mounted_under_its_base_url(client):
    from tests.sample_plugin.models import SampleRecord

    SampleRecord.objects.create(title="第一条")
    response = client.get("/api/sample/records/")
    assert response.status_code == 200
    assert response.json()["results"] == [{"id": SampleRecord.objects.get().pk, "title": "第一条"}]
    for label in BUILTIN:
        assert client.get(f"/api/{label}/").status_code == 200


def test_plugins_command_lists_versions_and_contributions():
    out = run_manage("plugins", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    by_label = {p["label"]: p for p in data["plugins"]}
    assert BUILTIN | {"sample_plugin"} <= set(by_label)
    assert by_label["sample_plugin"]["version"] == "1.2.3"
    assert by_label["sample_plugin"]["page_types"] == ["sample_plugin.SampleNoticePage"]
    assert data["refused"] == []
    text = run_manage("plugins")
    assert "sample_plugin 1.2.3" in text.stdout
    assert "workflow tasks: sample_plugin.SampleReviewTask" in text.stdout


@pytest.mark.parametrize(
    ("module", "reason"),
    [
        ("tests.bad_plugins.too_new", "requires Sunlight >=99.0, but this is Sunlight 0.1.0"),
        ("tests.bad_plugins.broken", "cannot be imported: ModuleNotFoundError"),
        ("tests.bad_plugins.plain_app", "does not subclass cms.plugins.PluginConfig"),
        ("tests.bad_plugins.needs_settings", "missing required settings in SUNLIGHT_PLUGINS_CONFIG: api_key"),
        ("tests.bad_plugins.no_such_plugin", "cannot be imported"),
    ],
)
def test_bad_plugins_are_refused_with_a_reason(module, reason):
    result = discover_plugins(builtin=[], extra=[module], include_entry_points=False)
    assert result.accepted_apps == []
    assert len(result.refused) == 1
    refusal = result.refused[0]
    assert refusal.name == module
    assert reason in refusal.reason
    assert module in str(refusal)


def test_required_settings_satisfied_accepts_the_plugin():
    result = discover_plugins(
        builtin=[],
        extra=["tests.bad_plugins.needs_settings"],
        include_entry_points=False,
        config={"needs_settings": {"api_key": "x"}},
    )
    assert result.accepted_apps == ["tests.bad_plugins.needs_settings.apps.NeedsSettingsConfig"]


def test_strict_mode_stops_start_up_naming_every_refused_plugin():
    with pytest.raises(PluginError) as exc:
        discover_plugins(
            builtin=[],
            extra=["tests.bad_plugins.too_new", "tests.bad_plugins.broken"],
            strict=True,
            include_entry_points=False,
        )
    assert "tests.bad_plugins.too_new" in str(exc.value)
    assert "tests.bad_plugins.broken" in str(exc.value)


def test_disabled_plugins_are_left_out():
    result = discover_plugins(
        builtin=["plugins.wanted", "plugins.mailbox"], disabled=["wanted"], include_entry_points=False
    )
    assert result.accepted_labels == ["mailbox"]


def test_refused_plugin_is_reported_at_start_up_and_the_site_still_runs():
    env = {"SUNLIGHT_EXTRA_PLUGINS": "tests.sample_plugin,tests.bad_plugins.too_new"}
    check = run_manage("check", **env)
    assert check.returncode == 0, check.stderr
    assert "sunlight.W001" in check.stderr
    assert "tests.bad_plugins.too_new" in check.stderr and ">=99.0" in check.stderr
    listing = run_manage("plugins", **env)
    assert "REFUSED tests.bad_plugins.too_new" in listing.stdout
    assert "wanted 0.1.0" in listing.stdout  # the others still load


def test_strict_start_up_fails_with_a_clear_message():
    env = {"SUNLIGHT_EXTRA_PLUGINS": "tests.sample_plugin,tests.bad_plugins.broken", "SUNLIGHT_PLUGINS_STRICT": "1"}
    out = run_manage("check", **env)
    assert out.returncode != 0
    assert "Sunlight refuses to start" in out.stderr
    assert "tests.bad_plugins.broken" in out.stderr
    assert "Traceback" not in out.stderr


def test_entry_point_plugins_are_discovered(tmp_path, monkeypatch):
    """A pip-installed plugin announces itself through the `sunlight.plugins` entry-point group."""
    package = tmp_path / "sunlight_ep_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "apps.py").write_text(
        textwrap.dedent(
            """
            from cms.plugins import PluginConfig

            class EpDemoConfig(PluginConfig):
                name = "sunlight_ep_demo"
                version = "0.3.0"
                requires = ">=0.1,<1.0"
            """
        )
    )
    dist = tmp_path / "sunlight_ep_demo-0.3.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: sunlight-ep-demo\nVersion: 0.3.0\n")
    (dist / "entry_points.txt").write_text("[sunlight.plugins]\nep_demo = sunlight_ep_demo\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    result = discover_plugins(builtin=[])
    assert "sunlight_ep_demo.apps.EpDemoConfig" in result.accepted_apps
    assert not [r for r in result.refused if r.name == "sunlight_ep_demo"]


def test_plugins_command_runs_in_process():
    from io import StringIO

    out = StringIO()
    call_command("plugins", stdout=out)
    assert "4 plugin(s)" not in out.getvalue()  # the sample plugin is installed too
    assert "5 plugin(s) installed" in out.getvalue()
