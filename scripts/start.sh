#!/usr/bin/env bash
# Installs everything and starts the app (backend :7007, frontend :3000) with the
# demo fabric on the embedded SQLite database. Open http://localhost:3000.
#
#   ./scripts/start.sh            the demo fabric without a cluster
#   ./scripts/start.sh --cluster  the demo fabric with a local Kubernetes API server
#                                 holding Hedgehog's CRDs (test/cluster: the first
#                                 start on a machine builds kube-apiserver, 6-8 minutes),
#                                 so plan, apply, drift and the live YAML work too
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
install_deps
if [ "${1:-}" = "--cluster" ]; then
  echo "start: the local test cluster (test/cluster/up)"
  details="$(test/cluster/up | tail -1)"
  cluster_json="$(node -e '
    const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(JSON.stringify([{ name: "demo-cluster", url: c.url, serviceAccountToken: c.adminToken, caData: c.caData }]));
  ' "$details")"
  export APP_CONFIG_hedgehog_clusters="$cluster_json"
  export APP_CONFIG_hedgehogDemo_cluster=demo-cluster
  echo "start: the demo fabric applies to cluster demo-cluster (stop it with test/cluster/down)"
fi
exec backstage-cli repo start
