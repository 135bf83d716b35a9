#!/usr/bin/env bash
# A throw-away PostgreSQL server on loopback for the tests (Debian's postgresql package).
#   source scripts/postgres.sh   → starts it and exports PARTENARIAT_TEST_POSTGRES (admin URL)
#   stop_test_postgres           → stops it and deletes its data directory
set -euo pipefail

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [[ -z "$bindir" ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "Installing Debian's postgresql for the PostgreSQL test run…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  else
    echo "The PostgreSQL test run needs Debian's postgresql package: run 'sudo apt-get install postgresql'." >&2
    return 1 2>/dev/null || exit 1
  fi
fi

pg_dir=$(mktemp -d /tmp/partenariat-pg.XXXXXX)
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# PostgreSQL refuses to run as root: use the postgres account when we are root.
if [[ $(id -u) -eq 0 ]]; then
  chown postgres "$pg_dir"
  as_pg=(runuser -u postgres --)
else
  as_pg=()
fi
"${as_pg[@]}" "$bindir/initdb" -D "$pg_dir/data" -U partenariat -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w -o "-p $pg_port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
export PARTENARIAT_TEST_POSTGRES="postgresql+psycopg://partenariat@127.0.0.1:${pg_port}/postgres"

stop_test_postgres() {
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null || true
  rm -rf "$pg_dir"
}
