import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';
import { gitBlobId } from './blobId';
import { DocumentSpan, documentSpans, documentsText } from './documentText';
import { RAW_DIR, managedPath } from './layout';
import { addReasonFile, moveToUnmanaged, unmanagedTarget } from './moveToUnmanaged';
import { renderResource } from './normalize';
import { IngestPlan, PlannedResource, RawDoc, RawFile, UnmanagedReason } from './planTypes';
import { MODE_FILE, TreeEntry } from './tree';
import { Steps } from '../validation/steps';

/*
 * What becomes of one readable raw file, document by document (nothing is lost:
 * every byte of the file ends up in managed/, in unmanaged/ or still in raw/):
 * - a managed document becomes its managed file (normalized, with its comments);
 * - a document that cannot be managed is kept in unmanaged/<file> as its original
 *   text, with the others of the file that cannot be; the reason file names each
 *   one's index and reason;
 * - a document in conflict stays in raw/<file>, which then holds only the
 *   documents in conflict, each as its original text.
 * A file of which no document can be managed is kept whole (the same blob); one
 * whose only documents are in conflict stays as it is.
 */

type Outcome = Record<string, unknown>;

export function* ingestRawFile(
  plan: IngestPlan,
  file: RawFile,
  inConflict: Set<RawDoc>,
  managed: Map<string, PlannedResource>,
  taken: Set<string>,
  treeByPath: Map<string, TreeEntry>,
): Steps {
  const { entry, parsed } = file;
  const held = file.docs.filter(d => inConflict.has(d));
  const good = file.docs.filter(d => !inConflict.has(d));
  const bad = file.reasons;
  const spans = documentSpans(parsed);
  const outcome: Outcome[] = [];
  let created = 0;

  for (const d of good) {
    yield;
    const target = managedPath(d.doc.kind, d.doc.name);
    const what = { index: d.index, kind: d.doc.kind.kind, name: d.doc.name };
    if (managed.has(d.key)) {
      plan.counts.resourcesUnchanged++;
      outcome.push({ ...what, result: 'unchanged', path: target });
      continue;
    }
    plan.writes.push({ path: target, content: renderResource(d.canonical, spans.get(d.index)?.comments) });
    taken.add(target);
    managed.set(d.key, { kind: d.doc.kind.kind, name: d.doc.name, gitPath: target, object: d.canonical, source: { file: d.file, document: d.index } });
    plan.counts.resourcesCreated++;
    created++;
    outcome.push({ ...what, result: 'managed', path: target });
  }
  for (const d of held) {
    outcome.push({ index: d.index, kind: d.doc.kind.kind, name: d.doc.name, result: 'conflict', path: entry.path });
  }
  for (const r of bad) {
    outcome.push({ index: r.document, result: 'unmanaged', rule: r.rule, reason: r.message });
  }
  outcome.sort((a, b) => Number(a.index ?? -1) - Number(b.index ?? -1));

  if (good.length === 0 && held.length === 0) {
    // None of it can be managed: the whole file, byte for byte.
    moveToUnmanaged(plan, taken, treeByPath, entry, bad, outcome);
    plan.counts.ingestedFiles++;
    return;
  }
  if (good.length === 0 && bad.length === 0) {
    // Only documents in conflict: the file stays as it is.
    holdBack(plan, entry.path, held);
    plan.log.push(`left ${entry.path} in ${RAW_DIR}/: conflict`);
    return;
  }

  plan.counts.ingestedFiles++;
  const parts = [`${good.length} resource(s)${created < good.length ? ` (${good.length - created} already managed)` : ''}`];
  if (bad.length > 0) {
    const target = keepDocuments(plan, file, bad, outcome, spans, taken, treeByPath);
    parts.push(`${bad.length} document(s) kept in ${target}`);
  }
  if (held.length > 0) {
    plan.writes.push({ path: entry.path, content: documentsText(parsed, spans, held.map(d => d.index)) });
    holdBack(plan, entry.path, held);
    parts.push(`${held.length} document(s) in conflict left in ${entry.path} (it now holds only these)`);
  } else {
    plan.deletes.push(entry.path);
  }
  plan.log.push(`ingested ${entry.path}: ${parts.join('; ')}`);
}

/** Keeps the documents that cannot be managed in unmanaged/, as their original text; returns where. */
function keepDocuments(
  plan: IngestPlan,
  file: RawFile,
  reasons: UnmanagedReason[],
  outcome: Outcome[],
  spans: Map<number, DocumentSpan>,
  taken: Set<string>,
  treeByPath: Map<string, TreeEntry>,
): string {
  const { entry, parsed } = file;
  const indexes = [...new Set(reasons.map(r => r.document!))].sort((a, b) => a - b);
  const content = documentsText(parsed, spans, indexes);
  const { target, kept } = unmanagedTarget(taken, treeByPath, entry.path, gitBlobId(content), MODE_FILE);
  if (!kept) {
    plan.writes.push({ path: target, content });
    taken.add(target);
  }
  addReasonFile(plan, taken, target, entry.path, reasons, outcome, indexes);
  for (const r of reasons) plan.log.push(`kept ${entry.path} ${documentLabel(r.document!)} in ${target}: ${r.message}`);
  return target;
}

/** Records documents held back in raw/ by a conflict, one line each. */
function holdBack(plan: IngestPlan, path: string, held: RawDoc[]) {
  plan.counts.conflictFiles++;
  plan.counts.conflictDocuments += held.length;
  for (const d of held) plan.log.push(`left ${path} ${documentLabel(d.index)} (${d.doc.kind.kind} ${d.doc.name}) in ${RAW_DIR}/: conflict`);
}
