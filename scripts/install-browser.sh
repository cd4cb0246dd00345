#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (no browser download). Install it when
# missing and we may (root with apt-get); otherwise say how, and the browser tests report the reason.
set -euo pipefail
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && fc-list 2>/dev/null | grep -qi "CJK"; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian chromium for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "note: chromium is not installed; install Debian's chromium and fonts-noto-cjk packages to run the browser tests" >&2
fi
