import { documentLabel } from '@fabric-gitops/plugin-hedgehog-common';
import { REASON_SUFFIX, UNMANAGED_DIR } from './layout';
import { IngestPlan, UnmanagedReason } from './planTypes';
import { renderReasonFile } from './reasonFile';
import { TreeEntry } from './tree';

/**
 * Moves a raw entry (or a managed file of a kind the fabric does not manage) verbatim to unmanaged/ with a `.reason.yaml` beside it.
 * Never overwrites: an occupied target gets a suffix from the blob id. When the
 * same bytes are already kept at the target, the raw entry is only removed.
 */
export function moveToUnmanaged(
  plan: IngestPlan,
  taken: Set<string>,
  existing: Map<string, TreeEntry>,
  entry: TreeEntry,
  reasons: UnmanagedReason[],
  documents?: unknown,
) {
  const { target, kept } = unmanagedTarget(taken, existing, entry.path, entry.blobId, entry.mode);
  if (kept) {
    // The same bytes were moved there before: they are already kept.
    plan.deletes.push(entry.path);
  } else {
    plan.moves.push({ from: entry.path, to: target });
    taken.add(target);
  }
  addReasonFile(plan, taken, target, entry.path, reasons, documents);
  const perDocument = reasons.filter(r => r.document !== undefined);
  if (perDocument.length === 0) {
    plan.log.push(`kept ${entry.path} as ${target}: ${reasons[0].message}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`);
  }
  for (const r of perDocument) plan.log.push(`kept ${entry.path} ${documentLabel(r.document!)} in ${target}: ${r.message}`);
}

/**
 * Where kept bytes of a raw file go: unmanaged/ at the same relative path, or
 * with a suffix from their blob id when that is taken; `kept` when the same bytes
 * (and mode) are already there. Never a name that reads as a reason file.
 */
export function unmanagedTarget(
  taken: Set<string>,
  existing: Map<string, TreeEntry>,
  rawPath: string,
  blobId: string,
  mode: string,
): { target: string; kept: boolean } {
  // raw/<rel> (or managed/<plural>/<name>.yaml) → unmanaged/<rel>
  const rel = rawPath.slice(rawPath.indexOf('/') + 1);
  const dot = rel.lastIndexOf('.');
  const slash = rel.lastIndexOf('/');
  const withSuffix = (suffix: string) =>
    `${UNMANAGED_DIR}/${dot > slash + 1 ? `${rel.slice(0, dot)}${suffix}${rel.slice(dot)}` : `${rel}${suffix}`}`;
  // A kept file never ends in `.reason.yaml`: that name would read as the reason of another file.
  const free = (p: string) => !taken.has(p) && !taken.has(p + REASON_SUFFIX) && !p.endsWith(REASON_SUFFIX);
  const keeps = (p: string) => {
    const e = existing.get(p);
    return e !== undefined && e.blobId === blobId && e.mode === mode && taken.has(p);
  };
  let target = `${UNMANAGED_DIR}/${rel}`;
  for (let n = 1; !free(target) && !keeps(target); n++) {
    target = withSuffix(`~${blobId.slice(0, 8)}${n > 1 ? `-${n}` : ''}`);
  }
  return { target, kept: keeps(target) };
}

/** Writes the `.reason.yaml` of a kept file and reports each reason as a warning. */
export function addReasonFile(
  plan: IngestPlan,
  taken: Set<string>,
  target: string,
  source: string,
  reasons: UnmanagedReason[],
  documents?: unknown,
  keptDocuments?: number[],
) {
  plan.writes.push({
    path: target + REASON_SUFFIX,
    content: renderReasonFile(source, reasons, documents, keptDocuments),
  });
  taken.add(target + REASON_SUFFIX);
  plan.unmanaged.push({ from: source, to: target, ...(keptDocuments ? { documents: keptDocuments } : {}) });
  plan.counts.unmanagedFiles++;
  for (const r of reasons) {
    if (r.document !== undefined) plan.counts.unmanagedDocuments++;
    plan.findings.push({ severity: 'warning', rule: `unmanaged.${r.rule}`, file: source, document: r.document, path: '', message: r.message });
  }
}
