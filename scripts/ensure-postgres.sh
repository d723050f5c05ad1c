#!/usr/bin/env bash
# Makes a local PostgreSQL (Debian package) available for the backend tests
# and prints the connection string that Backstage's TestDatabases reads from
# BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING. Idempotent.
# Installs the package when missing (needs root and Debian's apt).
set -euo pipefail
PASSWORD=${SLA_TEST_PG_PASSWORD:-sla-test}

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "installing PostgreSQL (Debian package)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  pg_createcluster "$version" main >&2
fi
if ! pg_lsclusters -h | grep -q "^$version main .* online"; then
  pg_ctlcluster "$version" main start >&2
fi
for _ in $(seq 1 30); do
  if su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1; then break; fi
  sleep 1
done
su postgres -c "psql -qtAc \"alter user postgres with password '$PASSWORD'\"" >/dev/null
echo "postgresql://postgres:$PASSWORD@127.0.0.1:5432"
