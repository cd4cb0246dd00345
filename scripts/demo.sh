#!/usr/bin/env bash
# Start the demo portal on http://127.0.0.1:8000 (SQLite, embedded search, the ankang profile with demo content).
# Safe to run again: nothing is duplicated and the printed logins stay valid.
set -euo pipefail
source "$(dirname "$0")/_venv.sh"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-settings.dev}"
export WAGTAILADMIN_BASE_URL="${WAGTAILADMIN_BASE_URL:-http://127.0.0.1:${PORT:-8000}}"
python manage.py setup_demo --profile "${SUNLIGHT_PROFILE:-ankang}"
python manage.py compilemessages --ignore=.venv -v0 2>/dev/null || true
echo "==> serving on http://127.0.0.1:${PORT:-8000}/  (Ctrl-C stops)"
exec python manage.py runserver "127.0.0.1:${PORT:-8000}"
