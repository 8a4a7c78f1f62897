#!/usr/bin/env bash
# Builds every package under plugins/ the way it is published
# (`backstage-cli package build`, then `npm pack`, whose prepack step points the
# package.json at dist/) and checks each tarball holds exactly what an adopter's
# app needs at run time: package.json, README.md, dist/ (no tests, no sources),
# migrations/ for the backend plugin, config.schema.json where the package has a
# config.d.ts; and that every entry point the packed package.json names is in it.
#   scripts/pack-check.sh [--keep DIR]   # --keep: leave the tarballs in DIR
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$ROOT"

out=""
if [ "${1:-}" = "--keep" ]; then out="$2"; mkdir -p "$out"; out="$(cd "$out" && pwd)"; fi
work="$(mktemp -d)"
restore() {
  # An interrupted pack leaves the rewritten package.json: put the original back.
  for p in plugins/*/; do
    [ -f "$p/package.json-prepack" ] && (cd "$p" && backstage-cli package postpack >/dev/null 2>&1 || true)
  done
  rm -rf "$work"
}
trap restore EXIT

echo "== declarations (tsc)"
tsc --outDir dist-types

fail=0
for dir in plugins/*/; do
  dir="${dir%/}"
  name="$(node -p 'require("./'"$dir"'/package.json").name')"
  before="$(sha256sum "$dir/package.json")"
  (cd "$dir" && backstage-cli package build >"$work/build.log" 2>&1) || {
    cat "$work/build.log"; echo "FAIL $name: build"; fail=1; continue
  }
  (cd "$dir" && npm pack --json --pack-destination "$work" 2>"$work/pack.log" >"$work/pack.json") || {
    cat "$work/pack.log"; echo "FAIL $name: npm pack"; fail=1; continue
  }
  if [ "$(sha256sum "$dir/package.json")" != "$before" ]; then
    echo "FAIL $name: package.json not restored after packing"; fail=1
  fi
  tgz="$work/$(node -p 'require(process.argv[1])[0].filename' "$work/pack.json")"
  node - "$dir" "$tgz" <<'NODE' || fail=1
const [dir, tgz] = process.argv.slice(2);
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const src = JSON.parse(fs.readFileSync(`${dir}/package.json`, 'utf8'));
const files = execFileSync('tar', ['tzf', tgz], { encoding: 'utf8' })
  .split('\n').filter(Boolean).map(f => f.replace(/^package\//, ''));
const packed = JSON.parse(execFileSync('tar', ['xzf', tgz, '-O', 'package/package.json'], { encoding: 'utf8' }));
const problems = [];
const allowed = f =>
  f === 'package.json' || f === 'README.md' || f.startsWith('dist/') ||
  (f === 'config.schema.json' && !!src.configSchema) ||
  (/^migrations\/[^/]+\.js$/.test(f) && fs.existsSync(`${dir}/migrations`));
for (const f of files) {
  if (!allowed(f)) problems.push(`unexpected file ${f}`);
  if (/(\.test\.|__fixtures__|__testUtils__|setupTests)/.test(f)) problems.push(`test file ${f}`);
}
const must = ['package.json', 'README.md', 'dist/index.d.ts'];
if (src.configSchema) must.push('config.schema.json');
if (fs.existsSync(`${dir}/migrations`)) {
  for (const m of fs.readdirSync(`${dir}/migrations`)) must.push(`migrations/${m}`);
}
// every entry point of the packed package.json
const targets = [packed.main, packed.module, packed.types];
for (const v of Object.values(packed.exports ?? {})) {
  if (typeof v === 'string') targets.push(v);
  else targets.push(...Object.values(v));
}
for (const t of targets.filter(t => typeof t === 'string' && /^(\.\/)?dist\//.test(t))) {
  must.push(t.replace(/^\.\//, ''));
}
for (const m of must) if (!files.includes(m)) problems.push(`missing ${m}`);
if (/^src\//.test(packed.main ?? '') || /^src\//.test(packed.types ?? '')) problems.push(`package.json still points at src/`);
for (const k of ['repository', 'homepage', 'license', 'keywords']) if (!src[k]) problems.push(`no ${k} in package.json`);
if (src.repository && src.repository.directory !== dir) problems.push(`repository.directory is not ${dir}`);
// a sibling package is wanted in a range its current version satisfies (never "*", which would
// let an adopter's install mix releases that share types and the API)
for (const field of ['dependencies', 'peerDependencies']) {
  for (const [n, range] of Object.entries(packed[field] ?? {})) {
    if (!n.startsWith('@fabric-gitops/')) continue;
    const sibling = fs.readdirSync('plugins').map(d => `plugins/${d}/package.json`)
      .filter(f => fs.existsSync(f)).map(f => JSON.parse(fs.readFileSync(f, 'utf8'))).find(p => p.name === n);
    if (!sibling) problems.push(`${field} ${n}: no such package in plugins/`);
    else if (!range.startsWith('^') || !require('semver').satisfies(sibling.version, range))
      problems.push(`${field} ${n}: "${range}" (want ^${sibling.version}, the release line of this repository)`);
  }
}
if (problems.length) {
  console.log(`FAIL ${src.name}:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`ok ${src.name}: ${files.length} files`);
NODE
  [ -n "$out" ] && cp "$tgz" "$out/"
done
[ $fail -eq 0 ] && echo "all packages pack cleanly" || { echo "pack check failed"; exit 1; }
