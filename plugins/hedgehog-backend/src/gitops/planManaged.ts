import { classifyDocument, outOfScopeMessage } from '@fabric-gitops/plugin-hedgehog-common';
import { reportManagedDuplicates } from './conflicts';
import { kindsOfManagedFile } from './dropped';
import { KEEP_FILE, MANAGED_DIR, RAW_DIR, isUnder, isYamlFileName } from './layout';
import { commentsOfManaged, isCanonical, readManagedFile } from './managedFileMemo';
import { moveToUnmanaged } from './moveToUnmanaged';
import { renderResource } from './normalize';
import { ManagedFileMemo, ParsedFile } from './parse';
import { IngestPlan, PlanInput, PlannedResource } from './planTypes';
import { baseName, cmp } from './planUtil';
import { TreeEntry, isRegularFile } from './tree';
import { Steps } from '../validation/steps';

interface Candidate {
  entry: TreeEntry;
  parsed: ParsedFile & { ok: true };
  memo: ManagedFileMemo;
}

/** Reads managed/: every valid resource, normalized and at its canonical path. Yields between files (validation/steps.ts). */
export function* planManaged(
  input: PlanInput,
  sorted: TreeEntry[],
  plan: IngestPlan,
  taken: Set<string>,
  treeByPath: Map<string, TreeEntry>,
  /** The kinds the fabric manages; every managed kind when absent. */
  kinds?: ReadonlySet<string>,
): Steps<Map<string, PlannedResource>> {
  const result = new Map<string, PlannedResource>();
  const candidates: Candidate[] = [];
  for (const entry of sorted) {
    yield;
    if (!isUnder(entry.path, MANAGED_DIR) || baseName(entry.path) === KEEP_FILE) continue;
    if (!isRegularFile(entry) || !isYamlFileName(entry.path)) {
      drop(plan, entry.path, `${entry.path} is not a YAML file`);
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
    if (memo && kinds && !kinds.has(memo.doc.kind.kind)) {
      // A resource of a kind the fabric does not manage: kept, as written, in unmanaged/.
      const reason = { rule: 'out-of-scope', message: outOfScopeMessage(memo.doc.kind.kind) };
      moveToUnmanaged(plan, taken, treeByPath, entry, [reason]);
      continue;
    }
    if (memo && parsed.ok) {
      candidates.push({ entry, parsed, memo });
      continue;
    }
    const problem = (rule: string, message: string, document?: number, path = '') => {
      plan.findings.push({ severity: 'error', rule, file: entry.path, document, path, message });
      drop(plan, entry.path, message, parsed.ok ? parsed.documents.map(d => d.value) : []);
    };
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
    yield;
    const { doc, canonical, source, key: k, target } = c.memo;
    let gitPath = target;
    // A file that holds its canonical form is kept as written (your edits are yours);
    // otherwise it is rendered, with its comments.
    const same = isCanonical(c.parsed, c.memo);
    const text = () =>
      same ? `${c.parsed.bom ? '\ufeff' : ''}${c.parsed.text}` : renderResource(canonical, commentsOfManaged(c.parsed));
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
    } else if (!same) {
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
      ...(moving.has(c) ? { movedFrom: c.entry.path } : {}),
    });
  }
  reportManagedDuplicates(plan, seen);
  for (const [k, files] of seen) {
    // A second definition of a resource is not read: what it meant to define is not known.
    for (const file of files.slice(1)) drop(plan, file, `${file} defines ${k} again; only ${files[0]} is used`, [{ kind: k.split('/')[0] }]);
  }
  return result;
}

/** Records a managed file that is not part of the desired state, with the kinds it may define. */
function drop(plan: IngestPlan, file: string, reason: string, values: unknown[] = []) {
  plan.dropped.push({ file, kinds: kindsOfManagedFile(file, values), reason });
}
