#!/usr/bin/env bash
# Exports every publishable plugin package under plugins/ as a Red Hat
# Developer Hub dynamic plugin with @red-hat-developer-hub/cli (a root dev
# dependency), then checks each export:
#   - backend plugins and modules: dist-dynamic/ with @backstage/* as peers,
#     our workspace packages (-common, -node, ...) embedded and every other
#     dependency bundled; the bundle is loaded by a plain Node process that
#     sees nothing but the shared @backstage/* packages (as in RHDH), and its
#     default export must be a BackendFeature;
#   - frontend plugins: dist-dynamic/ with the Scalprum assets
#     (dist-dynamic/dist-scalprum/plugin-manifest.json) exposing PluginRoot.
# Packages are found by their backstage.role, not by a list: a new
# plugins/<x> package with a plugin or module role is exported too.
#
# Usage: scripts/export-dynamic-plugins.sh [--scalprum-only] [--package DIR] [--tarballs DIR]
#   --scalprum-only frontend: build the Scalprum assets (dist-scalprum, what
#                   RHDH 1.x loads) but not the standard module federation
#                   assets (dist), which take as long again; the test
#                   command uses it.
#   --package DIR   also run `rhdh-cli plugin package --export-to DIR`: one
#                   folder per plugin plus index.json, the layout RHDH reads
#                   from a local dynamic-plugins root (no container tool).
#   --tarballs DIR  also `npm pack` each export into DIR and print each
#                   tarball's integrity, for `package: <url>` + `integrity`
#                   entries in dynamic-plugins.yaml.
# Environment: RHDH_EXPORT_ONLY="sla-backend sla" limits the packages (folder
# names under plugins/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

package_dir=""
tarball_dir=""
frontend_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --package) package_dir=$(realpath -m "$2"); shift 2 ;;
    --tarballs) tarball_dir=$(realpath -m "$2"); shift 2 ;;
    --scalprum-only) frontend_args=(--no-generate-module-federation-assets); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

# The CLI lives in its own workspace (packages/rhdh-cli) so that its
# dependencies (Jest 29, webpack, an older @backstage/cli) stay out of the
# root node_modules.
rhdh_cli="$root/packages/rhdh-cli/node_modules/@red-hat-developer-hub/cli/bin/rhdh-cli"
[ -f "$rhdh_cli" ] || { echo "missing $rhdh_cli: run yarn install" >&2; exit 1; }

# The CLI runs `yarn` from PATH (build, and the install of a backend export's
# private dependencies); give it the vendored Yarn.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
printf '#!/bin/sh\nexec node "%s/.yarn/releases/yarn-4.13.0.cjs" "$@"\n' "$root" > "$work/bin/yarn"
chmod +x "$work/bin/yarn"
export PATH="$work/bin:$PATH" YARN_ENABLE_TELEMETRY=0
# An export's own install resolves its private dependencies anew; the
# monorepo's CI setting would make that install immutable and fail.
unset CI

# Lines "<folder> <role> <embed...>": publishable plugin packages and the
# workspace packages each one depends on (transitively), which are not on
# the npm registry and so must be embedded in a backend export.
mapfile -t packages < <(node - "$root" <<'EOF'
const fs = require('fs');
const path = require('path');
const root = process.argv[2];
const only = (process.env.RHDH_EXPORT_ONLY || '').split(/\s+/).filter(Boolean);
const dirs = fs.readdirSync(path.join(root, 'plugins'), { withFileTypes: true })
  .filter(d => d.isDirectory() && fs.existsSync(path.join(root, 'plugins', d.name, 'package.json')))
  .map(d => d.name);
const pkgs = new Map(dirs.map(dir => {
  const json = JSON.parse(fs.readFileSync(path.join(root, 'plugins', dir, 'package.json'), 'utf8'));
  return [json.name, { dir, json }];
}));
const workspaceDeps = (json, seen = new Set()) => {
  for (const [name, range] of Object.entries(json.dependencies || {})) {
    if (String(range).startsWith('workspace:') && pkgs.has(name) && !seen.has(name)) {
      seen.add(name);
      workspaceDeps(pkgs.get(name).json, seen);
    }
  }
  return seen;
};
// @backstage/* packages that Red Hat Developer Hub does not ship: a backend
// export embeds them instead of expecting them from the host (checked
// against redhat-developer/rhdh main and release-1.10).
const notInRhdh = ['@backstage/plugin-notifications-node', '@backstage/plugin-notifications-common'];
const dependsOn = (json, name) =>
  [json, ...[...workspaceDeps(json)].map(n => pkgs.get(n).json)].some(j => (j.dependencies || {})[name]);
const roles = ['backend-plugin', 'backend-plugin-module', 'frontend-plugin', 'frontend-plugin-module'];
for (const { dir, json } of [...pkgs.values()].sort((a, b) => a.dir.localeCompare(b.dir))) {
  const role = json.backstage && json.backstage.role;
  if (!roles.includes(role) || json.private || (only.length && !only.includes(dir))) continue;
  const embeds = [...workspaceDeps(json)];
  if (role.startsWith('backend-')) {
    embeds.push(...notInRhdh.filter(n => dependsOn(json, n)));
    // Community node libraries (e.g. @backstage-community/plugin-tech-insights-node)
    // are built on shared @backstage packages: embedded, their own
    // @backstage dependencies become peers like ours.
    embeds.push(...Object.keys(json.dependencies || {}).filter(d => d.startsWith('@backstage-community/')));
  }
  console.log([dir, role, ...embeds].join(' '));
}
EOF
)
[ ${#packages[@]} -gt 0 ] || { echo "no plugin packages to export" >&2; exit 1; }

# A folder outside the repository where only the shared @backstage/*
# packages resolve, as in RHDH: a private dependency that was not bundled
# fails to load there.
host="$work/host"
mkdir -p "$host/node_modules"
ln -s "$root/node_modules/@backstage" "$host/node_modules/@backstage"

check_backend() {
  local dir=$1 dist="$root/plugins/$1/dist-dynamic"
  node -e '
    const pkg = require(process.argv[1] + "/package.json");
    // Embedded packages stay dependencies, resolved to ./embedded/<name>.
    const embedded = d => String((pkg.resolutions || {})[d] || "").startsWith("file:./embedded/");
    const shared = Object.keys(pkg.dependencies || {}).filter(d => d.startsWith("@backstage/") && !embedded(d));
    if (shared.length) { console.error(`${pkg.name}: @backstage/* must be peers, found in dependencies: ${shared}`); process.exit(1); }
    const missing = Object.keys(pkg.peerDependencies || {}).filter(d => !d.startsWith("@backstage/"));
    if (missing.length) { console.error(`${pkg.name}: unexpected peers ${missing}`); process.exit(1); }
  ' "$dist"
  rm -rf "$host/plugin" && cp -r "$dist" "$host/plugin"
  (cd "$host" && node -e '
    const mod = require("./plugin");
    const feature = mod.default;
    if (!feature || feature.$$type !== "@backstage/BackendFeature") {
      console.error(`default export is not a BackendFeature: ${feature && feature.$$type}`);
      process.exit(1);
    }
    const kind = feature.featureType === "registrations" ? "" : ` (${feature.featureType || "feature"})`;
    console.log(`  loads outside the repository; default export is a BackendFeature${kind}`);
  ')
}

check_frontend() {
  local dist="$root/plugins/$1/dist-dynamic"
  node -e '
    const fs = require("fs");
    const dist = process.argv[1];
    const manifest = JSON.parse(fs.readFileSync(dist + "/dist-scalprum/plugin-manifest.json", "utf8"));
    const pkg = require(dist + "/package.json");
    if (!pkg.name.endsWith("-dynamic")) { console.error(`unexpected name ${pkg.name}`); process.exit(1); }
    if (!manifest.loadScripts || !manifest.loadScripts.length) { console.error("the Scalprum manifest has no load scripts"); process.exit(1); }
    for (const script of manifest.loadScripts) {
      if (!fs.existsSync(dist + "/dist-scalprum/" + script)) { console.error(`missing ${script}`); process.exit(1); }
    }
    console.log(`  Scalprum plugin ${manifest.name} ${manifest.version}: ${manifest.loadScripts.length} load script(s)`);
  ' "$dist"
}

# Build each backend package and the workspace packages it embeds once
# (the CLI would build a shared -common again for every backend), then
# export without building. Builds need the type declarations of `yarn tsc`.
[ -d "$root/dist-types" ] || node "$root/.yarn/releases/yarn-4.13.0.cjs" tsc
declare -A built=()
for line in "${packages[@]}"; do
  read -r dir role embeds <<< "$line"
  case "$role" in backend-*) ;; *) continue ;; esac
  for name in $embeds "$dir"; do
    folder=$(node -e '
      const [root, name] = process.argv.slice(1);
      const fs = require("fs");
      for (const d of fs.readdirSync(root + "/plugins")) {
        try { if (require(`${root}/plugins/${d}/package.json`).name === name || d === name) { console.log(d); break; } } catch {}
      }' "$root" "$name")
    [ -n "$folder" ] && [ -z "${built[$folder]:-}" ] || continue
    (cd "plugins/$folder" && "$root/node_modules/.bin/backstage-cli" package build > /dev/null) ||
      { echo "plugins/$folder: build failed" >&2; exit 1; }
    built[$folder]=1
  done
done

for line in "${packages[@]}"; do
  read -r dir role embeds <<< "$line"
  echo "--- plugins/$dir ($role)"
  args=(plugin export --clean)
  case "$role" in
    backend-*) args+=(--no-build) ;;
    frontend-*) args+=("${frontend_args[@]}") ;;
  esac
  for embed in $embeds; do args+=(--embed-package "$embed"); done
  log="$work/$dir.log"
  start=$(date +%s)
  if ! (cd "plugins/$dir" && node "$rhdh_cli" "${args[@]}") > "$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "plugins/$dir: export failed (full log above, last 40 lines)" >&2
    exit 1
  fi
  echo "  exported to plugins/$dir/dist-dynamic in $(( $(date +%s) - start )) s"
  case "$role" in
    backend-*) check_backend "$dir" ;;
    frontend-*) check_frontend "$dir" ;;
  esac
  if [ -n "$tarball_dir" ]; then
    mkdir -p "$tarball_dir"
    (cd "plugins/$dir/dist-dynamic" && npm pack --silent --pack-destination "$tarball_dir" --json) |
      node -e 'const [p] = JSON.parse(require("fs").readFileSync(0, "utf8")); console.log(`  ${p.filename} integrity ${p.integrity}`)'
  fi
done

if [ -n "$package_dir" ]; then
  echo "--- rhdh-cli plugin package --export-to $package_dir"
  rm -rf "$package_dir"
  # `plugin package` reads the root package.json as a plugin's when it has a
  # `backstage` field without a role (ours has one), so it runs in a staging
  # monorepo that holds just the exported packages.
  stage="$work/stage"
  mkdir -p "$stage/plugins"
  echo '{ "name": "rhdh-export-stage", "private": true, "workspaces": ["plugins/*"] }' > "$stage/package.json"
  for line in "${packages[@]}"; do
    read -r dir _ <<< "$line"
    mkdir -p "$stage/plugins/$dir"
    cp "plugins/$dir/package.json" "$stage/plugins/$dir/"
    cp -r "plugins/$dir/dist-dynamic" "$stage/plugins/$dir/"
  done
  (cd "$stage" && node "$rhdh_cli" plugin package --export-to "$package_dir") > "$work/package.log" 2>&1 ||
    { cat "$work/package.log" >&2; exit 1; }
  grep -q "Writing exported plugins" "$work/package.log" || { cat "$work/package.log" >&2; exit 1; }
  ls -1 "$package_dir"
fi
