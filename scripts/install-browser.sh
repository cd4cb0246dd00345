#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through Playwright (no browser download) and run axe-core (from the
# npm registry) in the pages. Install what is missing and we may (root with apt-get; npm); otherwise say how, and
# the browser tests report the reason.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# (grep reads all of fc-list's output: with -q, fc-list would die of SIGPIPE and pipefail fail the test)
if { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; } && fc-list 2>/dev/null | grep -i "CJK" >/dev/null; then
  :
elif [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "==> installing Debian chromium for the browser tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "note: chromium is not installed; install Debian's chromium and fonts-noto-cjk packages to run the browser tests" >&2
fi
# axe-core, the accessibility engine the public site's browser tests inject into each page, once.
AXE_DIR="$ROOT/var/npm"
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "==> installing axe-core for the accessibility tests"
    mkdir -p "$AXE_DIR"
    npm install --prefix "$AXE_DIR" --no-audit --no-fund --silent axe-core@4.14.1 >/dev/null
  else
    echo "note: npm is not installed; the accessibility tests need axe-core (npm install axe-core)" >&2
  fi
fi
