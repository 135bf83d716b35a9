#!/usr/bin/env bash
# Install everything the tests need and run them all: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
if [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "The browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium' first." >&2
    exit 1
  fi
fi

source scripts/_env.sh requirements-dev.txt
ruff check .

echo "== Test run 1/2: SQLite =="
python -m pytest "$@"

echo "== Test run 2/2: PostgreSQL (throw-away server on loopback) =="
source scripts/postgres.sh
trap stop_test_postgres EXIT
python -m pytest "$@"
