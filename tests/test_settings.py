"""Settings: environment-driven configuration, Chinese defaults, production refuses an unset SECRET_KEY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    full.update(env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full, capture_output=True, text=True, timeout=60)


def test_chinese_defaults():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"


@pytest.mark.django_db
def test_admin_appears_in_chinese(client):
    html = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in html and "用户名" in html  # even for a browser that prefers English


def test_production_refuses_to_start_without_secret_key():
    code = "import django; django.setup()"
    out = run_python(code, DJANGO_SETTINGS_MODULE="settings.production")
    assert out.returncode != 0
    assert "SECRET_KEY is not set" in out.stderr
    ok = run_python(
        code + "; from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)",
        DJANGO_SETTINGS_MODULE="settings.production",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portal.example.gov.cn,www.example.gov.cn",
    )
    assert ok.returncode == 0, ok.stderr
    assert "False ['portal.example.gov.cn', 'www.example.gov.cn']" in ok.stdout


def test_database_and_cache_come_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CACHES['default']['BACKEND'])"
    )
    out = run_python(
        code,
        DJANGO_SETTINGS_MODULE="settings.dev",
        DATABASE_URL="postgres://u@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/1",
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "django.db.backends.postgresql",
        "portal",
        "django.core.cache.backends.redis.RedisCache",
    ]
    default = run_python(code, DJANGO_SETTINGS_MODULE="settings.dev", DATABASE_URL="", REDIS_URL="")
    assert "django.db.backends.sqlite3" in default.stdout and "sunlight.sqlite3" in default.stdout
