import { classifyDocument } from '@fabric-gitops/plugin-hedgehog-common';
import { findRawConflicts } from './conflicts';
import { KEEP_FILE, RAW_DIR, isUnder, isYamlFileName, managedPath } from './layout';
import { legacyArchiveReason } from './legacyLayout';
import { moveToUnmanaged } from './moveToUnmanaged';
import { canonicalResource, renderResource } from './normalize';
import { IngestPlan, PlanInput, PlannedResource, RawDoc, UnmanagedReason } from './planTypes';
import { key } from './planUtil';
import { TreeEntry, isRegularFile } from './tree';

/**
 * Ingests raw/: each file's managed documents become files under managed/, the
 * rest of a file (or a whole unreadable file) is kept under unmanaged/ with its
 * reasons, and files in conflict stay in raw/.
 */
export function planRaw(
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
      toUnmanaged(entry, [
        legacyArchiveReason(entry.path) ?? { rule: 'not-yaml', message: 'not a YAML file (only *.yaml and *.yml are ingested)' },
      ]);
      continue;
    }
    const parsed = input.parsed(entry);
    if (!parsed.ok) {
      toUnmanaged(entry, [{ rule: parsed.tooLarge ? 'too-large' : 'unreadable', message: parsed.reason }]);
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

  const conflictFiles = findRawConflicts(plan, docsByFile, managed, taken);

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
    }
    outcome.sort((a, b) => Number(a.index ?? -1) - Number(b.index ?? -1));
    if (state.reasons.length > 0) {
      toUnmanaged(entry, state.reasons, outcome);
    } else {
      plan.deletes.push(entry.path);
      plan.log.push(`ingested ${entry.path}: ${state.docs.length} resource(s)`);
    }
    plan.counts.ingestedFiles++;
  }
}
