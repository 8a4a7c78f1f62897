#!/usr/bin/env node
/*
 * Transcribes the SwitchProfiles built into Hedgehog (githedgehog/fabric
 * `pkg/ctrl/switchprofile`: catalog.go and p_*.go) into the JSON data files the
 * backend validates with when no cluster gives its SwitchProfiles
 * (plugins/hedgehog-backend/src/validation/builtInProfiles/data/).
 *
 * Usage: node scripts/transcribe-switch-profiles.mjs <git dir of githedgehog/fabric> [commit]
 *
 * Reads the Go sources with `git show` (a bare clone is enough), parses the Go
 * composite literals of each profile (keyed struct fields, map and slice literals,
 * constants from api/meta and silicons.go, references to another profile's spec
 * field, and the two `lo.OmitBy` filters the virtual-switch profiles use) and
 * writes each profile as the SwitchProfile object the cluster holds: JSON field
 * names from the json tags of api/wiring/v1beta1/switchprofile_types.go, zero
 * values left out as `omitempty` does. index.json records the repository, the
 * commit, the source file of each profile and which FabricConfig flag adds it.
 * Anything it does not understand is an error, never a guess.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [gitDir, commitArg = 'HEAD'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: transcribe-switch-profiles.mjs <git dir of githedgehog/fabric> [commit]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['-C', gitDir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', `${commitArg}^{commit}`).trim();
const commitDate = git('show', '-s', '--format=%cI', commit).trim();
const show = path => git('show', `${commit}:${path}`);
const DIR = 'pkg/ctrl/switchprofile';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'plugins/hedgehog-backend/src/validation/builtInProfiles/data');

// --- tokens -------------------------------------------------------------------
function tokenize(src) {
  const tokens = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) i++;
    else if (src.startsWith('//', i)) i = src.indexOf('\n', i) === -1 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('/*', i)) i = src.indexOf('*/', i) + 2;
    else if (c === '"') {
      let j = i + 1;
      while (src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      tokens.push({ t: 'str', v: JSON.parse(src.slice(i, j + 1)) });
      i = j + 1;
    } else if (c === '`') {
      const j = src.indexOf('`', i + 1);
      tokens.push({ t: 'str', v: src.slice(i + 1, j) });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+/.exec(src.slice(i))[0];
      tokens.push({ t: 'num', v: Number(m) });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(src.slice(i))[0];
      tokens.push({ t: 'id', v: m });
      i += m.length;
    } else if (src.startsWith('!=', i) || src.startsWith('==', i) || src.startsWith(':=', i)) {
      tokens.push({ t: 'p', v: src.slice(i, i + 2) });
      i += 2;
    } else {
      tokens.push({ t: 'p', v: c });
      i++;
    }
  }
  return tokens;
}

// --- constants: api/meta and silicons.go ----------------------------------------
const constants = new Map();
function readConstants(path, prefix) {
  for (const m of show(path).matchAll(/^\s*([A-Z][A-Za-z0-9_]*)\s+(?:[A-Za-z.]+\s+)?=\s+"([^"]*)"/gm)) {
    constants.set(prefix + m[1], m[2]);
  }
}
readConstants('api/meta/types.go', 'meta.');
readConstants(`${DIR}/silicons.go`, '');
readConstants('api/wiring/v1beta1/switchprofile_types.go', 'wiringapi.');

// --- json tags of the SwitchProfile types --------------------------------------
// kmetav1.ObjectMeta's Name, and the embedded ObjectMeta itself (read as objectMeta.name)
const jsonTags = new Map([['Name', 'name'], ['ObjectMeta', 'objectMeta']]);
for (const m of show('api/wiring/v1beta1/switchprofile_types.go').matchAll(/^\s*([A-Z][A-Za-z0-9]*)\s+[^\s`]+\s+`json:"([A-Za-z0-9]+)[,"]/gm)) {
  if (jsonTags.has(m[1]) && jsonTags.get(m[1]) !== m[2]) throw new Error(`field ${m[1]} has two json tags`);
  jsonTags.set(m[1], m[2]);
}

// --- Go composite literals -----------------------------------------------------
const profilesByVar = new Map(); // Go variable -> SwitchProfile object
const pending = new Map(); // Go variable -> { tokens, file }

class Parser {
  constructor(tokens, file) {
    this.tokens = tokens;
    this.i = 0;
    this.file = file;
  }
  peek(o = 0) {
    return this.tokens[this.i + o];
  }
  next() {
    return this.tokens[this.i++];
  }
  expect(v) {
    const tok = this.next();
    if (!tok || tok.v !== v) throw new Error(`${this.file}: expected ${v}, found ${tok ? tok.v : 'the end'}`);
    return tok;
  }
  /** A type before `{`: `pkg.Type`, `map[string]pkg.Type`, `[]string`, optionally after `&`. */
  type() {
    if (this.peek().v === '&') this.next();
    if (this.peek().v === '[') {
      this.expect('[');
      this.expect(']');
      return { kind: 'slice', elem: this.next().v };
    }
    if (this.peek().v === 'map') {
      this.next();
      this.expect('[');
      this.next();
      this.expect(']');
      return { kind: 'map', elem: this.next().v };
    }
    return { kind: 'struct', name: this.next().v };
  }
  /** A value, with Go's string concatenation (`"QSFP28-100G" + wiringapi.NonBreakoutPortExceptionSuffix`). */
  value() {
    let v = this.primary();
    while (this.peek().v === '+') {
      this.next();
      const more = this.primary();
      if (typeof v !== 'string' || typeof more !== 'string') throw new Error(`${this.file}: + of non-strings`);
      v += more;
    }
    return v;
  }
  primary() {
    const tok = this.peek();
    if (tok.t === 'str' || tok.t === 'num') return this.next().v;
    if (tok.v === '{') return this.braced({ kind: 'elided' });
    if (tok.v === '&' || tok.v === '[' || tok.v === 'map') return this.braced(this.type());
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false') return this.next().v === 'true';
      if (tok.v === 'lo.OmitBy') return this.omitBy();
      if (this.peek(1)?.v === '{') return this.braced(this.type());
      this.next();
      return this.reference(tok.v);
    }
    throw new Error(`${this.file}: unexpected ${tok.v}`);
  }
  /** A constant, or `<Profile>.Spec.<Field>` of another profile. */
  reference(name) {
    if (constants.has(name)) return constants.get(name);
    const m = /^([A-Za-z0-9]+)\.Spec\.([A-Za-z0-9]+)$/.exec(name);
    if (m) {
      const spec = profile(m[1]).spec;
      const tag = jsonTags.get(m[2]);
      if (!tag) throw new Error(`${this.file}: unknown field ${m[2]}`);
      return structuredClone(spec[tag]);
    }
    throw new Error(`${this.file}: unknown identifier ${name}`);
  }
  /** `lo.OmitBy(<map>, func(...) bool { return <p>.<Field> != "" | nil })`: the map without the entries whose field is set. */
  omitBy() {
    this.expect('lo.OmitBy');
    this.expect('(');
    const map = this.value();
    this.expect(',');
    this.expect('func');
    this.expect('(');
    while (this.peek().v !== ')') this.next();
    this.expect(')');
    this.expect('bool');
    this.expect('{');
    this.expect('return');
    const field = /^[a-z]+\.([A-Za-z]+)$/.exec(this.next().v)?.[1];
    this.expect('!=');
    const zero = this.next().v;
    this.expect('}');
    this.expect(')');
    const tag = jsonTags.get(field);
    if (!tag || !['', 'nil'].includes(zero)) throw new Error(`${this.file}: unsupported lo.OmitBy predicate`);
    return Object.fromEntries(Object.entries(map).filter(([, v]) => v[tag] === undefined));
  }
  braced(type) {
    this.expect('{');
    const keyed = {};
    const items = [];
    while (this.peek().v !== '}') {
      if (this.peek().t === 'id' && this.peek(1)?.v === ':') {
        // a struct field
        const field = this.next().v;
        this.expect(':');
        const v = this.value();
        const tag = jsonTags.get(field);
        if (!tag) throw new Error(`${this.file}: unknown field ${field}`);
        if (v !== undefined && !isZero(v)) keyed[tag] = v;
      } else {
        const v = this.value();
        if (this.peek().v === ':') {
          // a map key
          this.next();
          if (typeof v !== 'string') throw new Error(`${this.file}: map key ${v} is not a string`);
          keyed[v] = this.value();
        } else items.push(v);
      }
      if (this.peek().v === ',') this.next();
    }
    this.expect('}');
    if (items.length && Object.keys(keyed).length) throw new Error(`${this.file}: mixed literal`);
    return items.length || type.kind === 'slice' ? items : keyed;
  }
}

/** What `omitempty` leaves out. */
const isZero = v => v === false || v === '' || v === 0 || (Array.isArray(v) && v.length === 0);

function profile(goVar) {
  if (profilesByVar.has(goVar)) return profilesByVar.get(goVar);
  const p = pending.get(goVar);
  if (!p) throw new Error(`no profile variable ${goVar}`);
  pending.delete(goVar);
  const parser = new Parser(p.tokens, p.file);
  parser.expect('wiringapi.SwitchProfile');
  const literal = parser.braced({ kind: 'struct' });
  const object = {
    apiVersion: 'wiring.githedgehog.com/v1beta1',
    kind: 'SwitchProfile',
    metadata: { name: literal.objectMeta?.name },
    spec: literal.spec,
  };
  if (!object.metadata.name || !object.spec) throw new Error(`${p.file}: ${goVar} has no name or spec`);
  profilesByVar.set(goVar, { ...object, goVar, source: p.file });
  return profilesByVar.get(goVar);
}


const files = git('ls-tree', '--name-only', `${commit}:${DIR}`).split('\n').filter(f => /^p_.*\.go$/.test(f));
for (const file of files) {
  const tokens = tokenize(show(`${DIR}/${file}`));
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].v === 'var' && tokens[i + 2]?.v === '=' && tokens[i + 3]?.v === 'wiringapi.SwitchProfile') {
      // the literal runs to its matching brace
      let depth = 0;
      let j = i + 4;
      do {
        if (tokens[j].v === '{') depth++;
        if (tokens[j].v === '}') depth--;
        j++;
      } while (depth > 0);
      pending.set(tokens[i + 1].v, { tokens: tokens.slice(i + 3, j), file: `${DIR}/${file}` });
    }
  }
}
for (const goVar of [...pending.keys()]) if (pending.has(goVar)) profile(goVar);

// --- catalog.go: which profiles each FabricConfig flag adds ----------------------
const catalog = show(`${DIR}/catalog.go`);
const listOf = goVar => {
  const m = new RegExp(`var ${goVar} = \\[\\]wiringapi\\.SwitchProfile\\{([^}]*)\\}`).exec(catalog);
  if (!m) throw new Error(`catalog.go has no ${goVar}`);
  return m[1].split(',').map(s => s.trim()).filter(Boolean).map(v => profile(v).metadata.name);
};
const sets = {
  default: listOf('defaultSwitchProfiles'),
  includeSONiCCLSPlus: listOf('sonicCLSPlusSwitchProfiles'),
  includeCumulus: listOf('cumulusSwitchProfiles'),
};
for (const flag of ['IncludeSONiCCLSPlus', 'IncludeCumulus']) {
  if (!catalog.includes(`cfg.${flag}`)) throw new Error(`catalog.go no longer reads ${flag}`);
}

// --- write ------------------------------------------------------------------------
/** JSON with an object or list of plain values on one line (a port, a breakout mode), as the Go source reads. */
function format(v, indent = '') {
  const flat = x => x === null || typeof x !== 'object';
  const oneLine = x => {
    if (flat(x)) return JSON.stringify(x);
    if (Array.isArray(x)) return `[${x.map(oneLine).join(', ')}]`;
    const e = Object.entries(x);
    return e.length ? `{ ${e.map(([k, y]) => `${JSON.stringify(k)}: ${oneLine(y)}`).join(', ')} }` : '{}';
  };
  const values = Array.isArray(v) ? v : Object.values(v);
  if (flat(v) || values.every(x => flat(x) || (Array.isArray(x) && x.every(flat)))) {
    const line = oneLine(v);
    if (line.length <= 160) return line;
  }
  const inner = `${indent}  `;
  const items = Array.isArray(v)
    ? v.map(x => `${inner}${format(x, inner)}`)
    : Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${format(x, inner)}`);
  return Array.isArray(v) ? `[\n${items.join(',\n')}\n${indent}]` : `{\n${items.join(',\n')}\n${indent}}`;
}

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const profiles = {};
for (const p of [...profilesByVar.values()].sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))) {
  const { apiVersion, kind, metadata, spec, source } = p;
  const file = `${metadata.name}.json`;
  writeFileSync(join(OUT, file), `${format({ apiVersion, kind, metadata, spec })}\n`);
  profiles[metadata.name] = { file, source };
}
const index = {
  description: 'The SwitchProfiles built into Hedgehog, transcribed by scripts/transcribe-switch-profiles.mjs',
  repository: 'https://github.com/githedgehog/fabric',
  commit,
  commitDate,
  catalog: `${DIR}/catalog.go`,
  sets,
  profiles,
};
writeFileSync(join(OUT, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
console.log(`${Object.keys(profiles).length} profiles from ${commit} written to ${OUT} (${readdirSync(OUT).length} files)`);
