"""Test settings: fast hashing, in-memory media, DATABASE_URL honoured (PostgreSQL in CI)."""

import os
import tempfile
from pathlib import Path

# The sample plugin of the test suite is installed like any third-party plugin.
os.environ.setdefault("SUNLIGHT_EXTRA_PLUGINS", "tests.sample_plugin")

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "sunlight-test-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="sunlight-test-media-"))
SUNLIGHT_PRIVATE_ROOT = MEDIA_ROOT.with_name(MEDIA_ROOT.name + "-private")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WAGTAILADMIN_BASE_URL = "http://testserver"
WAGTAILAPI_BASE_URL = "http://testserver"
ALLOWED_HOSTS = ["*"]
# Static files straight from the apps (no collectstatic in tests), looked up per request: /api/docs/ assets.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if not env_str("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests search many times from one address; tests/test_search.py checks the limit with a low rate.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"search": "100000/min"}}  # noqa: F405
