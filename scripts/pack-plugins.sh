#!/usr/bin/env bash
# Builds each distributable plugin package with `backstage-cli package build`
# and packs it to an installable tarball in dist-packs/, then checks that the
# tarball holds what an adopter's install needs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/dist-packs"
rm -rf "$out" && mkdir -p "$out"
for dir in sla-common sla-node sla-backend sla-backend-module-prometheus sla \
  search-backend-module-sla tech-insights-backend-module-sla; do
  (
    cd "plugins/$dir"
    "$root/node_modules/.bin/backstage-cli" package build > /dev/null
    node "$root/.yarn/releases/yarn-4.13.0.cjs" pack --out "$out/%s-%v.tgz" > /dev/null
  )
done
for tarball in "$out"/*.tgz; do
  listing=$(tar tzf "$tarball")
  for required in package/package.json package/dist/index.d.ts; do
    grep -qx "$required" <<< "$listing" || { echo "$tarball lacks $required" >&2; exit 1; }
  done
  # workspace: ranges must be replaced by real versions when packing
  if tar xzf "$tarball" -O package/package.json | grep -q '"workspace:'; then
    echo "$tarball still has workspace: ranges" >&2
    exit 1
  fi
done
backend_listing=$(tar tzf "$out"/*sla-backend-[0-9]*.tgz)
grep -q '^package/migrations/.*\.js$' <<< "$backend_listing" ||
  { echo "the backend tarball lacks its migrations" >&2; exit 1; }
ls -1 "$out"
