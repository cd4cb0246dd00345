#!/usr/bin/env bash
# Run the whole test suite (lint, then pytest). Honours DATABASE_URL / REDIS_URL (PostgreSQL and Redis in CI).
# Extra arguments go to pytest, e.g. scripts/test.sh -k profiles -x
set -euo pipefail
source "$(dirname "$0")/_venv.sh"
bash scripts/install-browser.sh
echo "==> ruff"
ruff check .
echo "==> pytest (database: ${DATABASE_URL:-SQLite})"
exec python -m pytest "$@"
