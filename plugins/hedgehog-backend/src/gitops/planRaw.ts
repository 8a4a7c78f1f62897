import { classifyDocument, outOfScopeMessage } from '@fabric-gitops/plugin-hedgehog-common';
import { findRawConflicts } from './conflicts';
import { KEEP_FILE, RAW_DIR, isUnder, isYamlFileName } from './layout';
import { legacyArchiveReason } from './legacyLayout';
import { moveToUnmanaged } from './moveToUnmanaged';
import { canonicalResource } from './normalize';
import { IngestPlan, PlanInput, PlannedResource, RawFile, UnmanagedReason } from './planTypes';
import { key } from './planUtil';
import { ingestRawFile } from './rawFile';
import { TreeEntry, isRegularFile } from './tree';
import { Steps } from '../validation/steps';

/**
 * Ingests raw/ document by document: each managed document becomes a file under
 * managed/, the others are kept under unmanaged/ with their reasons (a whole
 * file when none of it can be managed, e.g. an unreadable one), and documents in
 * conflict stay in raw/. Yields between documents (validation/steps.ts).
 */
export function* planRaw(
  input: PlanInput,
  sorted: TreeEntry[],
  plan: IngestPlan,
  managed: Map<string, PlannedResource>,
  taken: Set<string>,
  treeByPath: Map<string, TreeEntry>,
  /** The kinds the fabric manages; every managed kind when absent. */
  kinds?: ReadonlySet<string>,
): Steps {
  const rawEntries = sorted.filter(
    e => isUnder(e.path, RAW_DIR) && e.path !== `${RAW_DIR}/${KEEP_FILE}`,
  );
  plan.counts.rawFiles = rawEntries.length;
  const rawFiles = new Map<string, RawFile>();
  const toUnmanaged = (entry: TreeEntry, reasons: UnmanagedReason[], documents?: unknown) =>
    moveToUnmanaged(plan, taken, treeByPath, entry, reasons, documents);

  for (const entry of rawEntries) {
    yield;
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
    const file: RawFile = { entry, parsed, docs: [], reasons: [] };
    for (const d of parsed.documents) {
      yield;
      if (d.empty) continue;
      if (d.error) {
        file.reasons.push({ document: d.index, rule: 'yaml', message: d.error });
        continue;
      }
      const cls = classifyDocument(d.value);
      if (cls.type === 'managed' && kinds && !kinds.has(cls.kind.kind)) {
        file.reasons.push({ document: d.index, rule: 'out-of-scope', message: outOfScopeMessage(cls.kind.kind) });
      } else if (cls.type === 'managed') {
        const source = { file: entry.path, document: d.index };
        const canonical = canonicalResource(cls, source);
        file.docs.push({ file: entry.path, index: d.index, doc: cls, canonical, key: key(cls.kind.kind, cls.name) });
      } else if (cls.type === 'unmanaged') {
        file.reasons.push({ document: d.index, rule: cls.rule, message: cls.message });
      }
    }
    if (file.docs.length === 0 && file.reasons.length === 0) {
      file.reasons.push({ rule: 'no-documents', message: 'the file holds no YAML documents (only comments or nothing)' });
    }
    rawFiles.set(entry.path, file);
  }

  const inConflict = findRawConflicts(plan, rawFiles, managed, taken);

  for (const entry of rawEntries) {
    const file = rawFiles.get(entry.path);
    if (file) yield* ingestRawFile(plan, file, inConflict, managed, taken, treeByPath);
  }
}
