import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { stringify } from 'yaml';
import { ManagedDocument, classifyDocument } from './classify';
import {
  KEEP_FILE,
  LEGACY_HNP_DIR,
  MANAGED_DIR,
  RAW_DIR,
  REASON_SUFFIX,
  UNMANAGED_DIR,
  isUnder,
  isYamlFileName,
  layoutFiles,
  managedPath,
} from './layout';
import { canonicalResource, contentKey, renderResource, sourceOf, SourceRef } from './normalize';
import { ManagedFileMemo, ParsedFile } from './parse';
import { TreeEntry, isRegularFile } from './tree';

/** A resource of the desired state after the plan is carried out. */
export interface PlannedResource {
  kind: string;
  name: string;
  gitPath: string;
  object: Record<string, unknown>;
  source?: SourceRef;
}

/** Why an entry of `unmanaged/` is there. */
export interface UnmanagedReason {
  document?: number;
  rule: string;
  message: string;
}

/** A resource defined more than once. */
export interface Conflict {
  kind: string;
  name: string;
  /** Every file (raw or managed) that defines it. */
  files: string[];
  message: string;
}

/** What a sync will change in the fabric directory, and the resulting desired state. */
export interface IngestPlan {
  writes: Array<{ path: string; content: string }>;
  /** Entries moved verbatim (same blob, same mode). */
  moves: Array<{ from: string; to: string }>;
  deletes: string[];
  resources: PlannedResource[];
  conflicts: Conflict[];
  findings: Finding[];
  /** One line per thing that happened, for the commit message and the run. */
  log: string[];
  counts: {
    rawFiles: number;
    ingestedFiles: number;
    unmanagedFiles: number;
    conflictFiles: number;
    resourcesCreated: number;
    resourcesUnchanged: number;
    managedRewritten: number;
    layoutRepaired: number;
  };
  legacyLayout: boolean;
}

/** Input of the planner: the fabric directory's files and the parsed YAML of some. */
export interface PlanInput {
  fabricName: string;
  entries: TreeEntry[];
  /** The parsed content of a regular YAML file under raw/ or managed/. */
  parsed(entry: TreeEntry): ParsedFile;
}

/** The entries whose content the planner reads (the caller parses them). */
export function entriesToParse(entries: TreeEntry[]): TreeEntry[] {
  return entries.filter(
    e =>
      isRegularFile(e) &&
      isYamlFileName(e.path) &&
      (isUnder(e.path, RAW_DIR) || isUnder(e.path, MANAGED_DIR)),
  );
}

interface RawDoc {
  file: string;
  index: number;
  doc: ManagedDocument;
  canonical: Record<string, unknown>;
  key: string;
}

const key = (kind: string, name: string) => `${kind}/${name}`;

/**
 * Plans one sync of a fabric directory (DESIGN.md section 4). Pure: the same
 * input always gives the same plan, and a plan carried out and planned again
 * gives an empty plan.
 */
export function planIngestion(input: PlanInput): IngestPlan {
  const plan: IngestPlan = {
    writes: [],
    moves: [],
    deletes: [],
    resources: [],
    conflicts: [],
    findings: [],
    log: [],
    counts: {
      rawFiles: 0,
      ingestedFiles: 0,
      unmanagedFiles: 0,
      conflictFiles: 0,
      resourcesCreated: 0,
      resourcesUnchanged: 0,
      managedRewritten: 0,
      layoutRepaired: 0,
    },
    legacyLayout: false,
  };
  const byPath = new Map(input.entries.map(e => [e.path, e]));
  const taken = new Set(byPath.keys());
  const sorted = [...input.entries].sort((a, b) => cmp(a.path, b.path));

  plan.legacyLayout = sorted.some(e => isUnder(e.path, LEGACY_HNP_DIR));
  if (plan.legacyLayout) {
    plan.log.push(`recognised the layout of the earlier NetBox plugin (${LEGACY_HNP_DIR}/)`);
  }

  const managed = planManaged(input, sorted, plan, taken);
  planRaw(input, sorted, plan, managed, taken, byPath);

  for (const file of layoutFiles(input.fabricName)) {
    if (!taken.has(file.path)) {
      plan.writes.push(file);
      taken.add(file.path);
      plan.counts.layoutRepaired++;
    }
  }
  if (plan.counts.layoutRepaired > 0) {
    plan.log.push(`created ${plan.counts.layoutRepaired} missing file(s) of the directory layout`);
  }
  // A path written by this plan is not also deleted (a managed file moved away
  // whose old path is the canonical path of another resource).
  const written = new Set(plan.writes.map(w => w.path));
  plan.deletes = plan.deletes.filter(p => !written.has(p));
  plan.resources = [...managed.values()].sort((a, b) =>
    cmp(a.kind, b.kind) || cmp(a.name, b.name),
  );
  return plan;
}

/** Reads managed/: every valid resource, normalized and at its canonical path. */
function planManaged(
  input: PlanInput,
  sorted: TreeEntry[],
  plan: IngestPlan,
  taken: Set<string>,
): Map<string, PlannedResource> {
  const result = new Map<string, PlannedResource>();
  const candidates: Candidate[] = [];
  for (const entry of sorted) {
    if (!isUnder(entry.path, MANAGED_DIR) || baseName(entry.path) === KEEP_FILE) continue;
    if (!isRegularFile(entry) || !isYamlFileName(entry.path)) {
      plan.findings.push({
        severity: 'warning',
        rule: 'managed.not-yaml',
        file: entry.path,
        path: '',
        message: `${entry.path} is not a YAML file; it is ignored (move it out of ${MANAGED_DIR}/)`,
      });
      continue;
    }
    const parsed = input.parsed(entry);
    // Classified once per blob (the memo lives on the cached parsed file).
    const memo = parsed.ok ? parsed.managed ?? readManagedFile(parsed) : undefined;
    if (memo && parsed.ok) {
      candidates.push({ entry, parsed, memo });
      continue;
    }
    const problem = (rule: string, message: string, document?: number, path = '') =>
      plan.findings.push({ severity: 'error', rule, file: entry.path, document, path, message });
    if (!parsed.ok) {
      problem('managed.unreadable', `${entry.path}: ${parsed.reason}`);
      continue;
    }
    const docs = parsed.documents.filter(d => !d.empty);
    if (docs.length !== 1) {
      problem(
        'managed.not-single',
        `${entry.path} holds ${docs.length} documents; a managed file holds exactly one resource (put multi-document files into ${RAW_DIR}/)`,
      );
      continue;
    }
    const [d] = docs;
    if (d.error) {
      problem('managed.yaml', `${entry.path}: ${d.error}`, d.index);
      continue;
    }
    const cls = classifyDocument(d.value);
    if (cls.type !== 'managed') {
      const message = cls.type === 'empty' ? 'empty document' : cls.message;
      const rule = cls.type === 'empty' ? 'empty' : cls.rule;
      problem(`managed.${rule}`, `${entry.path}: ${message}`, d.index, cls.type === 'unmanaged' ? cls.path : '');
    }
    // (a single valid managed document was taken by readManagedFile above)
  }

  // A file already at its canonical path wins over copies elsewhere.
  candidates.sort(
    (a, b) =>
      Number(b.entry.path === b.memo.target) - Number(a.entry.path === a.memo.target) || cmp(a.entry.path, b.entry.path),
  );
  const winners: Candidate[] = [];
  const seen = new Map<string, string[]>();
  for (const c of candidates) {
    const k = c.memo.key;
    const files = seen.get(k);
    if (files) {
      files.push(c.entry.path);
    } else {
      seen.set(k, [c.entry.path]);
      winners.push(c);
    }
  }

  // Files not at their canonical path move there. A move frees the old path, so a
  // target held by a file that moves away (a rename chain, or two files that swap
  // names) is free; a target held by a file that stays blocks the move, and the
  // blocked file then stays too (which may block another move).
  const moving = new Set(winners.filter(c => c.entry.path !== c.memo.target));
  for (let changed = true; changed; ) {
    changed = false;
    const leaving = new Set([...moving].map(c => c.entry.path));
    for (const c of [...moving]) {
      if (taken.has(c.memo.target) && !leaving.has(c.memo.target)) {
        moving.delete(c);
        changed = true;
      }
    }
  }
  const movedTo = new Set([...moving].map(c => c.memo.target));

  for (const c of winners) {
    const { doc, canonical, source, key: k, target } = c.memo;
    let gitPath = target;
    // Rendered only when needed: a file known to be canonical is not rendered again.
    const text = () => renderResource(canonical);
    if (c.entry.path !== target && !moving.has(c)) {
      // Kept where it is (and still part of the desired state), reported.
      gitPath = c.entry.path;
      plan.findings.push({
        severity: 'error',
        rule: 'managed.path-taken',
        file: c.entry.path,
        path: 'metadata.name',
        message: `${doc.kind.kind} ${doc.name} belongs in ${target}, which holds another file; it stays in ${c.entry.path} until that file is moved`,
      });
    } else if (c.entry.path !== target) {
      plan.writes.push({ path: target, content: text() });
      if (!movedTo.has(c.entry.path)) {
        plan.deletes.push(c.entry.path);
        taken.delete(c.entry.path);
      }
      taken.add(target);
      plan.counts.managedRewritten++;
      plan.log.push(`moved ${c.entry.path} to ${target}`);
    } else if (!isCanonical(c.parsed, text)) {
      plan.writes.push({ path: target, content: text() });
      plan.counts.managedRewritten++;
      plan.log.push(`normalized ${target}`);
    }
    result.set(k, {
      kind: doc.kind.kind,
      name: doc.name,
      gitPath,
      object: canonical,
      source,
    });
  }
  for (const [k, files] of seen) {
    if (files.length < 2) continue;
    const [kind, name] = k.split('/');
    const message = `${kind} ${name} is defined by ${files.length} managed files (${files.join(', ')}); only ${files[0]} is used`;
    plan.conflicts.push({ kind, name, files, message });
    for (const file of files.slice(1)) {
      plan.findings.push({ severity: 'error', rule: 'conflict', file, path: 'metadata.name', message });
    }
  }
  return result;
}

function planRaw(
  input: PlanInput,
  sorted: TreeEntry[],
  plan: IngestPlan,
  managed: Map<string, PlannedResource>,
  taken: Set<string>,
  treeByPath: Map<string, TreeEntry>,
) {
  const rawEntries = sorted.filter(
    e => isUnder(e.path, RAW_DIR) && e.path !== `${RAW_DIR}/${KEEP_FILE}`,
  );
  plan.counts.rawFiles = rawEntries.length;
  const docsByFile = new Map<string, { docs: RawDoc[]; reasons: UnmanagedReason[] }>();
  const toUnmanaged = (entry: TreeEntry, reasons: UnmanagedReason[], documents?: unknown) =>
    moveToUnmanaged(plan, taken, treeByPath, entry, reasons, documents);

  for (const entry of rawEntries) {
    if (!isRegularFile(entry)) {
      const what = entry.mode === '120000' ? 'a symbolic link (never followed)' : `a Git entry of mode ${entry.mode}`;
      toUnmanaged(entry, [{ rule: 'not-a-file', message: `${entry.path} is ${what}` }]);
      continue;
    }
    if (!isYamlFileName(entry.path)) {
      const legacy = /\.archived(\.\d+)?$/.test(entry.path);
      toUnmanaged(entry, [
        legacy
          ? { rule: 'legacy-archive', message: 'raw file archived by the earlier NetBox plugin after it was ingested' }
          : { rule: 'not-yaml', message: 'not a YAML file (only *.yaml and *.yml are ingested)' },
      ]);
      continue;
    }
    const parsed = input.parsed(entry);
    if (!parsed.ok) {
      toUnmanaged(entry, [{ rule: 'unreadable', message: parsed.reason }]);
      continue;
    }
    const state = { docs: [] as RawDoc[], reasons: [] as UnmanagedReason[] };
    for (const d of parsed.documents) {
      if (d.empty) continue;
      if (d.error) {
        state.reasons.push({ document: d.index, rule: 'yaml', message: d.error });
        continue;
      }
      const cls = classifyDocument(d.value);
      if (cls.type === 'managed') {
        const source = { file: entry.path, document: d.index };
        const canonical = canonicalResource(cls, source);
        state.docs.push({ file: entry.path, index: d.index, doc: cls, canonical, key: key(cls.kind.kind, cls.name) });
      } else if (cls.type === 'unmanaged') {
        state.reasons.push({ document: d.index, rule: cls.rule, message: cls.message });
      }
    }
    if (state.docs.length === 0 && state.reasons.length === 0) {
      state.reasons.push({ rule: 'no-documents', message: 'the file holds no YAML documents (only comments or nothing)' });
    }
    docsByFile.set(entry.path, state);
  }

  // Conflicts: a resource defined by two raw documents, or by a raw document and a
  // managed file with other content.
  const rawByKey = new Map<string, RawDoc[]>();
  for (const { docs } of docsByFile.values()) {
    for (const d of docs) rawByKey.set(d.key, [...(rawByKey.get(d.key) ?? []), d]);
  }
  const conflictFiles = new Set<string>();
  for (const [k, defs] of rawByKey) {
    const existing = managed.get(k);
    const differs = existing && defs.some(d => contentKey(d.canonical) !== contentKey(existing.object));
    // The resource's file exists but is no valid definition of it (unreadable,
    // several documents, another resource that cannot move): never overwrite it.
    const target = managedPath(defs[0].doc.kind, defs[0].doc.name);
    const occupied = !existing && taken.has(target);
    if (defs.length < 2 && !differs && !occupied) continue;
    const [kind, name] = k.split('/');
    const files = [...new Set(defs.map(d => d.file))];
    let message: string;
    if (defs.length > 1) {
      message = `${kind} ${name} is defined ${defs.length} times in ${RAW_DIR}/ (${defs.map(d => `${d.file}#${d.index}`).join(', ')}); nothing was overwritten and the file(s) stay in ${RAW_DIR}/`;
    } else if (existing) {
      message = `${kind} ${name} in ${files[0]} differs from ${existing.gitPath}; nothing was overwritten and the file stays in ${RAW_DIR}/ (edit the managed file, or remove the raw file)`;
    } else {
      message = `${kind} ${name} in ${files[0]} belongs in ${target}, which holds a file that is not a valid definition of it; nothing was overwritten and the file stays in ${RAW_DIR}/ (fix or remove ${target})`;
    }
    const others: string[] = [];
    if (existing) others.push(existing.gitPath);
    else if (occupied) others.push(target);
    plan.conflicts.push({ kind, name, files: [...files, ...others.filter(f => !files.includes(f))], message });
    for (const d of defs) {
      conflictFiles.add(d.file);
      plan.findings.push({ severity: 'error', rule: 'conflict', file: d.file, document: d.index, path: 'metadata.name', message });
    }
  }

  for (const entry of rawEntries) {
    const state = docsByFile.get(entry.path);
    if (!state) continue;
    if (conflictFiles.has(entry.path)) {
      plan.counts.conflictFiles++;
      plan.log.push(`left ${entry.path} in ${RAW_DIR}/: conflict`);
      continue;
    }
    const outcome: Array<Record<string, unknown>> = [];
    for (const d of state.docs) {
      const target = managedPath(d.doc.kind, d.doc.name);
      if (managed.has(d.key)) {
        plan.counts.resourcesUnchanged++;
        outcome.push({ index: d.index, kind: d.doc.kind.kind, name: d.doc.name, result: 'unchanged', path: target });
        continue;
      }
      plan.writes.push({ path: target, content: renderResource(d.canonical) });
      taken.add(target);
      managed.set(d.key, { kind: d.doc.kind.kind, name: d.doc.name, gitPath: target, object: d.canonical, source: { file: d.file, document: d.index } });
      plan.counts.resourcesCreated++;
      outcome.push({ index: d.index, kind: d.doc.kind.kind, name: d.doc.name, result: 'managed', path: target });
    }
    for (const r of state.reasons) {
      outcome.push({ index: r.document, result: 'unmanaged', rule: r.rule, reason: r.message });
      plan.findings.push({ severity: 'warning', rule: `unmanaged.${r.rule}`, file: entry.path, document: r.document, path: '', message: r.message });
    }
    outcome.sort((a, b) => Number(a.index ?? -1) - Number(b.index ?? -1));
    if (state.reasons.length > 0) {
      moveToUnmanaged(plan, taken, treeByPath, entry, state.reasons, outcome, false);
    } else {
      plan.deletes.push(entry.path);
      plan.log.push(`ingested ${entry.path}: ${state.docs.length} resource(s)`);
    }
    plan.counts.ingestedFiles++;
  }
}

/**
 * Moves a raw entry verbatim to unmanaged/ with a `.reason.yaml` beside it.
 * Never overwrites: an occupied target gets a suffix from the blob id. When the
 * same bytes are already kept at the target, the raw entry is only removed.
 */
function moveToUnmanaged(
  plan: IngestPlan,
  taken: Set<string>,
  existing: Map<string, TreeEntry>,
  entry: TreeEntry,
  reasons: UnmanagedReason[],
  documents?: unknown,
  addFindings = true,
) {
  const rel = entry.path.slice(RAW_DIR.length + 1);
  const dot = rel.lastIndexOf('.');
  const slash = rel.lastIndexOf('/');
  const withSuffix = (suffix: string) =>
    `${UNMANAGED_DIR}/${dot > slash + 1 ? `${rel.slice(0, dot)}${suffix}${rel.slice(dot)}` : `${rel}${suffix}`}`;
  // A kept file never ends in `.reason.yaml`: that name would read as the reason of another file.
  const free = (p: string) => !taken.has(p) && !taken.has(p + REASON_SUFFIX) && !p.endsWith(REASON_SUFFIX);
  const keeps = (p: string) => {
    const e = existing.get(p);
    return e !== undefined && e.blobId === entry.blobId && e.mode === entry.mode && taken.has(p);
  };
  let target = `${UNMANAGED_DIR}/${rel}`;
  for (let n = 1; !free(target) && !keeps(target); n++) {
    target = withSuffix(`~${entry.blobId.slice(0, 8)}${n > 1 ? `-${n}` : ''}`);
  }
  if (keeps(target)) {
    // The same bytes were moved there before: they are already kept.
    plan.deletes.push(entry.path);
  } else {
    plan.moves.push({ from: entry.path, to: target });
    taken.add(target);
  }
  plan.writes.push({
    path: target + REASON_SUFFIX,
    content: stringify(
      {
        source: entry.path,
        reasons: reasons.map(r => ({ ...(r.document !== undefined ? { document: r.document } : {}), rule: r.rule, message: r.message })),
        ...(documents ? { documents } : {}),
      },
      { lineWidth: 0 },
    ),
  });
  taken.add(target + REASON_SUFFIX);
  plan.counts.unmanagedFiles++;
  plan.log.push(`kept ${entry.path} as ${target}: ${reasons[0].message}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`);
  if (addFindings) {
    for (const r of reasons) {
      plan.findings.push({ severity: 'warning', rule: `unmanaged.${r.rule}`, file: entry.path, document: r.document, path: '', message: r.message });
    }
  }
}

interface Candidate {
  entry: TreeEntry;
  parsed: ParsedFile & { ok: true };
  memo: ManagedFileMemo;
}

/**
 * A managed file holding exactly one valid managed resource: that resource in
 * canonical form, remembered on the parsed file (per blob). Undefined otherwise.
 */
function readManagedFile(parsed: ParsedFile & { ok: true }): ManagedFileMemo | undefined {
  const docs = parsed.documents.filter(d => !d.empty);
  if (docs.length !== 1 || docs[0].error) return undefined;
  const cls = classifyDocument(docs[0].value);
  if (cls.type !== 'managed') return undefined;
  // A file known to be canonical already holds its canonical form (no deep copy needed).
  const canonical = parsed.canonical ? cls.object : canonicalResource(cls);
  parsed.managed = {
    doc: cls,
    canonical,
    source: sourceOf(canonical),
    key: key(cls.kind.kind, cls.name),
    target: managedPath(cls.kind, cls.name),
  };
  return parsed.managed;
}

/** Whether a managed file's text is its canonical rendering; remembered on the parsed file (per blob). */
function isCanonical(parsed: ParsedFile & { ok: true }, text: () => string): boolean {
  if (parsed.canonical === undefined) parsed.canonical = parsed.text === text();
  return parsed.canonical;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function cmp(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
