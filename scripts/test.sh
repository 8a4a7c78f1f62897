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

# A real kube-apiserver with the Hedgehog CRDs for the cluster tests: built once
# from Debian packages (cached under ~/.cache/fabric-gitops), started on loopback.
echo "== test cluster"
trap 'test/cluster/down >/dev/null 2>&1 || true' EXIT
test/cluster/up >/dev/null

echo "== tests"
out="$(mktemp -d)/jest.json"
rc=0
backstage-cli repo test --json --outputFile="$out" "$@" || rc=$?
node -e '
  const r = require(process.argv[1]);
  console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$out" || true
exit $rc
