#!/usr/bin/env bash
# Install everything the tests need and run them all: bash scripts/test.sh [pytest args]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need, installed as root (apt-get update at most once), or a
# clear message saying what to install. Usage: apt_install WHY [--no-install-recommends] PACKAGE…
apt_updated=""
apt_install() {
  local why="$1" options=()
  shift
  if [[ "$1" == --no-install-recommends ]]; then options+=("$1"); shift; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $* for the ${why}…"
    [[ -n "$apt_updated" ]] || { apt-get update -qq; apt_updated=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${options[@]}" "$@" >/dev/null
  else
    echo "The ${why} need Debian's $*: run 'sudo apt-get install ${options[*]:+${options[*]} }$*' first." >&2
    exit 1
  fi
}

# Browser tests drive Debian's Chromium (Playwright's own browser download is not used).
[[ -x /usr/bin/chromium ]] || apt_install "browser tests" chromium
# tests/test_libreoffice.py opens every workbook in LibreOffice Calc (headless, converted to
# PDF) and counts the PDF's pages with poppler's pdfinfo.
command -v soffice >/dev/null || apt_install "LibreOffice tests" --no-install-recommends libreoffice-calc
command -v pdfinfo >/dev/null || apt_install "LibreOffice tests" --no-install-recommends poppler-utils

source scripts/_env.sh requirements-dev.txt
ruff check .

echo "== Test run 1/2: SQLite =="
python -m pytest "$@"

echo "== Test run 2/2: PostgreSQL (throw-away server on loopback) =="
source scripts/postgres.sh
trap stop_test_postgres EXIT
python -m pytest "$@"
