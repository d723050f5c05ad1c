#!/usr/bin/env bash
# Benchmark of the attainment path on SQLite and PostgreSQL (prints figures,
# asserts nothing). Needs the dependencies installed (./scripts/demo.sh or
# the test command does that). BENCH_SCALE=0.1 runs a tenth of the year.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export npm_config_nodedir=${npm_config_nodedir:-$(dirname "$(dirname "$(command -v node)")")}
node .yarn/releases/yarn-4.13.0.cjs install --immutable > /dev/null
run() {
  (cd plugins/sla-backend &&
    node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs \
      bench/attainmentBench.ts "$1")
}
run sqlite
BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") run postgres
# Viability for one entity on a 10,000-entity catalog graph (bench/viabilityBench.ts)
(cd plugins/sla-backend && node --require @backstage/cli/config/nodeTransform.cjs bench/viabilityBench.ts sqlite &&
  BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") node --require @backstage/cli/config/nodeTransform.cjs bench/viabilityBench.ts postgres)
# The catalog graph at 100,000 entities: sync task, replica refresh, viability (bench/catalogGraphBench.ts)
(cd plugins/sla-backend && node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/catalogGraphBench.ts sqlite &&
  BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/catalogGraphBench.ts postgres)
# GET /portfolio over 100,000 services over HTTP, with the baseline (bench/portfolioBench.ts)
(cd plugins/sla-backend && node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/portfolioBench.ts sqlite &&
  BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/portfolioBench.ts postgres)
# Ingest under load: 10,000-item batches, sustained ingest with breach
# latency, autocannon mixed reads and writes (bench/ingestBench.ts)
(cd plugins/sla-backend && node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/ingestBench.ts sqlite &&
  BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/ingestBench.ts postgres)
# Storage per sample and retention (bench/storageBench.ts)
(cd plugins/sla-backend && node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/storageBench.ts sqlite &&
  BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/storageBench.ts postgres)
# The time-driven evaluation round, due-only vs full (bench/dueRoundBench.ts;
# BENCH_ENTITIES scales it, default 100,000 services × 2 targets)
(cd plugins/sla-backend && node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/dueRoundBench.ts sqlite &&
  BENCH_POSTGRES_URL=$("$root/scripts/ensure-postgres.sh") node --max-old-space-size=4096 --require @backstage/cli/config/nodeTransform.cjs bench/dueRoundBench.ts postgres)
