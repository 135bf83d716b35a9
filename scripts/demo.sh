#!/usr/bin/env bash
# Install, load the demo and run Partenariat on SQLite: bash scripts/demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_env.sh requirements.txt

port="${PORT:-5000}"
export PARTENARIAT_BASE_URL="${PARTENARIAT_BASE_URL:-http://127.0.0.1:${port}}"
flask --app app init-db
flask --app app seed-demo
cat <<TXT

Partenariat runs at ${PARTENARIAT_BASE_URL}/  (Ctrl+C to stop)
Open one of the personal links above to fill in the self-assessment.
Run this script again for fresh demo links (the demo partnership is reloaded).

TXT
exec flask --app app run --host 127.0.0.1 --port "$port"
