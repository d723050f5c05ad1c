#!/usr/bin/env bash
# End-to-end tests: starts the demo portal (frontend :3000, backend :7007,
# fresh in-memory SQLite) and drives it with playwright-core in Debian's
# Chromium (installed when missing). Writes "passed failed" to $1.
# E2E_ONLY="e2e/a.test.mjs e2e/b.test.mjs" runs only those files.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
result_file=${1:-/dev/null}
logs="$root/e2e-logs"
mkdir -p "$logs"
echo "0 1" > "$result_file"

if [ ! -x /usr/bin/chromium ]; then
  echo "installing Chromium (Debian package)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) > "$logs/apt.log" 2>&1 ||
    { echo "could not install chromium, see $logs/apt.log"; exit 1; }
fi

for port in 3000 7007; do
  if (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
    echo "port $port is in use: stop the running portal first" >&2
    exit 1
  fi
done

echo "starting the portal (logs: $logs/portal.log)"
setsid node .yarn/releases/yarn-4.13.0.cjs start \
  --config "$root/app-config.yaml" --config "$root/app-config.e2e.yaml" \
  > "$logs/portal.log" 2>&1 &
portal=$!
cleanup() { kill -TERM -- "-$portal" 2>/dev/null; wait "$portal" 2>/dev/null; }
trap cleanup EXIT

wait_for() {
  local url=$1 deadline=$((SECONDS + 600))
  until node -e 'fetch(process.argv[1]).then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"; do
    if [ $SECONDS -ge $deadline ] || ! kill -0 "$portal" 2>/dev/null; then
      echo "the portal did not answer at $url; last log lines:" >&2
      tail -40 "$logs/portal.log" >&2
      return 1
    fi
    sleep 2
  done
}
started=$SECONDS
wait_for http://127.0.0.1:7007/.backstage/health/v1/readiness || exit 1
wait_for http://127.0.0.1:3000/ || exit 1
echo "portal up in $((SECONDS - started)) s"

tap="$logs/e2e.tap"
node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  ${E2E_ONLY:-e2e/*.test.mjs}
status=$?
pass=$(awk '/^# pass /{print $3}' "$tap")
fail=$(awk '/^# fail /{print $3}' "$tap")
echo "${pass:-0} ${fail:-1}" > "$result_file"
exit $status
