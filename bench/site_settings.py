"""Settings of the site benchmark's servers (`bench/site.py`): those of the API benchmark (DEBUG off, quiet logs,
persistent connections) with the site benchmark's URLs (`bench/site_urls.py`)."""

from bench.api_settings import *  # noqa: F403

ROOT_URLCONF = "bench.site_urls"
