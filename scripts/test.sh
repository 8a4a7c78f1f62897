#!/usr/bin/env bash
# Installs everything and runs the whole test suite: type check, then every
# package's tests (unit, integration against real Git servers on loopback,
# SQLite and the local PostgreSQL). Prints "N passed, N failed, N skipped".
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
install_deps

export CI=true BACKSTAGE_TEST_DISABLE_DOCKER=1
if [ -z "${BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:-}" ] &&
  (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING=postgresql://postgres@127.0.0.1:5432
fi

echo "== type check"
tsc --noEmit
# The test workspace (servers, reliability suite, benchmarks) with the product it drives.
tsc -p test

echo "== lint"
backstage-cli repo lint

# Every package built and packed as published; the tarballs hold only what runs.
echo "== pack"
./scripts/pack-check.sh

# The public surface of every package matches its checked-in report.api.md
# (`npm run build:api-reports` rewrites them after a deliberate change).
echo "== API reports"
npm run --silent api-reports:check

# A real kube-apiserver with the Hedgehog CRDs for the cluster tests: built once
# from Debian packages (cached under ~/.cache/fabric-gitops), started on loopback.
echo "== test cluster"
trap 'test/cluster/down >/dev/null 2>&1 || true' EXIT
test/cluster/up >/dev/null

echo "== tests"
work="$(mktemp -d)"
rc=0
backstage-cli repo test --json --outputFile="$work/jest.json" "$@" || rc=$?

# Browser end-to-end tests (headless Debian Chromium), unless only some tests were asked for.
e2e_passed=0 e2e_failed=0
if [ $# -eq 0 ]; then
  echo "== end-to-end (browser)"
  if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the browser tests ..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 || true
  fi
  ./scripts/e2e.sh 2>&1 | tee "$work/e2e.log" || rc=1
  line="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$work/e2e.log" | tail -1 || true)"
  e2e_passed="$(echo "$line" | sed -E 's/^([0-9]+) passed.*/\1/')"
  e2e_failed="$(echo "$line" | sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/')"
  if [ -z "$line" ]; then e2e_passed=0; e2e_failed=1; rc=1; fi
fi

echo "== summary"
node -e '
  const r = require(process.argv[1]);
  const p = r.numPassedTests + Number(process.argv[2]);
  // A file whose hooks failed (beforeAll/afterAll) counts as one failure even when its tests passed.
  const broken = r.numRuntimeErrorTestSuites ?? 0;
  const f = r.numFailedTests + broken + Number(process.argv[3]);
  const note = broken ? ` (${broken} test file(s) failed to run or to clean up)` : "";
  console.log(`${p} passed, ${f} failed, ${r.numPendingTests} skipped${note}`);
' "$work/jest.json" "${e2e_passed:-0}" "${e2e_failed:-0}" || true
exit $rc
