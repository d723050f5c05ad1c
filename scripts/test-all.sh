#!/usr/bin/env bash
# The one test command: installs what the tests need and runs every test.
#   type check, lint, generated-code check, plugin packs, Red Hat Developer
#   Hub dynamic plugin exports, all unit and integration tests
#   (backend tests on SQLite and PostgreSQL), and the end-to-end tests in
#   Debian Chromium against the running portal.
# Ends with a line "N passed, M failed" and a non-zero exit on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export npm_config_nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}
export YARN_ENABLE_TELEMETRY=0
yarn() { node "$root/.yarn/releases/yarn-4.13.0.cjs" "$@"; }

passed=0
failed=0
step() {
  local name=$1
  shift
  echo "=== $name"
  if "$@"; then
    echo "=== $name: ok"
    return 0
  fi
  echo "=== $name: FAILED"
  return 1
}
count_step() { if step "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

step "install dependencies" yarn install --immutable || {
  echo "0 passed, 1 failed"
  exit 1
}

count_step "generated code is current" node scripts/generate-openapi.mjs --check
count_step "type check" yarn tsc
count_step "lint" yarn backstage-cli repo lint
count_step "plugin packages build and pack" scripts/pack-plugins.sh
timed() {
  local start=$SECONDS status=0
  "$@" || status=$?
  echo "(took $((SECONDS - start)) s)"
  return $status
}
count_step "RHDH dynamic plugin exports build and load" timed scripts/export-dynamic-plugins.sh --scalprum-only

# Backend tests run on SQLite always and on a local PostgreSQL (Debian package).
if pg_url=$(scripts/ensure-postgres.sh); then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=$pg_url
else
  echo "PostgreSQL could not be started: backend tests would only cover SQLite" >&2
  failed=$((failed + 1))
fi
export BACKSTAGE_TEST_DISABLE_DOCKER=1

# The Prometheus module's integration test runs against a real Prometheus.
if scripts/ensure-prometheus.sh; then
  export SLA_REQUIRE_PROMETHEUS=1
else
  echo "Prometheus could not be installed" >&2
  failed=$((failed + 1))
fi

jest_json=$(mktemp --suffix=.json)
echo "=== unit and integration tests"
CI=true yarn backstage-cli repo test --json --outputFile="$jest_json"
jest_status=$?
if [ -s "$jest_json" ]; then
  read -r jp jf < <(node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);
  ' "$jest_json")
  passed=$((passed + jp))
  failed=$((failed + jf))
  [ "$jest_status" -ne 0 ] && [ "$jf" -eq 0 ] && failed=$((failed + 1))
else
  failed=$((failed + 1))
fi

echo "=== end-to-end tests"
e2e_json=$(mktemp)
scripts/e2e.sh "$e2e_json"
e2e_status=$?
if [ -s "$e2e_json" ]; then
  read -r ep ef < "$e2e_json"
  passed=$((passed + ep))
  failed=$((failed + ef))
  [ "$e2e_status" -ne 0 ] && [ "$ef" -eq 0 ] && failed=$((failed + 1))
else
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
