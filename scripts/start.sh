#!/usr/bin/env bash
# Installs everything and starts the app (backend :7007, frontend :3000) with the
# demo fabric on the embedded SQLite database. Open http://localhost:3000.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"
install_deps
exec backstage-cli repo start
