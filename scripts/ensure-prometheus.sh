#!/usr/bin/env bash
# Makes Debian's Prometheus (and promtool) available for the Prometheus
# module's integration test, which starts its own instance on loopback.
# Idempotent; installs the package when missing (needs root and apt).
set -euo pipefail
if [ ! -x /usr/bin/prometheus ] || [ ! -x /usr/bin/promtool ]; then
  echo "installing Prometheus (Debian package)..." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus) >&2
fi
# The package starts a system service on :9090 where systemd runs; the test
# needs none of it.
/usr/bin/prometheus --version 2>&1 | head -1
