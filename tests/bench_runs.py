"""What the tests that run a benchmark script share: the environment a benchmark starts from."""

from __future__ import annotations

import os

#: Variables of the test run a benchmark must not inherit: it sets up its own database, settings and cache.
TEST_RUN_ONLY = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SUNLIGHT_EXTRA_PLUGINS", "REDIS_URL")


def bench_env() -> dict[str, str]:
    """This process's environment without the test run's database, settings, sample plugin and Redis."""
    return {name: value for name, value in os.environ.items() if name not in TEST_RUN_ONLY}
