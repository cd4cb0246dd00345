"""Settings of the API benchmark's servers (`bench/api.py`): the project's base settings, DEBUG off, quiet logs.

The URL configuration adds Wagtail's stock v2 endpoints and bare Django JSON views beside the project's own
(`bench/api_urls.py`). Database connections persist (`DATABASE_CONN_MAX_AGE`, default 600 s, as a production
deployment would set) and the search rate limit is raised to a per-second window (`SUNLIGHT_SEARCH_RATE`,
default 100000/s) so the throttle still runs on every search without refusing the load generator.
"""

from settings.base import *  # noqa: F403
from settings.base import DATABASES, REST_FRAMEWORK
from settings.env import env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", "sunlight-bench-only-insecure-key")
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.api_urls"
WSGI_APPLICATION = "cms.wsgi.application"
DATABASES["default"]["CONN_MAX_AGE"] = int(env_str("DATABASE_CONN_MAX_AGE", "600"))
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"search": env_str("SUNLIGHT_SEARCH_RATE", "100000/s")},
}
WAGTAILAPI_BASE_URL = "http://127.0.0.1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"null": {"class": "logging.NullHandler"}},
    "loggers": {
        "django": {"handlers": ["null"], "propagate": False},
        "sunlight": {"handlers": ["null"], "propagate": False},
        "wagtail": {"handlers": ["null"], "propagate": False},
    },
}
