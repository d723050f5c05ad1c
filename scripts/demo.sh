#!/usr/bin/env bash
# The one start command: installs dependencies and serves the demo portal
# (frontend http://localhost:3000, backend http://localhost:7007, embedded
# SQLite, demo catalog and demo agreements).
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}
export YARN_ENABLE_TELEMETRY=0
node .yarn/releases/yarn-4.13.0.cjs install --immutable
exec node .yarn/releases/yarn-4.13.0.cjs start
