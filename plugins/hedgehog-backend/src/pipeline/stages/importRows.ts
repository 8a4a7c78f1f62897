import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import type { StateFinding } from '../../database/findingHistory';
import { HedgehogStore, ResourceRow, UnmanagedRow } from '../../database/HedgehogStore';
import { IncompleteKinds } from '../../gitops/dropped';
import { importedState } from '../../gitops/importedState';
import { KEEP_FILE, REASON_SUFFIX, UNMANAGED_DIR, isUnder } from '../../gitops/layout';
import { IngestPlan } from '../../gitops/plan';
import { readReasonFile } from '../../gitops/reasonFile';
import { TreeEntry } from '../../gitops/tree';
import { BlobSource } from '../readParsed';
import { withUnmanagedFindings } from './unmanagedFindings';

/** Reason files larger than this are not read. */
const MAX_REASON_FILE_BYTES = 1024 * 1024;

/** The rows an import writes. */
export interface ImportRows {
  resources: ResourceRow[];
  unmanaged: UnmanagedRow[];
  /** Resources by kind. */
  counts: Record<string, number>;
  /** Kinds some managed file of which is not part of the desired state: prune holds them back. */
  incomplete: IncompleteKinds;
  /** Every finding of the state (those of the files kept in unmanaged/ too), each with the resource it is on (its managed file), if imported. */
  findings: StateFinding[];
}

/**
 * What the import stage writes for a sync: the plan's resources with their blob
 * and findings, and every kept file of unmanaged/ with the reasons from its
 * .reason.yaml (read only when that file changed since the last import), each
 * reason one warning among the state's findings.
 */
export async function importBatch(
  ws: BlobSource,
  store: HedgehogStore,
  fabric: FabricDefinition,
  prepared: { plan: IngestPlan; findings: Finding[] },
  entries: TreeEntry[],
  readOnly: boolean,
): Promise<ImportRows> {
  const taken = importedState(prepared.plan, prepared.findings, entries, readOnly);
  const resources: ResourceRow[] = [];
  const counts: Record<string, number> = {};
  for (const { resource: r, entry, findings } of taken.resources) {
    counts[r.kind] = (counts[r.kind] ?? 0) + 1;
    resources.push({
      kind: r.kind,
      name: r.name,
      namespace: 'default',
      gitPath: r.gitPath,
      blobId: entry?.blobId,
      desired: r.object,
      source: r.source,
      findings,
    });
  }

  // unmanaged/: every kept file with the reasons from its .reason.yaml
  const known = await store.unmanagedReasonBlobs(fabric.name);
  const reasonFiles = entries.filter(e => isUnder(e.path, UNMANAGED_DIR) && e.path.endsWith(REASON_SUFFIX));
  const toRead = reasonFiles.filter(e => known.get(e.path.slice(0, -REASON_SUFFIX.length)) !== e.blobId);
  // a reason file is a few lines; one over the limit is not read (the kept file says so)
  const { blobs, tooLarge } = await ws.readBlobs(toRead.map(e => e.blobId), MAX_REASON_FILE_BYTES);
  const previous = known.size > 0 ? await store.listUnmanaged(fabric.name) : { items: [] };
  const previousByPath = new Map(previous.items.map(i => [i.path, i]));
  const reasonByPath = new Map(reasonFiles.map(e => [e.path.slice(0, -REASON_SUFFIX.length), e]));
  const unmanaged: UnmanagedRow[] = [];
  for (const e of entries) {
    if (!isUnder(e.path, UNMANAGED_DIR) || e.path.endsWith(REASON_SUFFIX) || e.path === `${UNMANAGED_DIR}/${KEEP_FILE}`) continue;
    const reasonEntry = reasonByPath.get(e.path);
    const blob = reasonEntry ? blobs.get(reasonEntry.blobId) : undefined;
    if (blob) {
      unmanaged.push({ ...readReasonFile(e.path, blob.toString('utf8')), reasonBlobId: reasonEntry!.blobId });
    } else if (reasonEntry && tooLarge.has(reasonEntry.blobId)) {
      unmanaged.push({ path: e.path, originalPath: e.path, reasons: [{ message: `its reason file is over ${MAX_REASON_FILE_BYTES} bytes; not read` }], reasonBlobId: reasonEntry.blobId });
    } else if (reasonEntry && previousByPath.has(e.path)) {
      unmanaged.push({ ...previousByPath.get(e.path)!, reasonBlobId: reasonEntry.blobId });
    } else {
      unmanaged.push({ path: e.path, originalPath: e.path, reasons: [{ message: 'no reason file beside it' }] });
    }
  }
  const onResource = new Map(resources.map(r => [r.gitPath, { kind: r.kind, name: r.name }]));
  // the kept files' findings come from their reasons: the same on every import while they are kept
  const findings = withUnmanagedFindings(prepared.findings, unmanaged).map(f => {
    const resource = onResource.get(f.file);
    return resource ? { ...f, resource } : f;
  });
  return { resources, unmanaged, counts, incomplete: taken.incomplete, findings };
}
