#!/usr/bin/env bash
# Installs this repository's packed packages into a Backstage app created afresh
# with @backstage/create-app, by following docs/install.md step by step (the
# blocks it marks for the check, scripts/adopter/followGuide.mjs: packages,
# backend modules, frontend, the fabric's configuration with the guide's example
# repository URL standing for a local Git repository holding a small fabric, the
# example permission policy), starts the app and checks that the fabric syncs
# through the API, that the policy is in force (the guest may read the fabric,
# not sync it) and that its Fabric tab renders in Chromium (screenshot
# fabric-tab.png in the app's folder).
#   scripts/adopter-check.sh [--legacy] [work dir]   (default: a new temporary folder)
# --legacy: an app of the legacy frontend system (create-app --legacy) and the
# guide's blocks for it.
# Env: CREATE_APP_VERSION (default latest), ADOPTER_BACKEND_PORT (7107),
# ADOPTER_APP_PORT (3107), CHROMIUM (/usr/bin/chromium). Yarn (classic, which hands
# over to the yarn release the app ships) and yarn's package cache live in
# ~/.cache/fabric-gitops/adopter, outside the source tree.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

variant=new
if [ "${1:-}" = --legacy ]; then variant=legacy; shift; fi
work="${1:-$(mktemp -d)}"
mkdir -p "$work"; work="$(cd "$work" && pwd)"
app="$work/app"
cache="$HOME/.cache/fabric-gitops/adopter"
backend_port="${ADOPTER_BACKEND_PORT:-7107}"
app_port="${ADOPTER_APP_PORT:-3107}"
registry="$(npm config get registry)"
export YARN_NPM_REGISTRY_SERVER="${registry%/}" YARN_ENABLE_TELEMETRY=0 \
  YARN_CACHE_FOLDER="$cache/yarn-cache" YARN_ENABLE_GLOBAL_CACHE=0 \
  YARN_ENABLE_IMMUTABLE_INSTALLS=0 YARN_NPM_MINIMAL_AGE_GATE=0
step() { echo; echo "== $*"; }

step "yarn (classic) into $cache"
if [ ! -x "$cache/yarn/node_modules/.bin/yarn" ]; then
  npm install --prefix "$cache/yarn" --no-save --no-package-lock --no-audit --no-fund --loglevel=error yarn@1.22.22
fi
export PATH="$cache/yarn/node_modules/.bin:$PATH"

step "pack this repository's packages"
./scripts/pack-check.sh --keep "$work/tarballs"

step "create an app ($variant frontend system) with @backstage/create-app@${CREATE_APP_VERSION:-latest}"
rm -rf "$app"
legacy_flag=()
[ "$variant" = legacy ] && legacy_flag=(--legacy)
(cd "$work" && BACKSTAGE_APP_NAME=adopter npx -y "@backstage/create-app@${CREATE_APP_VERSION:-latest}" --skip-install "${legacy_flag[@]}" --path "$app")

# create-app seeds yarn.lock from GitHub; without it (offline from GitHub) yarn resolves the newest
# @backstage releases in the template's ranges, which do not start together (e.g. a signals backend
# newer than backend-defaults). Pin them to the versions this create-app release was made with.
(cd "$work" && rm -rf create-app && mkdir create-app &&
  npm pack --silent "@backstage/create-app@${CREATE_APP_VERSION:-latest}" --pack-destination create-app >/dev/null &&
  tar xzf create-app/*.tgz -C create-app)

step "point the @fabric-gitops packages at the tarballs (docs/install.md, step 1)"
node - "$app/package.json" "$work/tarballs" "$work/create-app/package" <<'NODE'
const fs = require('node:fs');
const [file, dir, createApp] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
pkg.resolutions = pkg.resolutions ?? {};
const { packageVersions } = require(`${createApp}/dist/lib/versions.cjs.js`);
for (const [n, v] of Object.entries(packageVersions)) if (n.startsWith('@backstage/')) pkg.resolutions[n] = v;
for (const t of fs.readdirSync(dir).filter(f => f.endsWith('.tgz'))) {
  const name = `@fabric-gitops/${t.replace(/^fabric-gitops-/, '').replace(/-\d+\.\d+\.\d+.*\.tgz$/, '')}`;
  pkg.resolutions[name] = `file:${dir}/${t}`;
}
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
console.log(Object.entries(pkg.resolutions).filter(([n]) => n.startsWith('@fabric-gitops/')));
NODE

step "install the app"
(cd "$app" && yarn install)

step "a local Git repository holding a small fabric (the guide's fabric dc1)"
fabric_repo="$work/fabric.git"
rm -rf "$fabric_repo" "$work/fabric-src"
git init -q --bare -b main "$fabric_repo"
git init -q -b main "$work/fabric-src"
mkdir -p "$work/fabric-src/fabrics/dc1/raw"
cp examples/demo-fabric/raw/wiring.yaml examples/demo-fabric/raw/vpcs.yaml "$work/fabric-src/fabrics/dc1/raw/"
(cd "$work/fabric-src" && git add -A && git -c user.name=check -c user.email=check@example.com commit -qm "dc1 fabric" && git push -q "$fabric_repo" main)

# this machine's settings (ports, the backend's private working directory); the guide appends
# the fabrics' configuration to the same file
cat >"$app/app-config.local.yaml" <<YAML
app:
  baseUrl: http://localhost:$app_port
backend:
  baseUrl: http://localhost:$backend_port
  listen: { port: $backend_port }
  cors: { origin: http://localhost:$app_port }
  workingDirectory: $work/backend-work
YAML
mkdir -p "$work/backend-work" && chmod 700 "$work/backend-work"

step "follow docs/install.md"
node scripts/adopter/followGuide.mjs docs/install.md "$app" --app "$variant" \
  --replace "https://github.com/acme/network-gitops.git=file://$fabric_repo"
echo "--- app-config.local.yaml"; cat "$app/app-config.local.yaml"

step "start the app (backend :$backend_port, frontend :$app_port)"
(cd "$app" && exec setsid yarn start >"$work/app.log" 2>&1) &
app_pid=$!
trap 'kill -- -$app_pid 2>/dev/null || true' EXIT

backend="http://localhost:$backend_port"
token=""
for _ in $(seq 1 180); do
  token="$(curl -sf -H 'X-Requested-With: XMLHttpRequest' "$backend/api/auth/guest/refresh?env=development" |
    node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token' 2>/dev/null || true)"
  [ -n "$token" ] && break
  sleep 2
done
[ -n "$token" ] || { tail -50 "$work/app.log"; echo "FAIL: the backend did not start"; exit 1; }

step "the fabric syncs through the API"
status=""
for _ in $(seq 1 90); do
  status="$(curl -sf -H "Authorization: Bearer $token" "$backend/api/hedgehog/fabrics/dc1" |
    node -pe 'const f=JSON.parse(require("fs").readFileSync(0)); f.status + " " + (f.lastSyncedCommit ?? "")' 2>/dev/null || true)"
  case "$status" in in_sync\ ?* | partial\ ?*) break ;; esac
  sleep 2
done
echo "fabric dc1: $status"
case "$status" in in_sync\ ?* | partial\ ?*) ;; *) tail -50 "$work/app.log"; echo "FAIL: fabric dc1 did not sync"; exit 1 ;; esac
vpcs="$(curl -sf -H "Authorization: Bearer $token" "$backend/api/hedgehog/fabrics/dc1/resources?kind=VPC" |
  node -pe 'const r=JSON.parse(require("fs").readFileSync(0)); (r.items ?? r).length')"
echo "VPCs in Git, read through the API: $vpcs"
[ "$vpcs" -gt 0 ] || { echo "FAIL: no VPC"; exit 1; }

step "the guide's permission policy is in force: the guest reads fabric dc1 but may not sync it"
code="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' "$backend/api/hedgehog/fabrics/dc1/sync")"
echo "POST /fabrics/dc1/sync as the guest: $code"
[ "$code" = 403 ] || { echo "FAIL: expected 403 from the fabric-owners policy, got $code"; exit 1; }

step "the Fabric tab renders in Chromium"
node scripts/adopter/screenshot.mjs "http://localhost:$app_port/catalog/default/resource/dc1/hedgehog" "$app/fabric-tab.png" --sync-denied
echo
echo "adopter check passed: $app/fabric-tab.png"
