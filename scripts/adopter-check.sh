#!/usr/bin/env bash
# Installs this repository's packed packages into a Backstage app created afresh
# with @backstage/create-app, by following docs/install.md step by step (the
# blocks it marks for the check, scripts/adopter/followGuide.mjs), starts the app
# against a local Git repository holding a small fabric, and checks that the
# fabric syncs through the API and that its Fabric tab renders in Chromium
# (screenshot fabric-tab.png in the app's folder).
#   scripts/adopter-check.sh [work dir]     (default: a new temporary folder)
# Env: CREATE_APP_VERSION (default latest), ADOPTER_BACKEND_PORT (7107),
# ADOPTER_APP_PORT (3107), CHROMIUM (/usr/bin/chromium). Yarn (classic, which hands
# over to the yarn release the app ships) and yarn's package cache live in
# ~/.cache/fabric-gitops/adopter, outside the source tree.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

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

step "create an app with @backstage/create-app@${CREATE_APP_VERSION:-latest}"
rm -rf "$app"
(cd "$work" && BACKSTAGE_APP_NAME=adopter npx -y "@backstage/create-app@${CREATE_APP_VERSION:-latest}" --skip-install --path "$app")

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

step "follow docs/install.md"
node scripts/adopter/followGuide.mjs docs/install.md "$app"

step "a local Git repository holding a small fabric"
fabric_repo="$work/fabric.git"
rm -rf "$fabric_repo" "$work/fabric-src"
git init -q --bare -b main "$fabric_repo"
git init -q -b main "$work/fabric-src"
mkdir -p "$work/fabric-src/fabrics/lab/raw"
cp examples/demo-fabric/raw/wiring.yaml examples/demo-fabric/raw/vpcs.yaml "$work/fabric-src/fabrics/lab/raw/"
(cd "$work/fabric-src" && git add -A && git -c user.name=check -c user.email=check@example.com commit -qm "lab fabric" && git push -q "$fabric_repo" main)

cat >"$app/app-config.local.yaml" <<YAML
app:
  baseUrl: http://localhost:$app_port
backend:
  baseUrl: http://localhost:$backend_port
  listen: { port: $backend_port }
  cors: { origin: http://localhost:$app_port }
  workingDirectory: $work/backend-work
hedgehog:
  schedule: { frequency: { minutes: 5 }, timeout: { minutes: 10 }, initialDelay: { seconds: 2 } }
  fabrics:
    - name: lab
      title: Lab fabric
      owner: group:default/guests
      git: { url: 'file://$fabric_repo', branch: main, path: fabrics/lab, writeMode: push }
catalog:
  locations:
    - type: file
      target: $work/lab-entity.yaml
YAML
cat >"$work/lab-entity.yaml" <<YAML
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: lab
  annotations:
    githedgehog.com/gitops-location: url:file://$fabric_repo#main:fabrics/lab
spec:
  type: hedgehog-fabric
  owner: guests
YAML
mkdir -p "$work/backend-work" && chmod 700 "$work/backend-work"

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
  status="$(curl -sf -H "Authorization: Bearer $token" "$backend/api/hedgehog/fabrics/lab" |
    node -pe 'const f=JSON.parse(require("fs").readFileSync(0)); f.status + " " + (f.lastSyncedCommit ?? "")' 2>/dev/null || true)"
  case "$status" in in_sync\ ?* | partial\ ?*) break ;; esac
  sleep 2
done
echo "fabric lab: $status"
case "$status" in in_sync\ ?* | partial\ ?*) ;; *) tail -50 "$work/app.log"; echo "FAIL: fabric lab did not sync"; exit 1 ;; esac
vpcs="$(curl -sf -H "Authorization: Bearer $token" "$backend/api/hedgehog/fabrics/lab/resources?kind=VPC" |
  node -pe 'const r=JSON.parse(require("fs").readFileSync(0)); (r.items ?? r).length')"
echo "VPCs in Git, read through the API: $vpcs"
[ "$vpcs" -gt 0 ] || { echo "FAIL: no VPC"; exit 1; }

step "the Fabric tab renders in Chromium"
node scripts/adopter/screenshot.mjs "http://localhost:$app_port/catalog/default/resource/lab/hedgehog" "$app/fabric-tab.png"
echo
echo "adopter check passed: $app/fabric-tab.png"
