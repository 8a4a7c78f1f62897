import { RAW_DIR, REASON_SUFFIX, UNMANAGED_DIR } from './layout';
import { IngestPlan, UnmanagedReason } from './planTypes';
import { renderReasonFile } from './reasonFile';
import { TreeEntry } from './tree';

/**
 * Moves a raw entry verbatim to unmanaged/ with a `.reason.yaml` beside it.
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
    content: renderReasonFile(entry.path, reasons, documents),
  });
  taken.add(target + REASON_SUFFIX);
  plan.counts.unmanagedFiles++;
  plan.log.push(`kept ${entry.path} as ${target}: ${reasons[0].message}${reasons.length > 1 ? ` (+${reasons.length - 1} more)` : ''}`);
  for (const r of reasons) {
    plan.findings.push({ severity: 'warning', rule: `unmanaged.${r.rule}`, file: entry.path, document: r.document, path: '', message: r.message });
  }
}
