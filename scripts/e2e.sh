#!/usr/bin/env bash
# End-to-end tests in a real browser: starts the app (`backstage-cli repo start`,
# backend :7007 + frontend :3000) in its own process group with the demo fabric on
# a throwaway Git repository, waits until both answer, runs test/e2e/run.ts in
# headless Chromium (/usr/bin/chromium, or $CHROMIUM), then stops the app.
# Prints "N passed, N failed"; exits non-zero on any failure.
# Screenshots and the app's log: test/e2e/artifacts/.
set -uo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

ARTIFACTS="$ROOT/test/e2e/artifacts"
export E2E_ARTIFACTS="$ARTIFACTS"
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
STARTUP_TIMEOUT="${E2E_STARTUP_TIMEOUT:-300}"
started=$(date +%s)

fail() {
  echo "e2e: $*" >&2
  echo "0 passed, 1 failed"
  exit 1
}

if [ ! -x "$CHROMIUM" ]; then
  fail "no Chromium at $CHROMIUM; install it with: apt-get update && apt-get install -y chromium"
fi
# Other ports than 7007 and 3000 (e.g. when another copy of the app runs): E2E_BACKEND_PORT, E2E_APP_PORT.
BACKEND_PORT="${E2E_BACKEND_PORT:-7007}"
APP_PORT="${E2E_APP_PORT:-3000}"
for port in "$BACKEND_PORT" "$APP_PORT"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port is in use (is the app already running?); stop it first, or choose E2E_BACKEND_PORT / E2E_APP_PORT"
  fi
done
export E2E_APP_URL="http://localhost:$APP_PORT" E2E_BACKEND_URL="http://localhost:$BACKEND_PORT"
if [ "$BACKEND_PORT" != 7007 ] || [ "$APP_PORT" != 3000 ]; then
  export APP_CONFIG_backend_listen_port="$BACKEND_PORT" APP_CONFIG_backend_baseUrl="$E2E_BACKEND_URL"
  export APP_CONFIG_app_baseUrl="$E2E_APP_URL" APP_CONFIG_backend_cors_origin="$E2E_APP_URL"
fi

# Dependencies are expected to be installed (scripts/start.sh or test.sh do that).
[ -x "$ROOT/node_modules/.bin/backstage-cli" ] || fail "dependencies are not installed; run scripts/test.sh or npm install first"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/hedgehog-e2e.XXXXXX")"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png
LOG="$ARTIFACTS/app.log"
# The demo fabric's repository is created here, never in the developer's cache.
export APP_CONFIG_hedgehogDemo_repository="$WORK/demo.git"
export E2E_DEMO_REPO="$WORK/demo.git"
# A database of their own, empty at every run (the development one is kept in .cache/backstage-db).
export APP_CONFIG_backend_database_connection_directory="$WORK/db"
# The "New Hedgehog fabric" template's local repositories (Demo app only), and the catalog
# fabric policy that lets the catalog fabrics use them.
export APP_CONFIG_hedgehogDemo_publishRoot="$WORK/published"
export APP_CONFIG_hedgehog_catalogFabrics_repositories="[\"file://$WORK/published/*.git\"]"

FIXTURE_PID=""
stop_fixture() {
  [ -n "$FIXTURE_PID" ] || return 0
  kill -TERM "$FIXTURE_PID" 2>/dev/null && wait "$FIXTURE_PID" 2>/dev/null
  FIXTURE_PID=""
}

APP_PID=""
stop_app() {
  [ -n "$APP_PID" ] || return 0
  if kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM -- "-$APP_PID" 2>/dev/null
    for _ in $(seq 1 30); do
      kill -0 -- "-$APP_PID" 2>/dev/null || break
      sleep 1
    done
    kill -KILL -- "-$APP_PID" 2>/dev/null
  fi
  APP_PID=""
}
cleanup() {
  stop_app
  stop_fixture
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Fabric `lab` of the pull-request tests: a loopback GitHub (Git server and REST
# API) and the test cluster (test/cluster/up reuses a running one; the first start
# on a machine builds it). test/github/e2eFixture.ts writes the app-config they
# need, which reaches the app through APP_CONFIG_ variables.
echo "e2e: test cluster and GitHub fixture"
test/cluster/up >"$ARTIFACTS/cluster-up.log" 2>&1 || fail "the test cluster did not start (see $ARTIFACTS/cluster-up.log)"
FIXTURE_JSON="$WORK/github-fixture.json"
node --require "$ROOT/node_modules/@backstage/cli/config/nodeTransform.cjs" test/github/e2eFixture.ts "$FIXTURE_JSON" \
  >"$ARTIFACTS/github-fixture.log" 2>&1 &
FIXTURE_PID=$!
for _ in $(seq 1 120); do
  [ -s "$FIXTURE_JSON" ] && break
  kill -0 "$FIXTURE_PID" 2>/dev/null || { cat "$ARTIFACTS/github-fixture.log" >&2; fail "the GitHub fixture exited"; }
  sleep 0.5
done
[ -s "$FIXTURE_JSON" ] || fail "the GitHub fixture did not start (see $ARTIFACTS/github-fixture.log)"
fixture() { node -e 'const c = require(process.argv[1]); console.log(JSON.stringify(process.argv[2].split(".").reduce((o, k) => o[k], c)))' "$FIXTURE_JSON" "$1"; }
export APP_CONFIG_integrations_github="$(fixture integrations.github)"
export APP_CONFIG_hedgehog_clusters="$(fixture hedgehog.clusters)"
export APP_CONFIG_hedgehog_fabrics="$(fixture hedgehog.fabrics)"
E2E_LAB_FABRIC="$(fixture e2e.fabric | tr -d '"')"
E2E_LIVE_VPC="$(fixture e2e.liveVpc | tr -d '"')"
E2E_SCALE_FABRIC="$(fixture e2e.scaleFabric | tr -d '"')"
E2E_LARGE_FABRIC="$(fixture e2e.largeFabric | tr -d '"')"
E2E_DRIFTED_FABRIC="$(fixture e2e.driftedFabric | tr -d '"')"
E2E_DRIFTED_VPC="$(fixture e2e.driftedVpc | tr -d '"')"
E2E_PLANNED_VPC="$(fixture e2e.plannedVpc | tr -d '"')"
export E2E_LAB_FABRIC E2E_LIVE_VPC E2E_SCALE_FABRIC E2E_LARGE_FABRIC E2E_DRIFTED_FABRIC E2E_DRIFTED_VPC E2E_PLANNED_VPC

echo "e2e: starting the app (log: $LOG)"
# Job control puts the app in its own process group (pgid = its pid), so the
# whole tree (backend, frontend dev server, their children) stops together.
set -m
backstage-cli repo start </dev/null >"$LOG" 2>&1 &
APP_PID=$!
set +m

wait_for() {
  local what="$1" url="$2" deadline=$((SECONDS + STARTUP_TIMEOUT))
  until curl -sf -o /dev/null "$url"; do
    kill -0 "$APP_PID" 2>/dev/null || { tail -40 "$LOG" >&2; fail "the app exited while waiting for $what"; }
    [ "$SECONDS" -lt "$deadline" ] || { tail -40 "$LOG" >&2; fail "timed out after ${STARTUP_TIMEOUT}s waiting for $what ($url)"; }
    sleep 1
  done
}
wait_for "the backend" "$E2E_BACKEND_URL/.backstage/health/v1/readiness"
wait_for "the frontend" "$E2E_APP_URL"
echo "e2e: app ready after $(( $(date +%s) - started ))s"

rc=0
out="$WORK/e2e.out"
node test/e2e/run.ts 2>&1 | tee "$out"
rc=${PIPESTATUS[0]}
stop_fixture
if ! grep -Eq '^[0-9]+ passed, [0-9]+ failed$' "$out"; then
  echo "0 passed, 1 failed"
  [ "$rc" -ne 0 ] || rc=1
fi
stop_app
restarts=$(grep -ac 'Change detected, restarting' "$LOG" || true)
if [ "${restarts:-0}" -gt 0 ]; then
  echo "e2e: note: the dev backend restarted $restarts time(s) during the run (source files changed)"
fi
echo "e2e: done in $(( $(date +%s) - started ))s"
exit $rc
