import { countFindings } from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import { StateFinding } from './findingHistory';
import { recordFindings } from './findingQueries';
import { ImportBasis, ImportBatch } from './HedgehogStore';
import { ImportedRow, ImportSnapshots } from './ImportSnapshots';
import { recordResourceStatus } from './resourceStatus';
import { fabricRow, parseKey, resourceKey } from './rows';
import { BATCH, FABRICS, ORPHAN_PATH, RESOURCES, UNMANAGED, ensureFabric } from './tables';

/* Importing a sync's desired state (resources and unmanaged files) into the store. */

/** Rows an import must change before PostgreSQL's statistics of the resources table are refreshed. */
const ANALYZE_AFTER_ROWS = 1000;

/** The findings column of a resource without findings (one string for all of them). */
const NO_FINDINGS = '[]';

/** An import refused because it is no longer the fabric's newest (see ImportBasis); nothing was written. */
export class ImportRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

export async function importState(db: Knex, fabric: string, batch: ImportBatch, snapshots: ImportSnapshots) {
  let generation = 0;
  const imported = new Map<string, ImportedRow>();
  const result = await db.transaction(async tx => {
    await ensureFabric(tx, fabric);
    const now = Date.now();
    // Imports of one fabric are serialized (row lock on PostgreSQL; SQLite serializes write transactions).
    const current = await tx(FABRICS)
      .where({ name: fabric })
      .forUpdate()
      .first('import_generation', 'findings_generation', 'lock_owner', 'lock_expires_at');
    generation = Number(current?.import_generation ?? 0);
    if (batch.basis) checkBasis(fabric, batch, batch.basis, current, Date.now());
    // What this process's last import wrote, unless another replica imported since: no rows to read back.
    const existing = snapshots.get(fabric, generation) ?? (await readImported(tx, fabric));

    const upserts = [];
    let added = 0;
    const keep = new Set<string>();
    for (const r of batch.resources) {
      const key = resourceKey(r.kind, r.name);
      keep.add(key);
      const findings = r.findings.length === 0 ? NO_FINDINGS : JSON.stringify(r.findings);
      imported.set(key, { blob: r.blobId ?? null, gitPath: r.gitPath, findings });
      const old = existing.get(key);
      if (!old) added++;
      if (
        old &&
        r.blobId &&
        old.blob === r.blobId &&
        old.gitPath === r.gitPath &&
        old.findings === findings
      ) {
        continue;
      }
      upserts.push({
        fabric,
        kind: r.kind,
        name: r.name,
        namespace: r.namespace,
        git_path: r.gitPath,
        blob_id: r.blobId ?? null,
        desired: JSON.stringify(r.desired),
        source_file: r.source?.file ?? null,
        source_index: r.source?.document ?? null,
        findings,
        // exact: a summary finding counts those it says were left out
        error_count: countFindings(r.findings).errors,
        warning_count: countFindings(r.findings).warnings,
        updated_at: now,
      });
    }
    for (let i = 0; i < upserts.length; i += BATCH) {
      await tx(RESOURCES)
        .insert(upserts.slice(i, i + BATCH))
        .onConflict(['fabric', 'kind', 'name'])
        .merge([
          'namespace',
          'git_path',
          'blob_id',
          'desired',
          'source_file',
          'source_index',
          'findings',
          'error_count',
          'warning_count',
          'updated_at',
        ]);
    }
    const gone = [...existing.entries()].filter(([k]) => !keep.has(k)).map(([k]) => parseKey(k));
    for (let i = 0; i < gone.length; i += BATCH) {
      const slice = gone.slice(i, i + BATCH);
      await tx(RESOURCES)
        .where({ fabric })
        .andWhere(q => {
          for (const { kind, name } of slice) q.orWhere({ kind, name });
        })
        .delete();
    }

    await tx(UNMANAGED).where({ fabric }).delete();
    const unmanaged = batch.unmanaged.map(u => ({
      fabric,
      path: u.path,
      original_path: u.originalPath,
      reasons: JSON.stringify(u.reasons),
      reason_blob_id: u.reasonBlobId ?? null,
    }));
    for (let i = 0; i < unmanaged.length; i += BATCH) {
      await tx(UNMANAGED).insert(unmanaged.slice(i, i + BATCH));
    }

    // The state's findings (those of its resources and of other files), with whether each is new.
    const previousKnown = generation === 0 || (current?.findings_generation ?? null) !== null;
    await recordFindings(tx, fabric, generation + 1, stateFindings(batch), previousKnown);

    await tx(FABRICS)
      .where({ name: fabric })
      .update({
        ...fabricRow({
          lastSyncedCommit: batch.commit,
          lastSyncAt: now,
          counts: batch.counts,
          openFindings: batch.open,
          incompleteKinds: batch.incomplete,
          kindScope: batch.kindScope,
        }),
        import_generation: generation + 1,
        findings_generation: generation + 1,
      });
    // rows added or removed change the counts by status (updates of existing rows leave their statuses)
    if (added + gone.length > 0) await recordResourceStatus(tx, fabric);
    return { upserted: upserts.length, deleted: gone.length };
  }).catch(e => {
    snapshots.forget(fabric);
    throw e;
  });
  snapshots.set(fabric, generation + 1, imported);
  // PostgreSQL plans the resource pages from table statistics, which stay stale after a
  // large import until autovacuum analyzes the table (up to a minute or more): meanwhile
  // every page sorts all rows of the fabric instead of reading 50 from the primary key.
  if (db.client.dialect === 'postgresql' && result.upserted + result.deleted >= ANALYZE_AFTER_ROWS) {
    await db.raw(`ANALYZE ${RESOURCES}`);
  }
  return result;
}

/**
 * Refuses an import that another import overtook since its run planned, or whose
 * run's replica no longer holds the fabric's lock (its row is locked here, so the
 * lock cannot change hands before the transaction ends).
 */
function checkBasis(fabric: string, batch: ImportBatch, basis: ImportBasis, row: any, now: number) {
  const commit = batch.commit ? `commit ${batch.commit.slice(0, 12)}` : 'the empty branch';
  const generation = Number(row?.import_generation ?? 0);
  if (generation !== basis.generation) {
    throw new ImportRefusedError(
      `the import of ${commit} into fabric ${fabric} was refused: another run imported since this run planned (import ${generation}, this run planned after import ${basis.generation}); an older commit never replaces a newer one, and the next sync imports the branch's head`,
    );
  }
  if (basis.lockOwner !== undefined && (row?.lock_owner !== basis.lockOwner || Number(row?.lock_expires_at ?? 0) <= now)) {
    throw new ImportRefusedError(
      `the import of ${commit} into fabric ${fabric} was refused: the run's backend replica no longer holds the fabric's lock`,
    );
  }
}

/** The findings of an imported state: the batch's, or when it gives none those of its resources. */
function stateFindings(batch: ImportBatch): StateFinding[] {
  if (batch.findings) return batch.findings;
  return batch.resources.flatMap(r => r.findings.map(f => ({ ...f, resource: { kind: r.kind, name: r.name } })));
}

/** The fabric's resource rows as an import compares them, read from the table. */
async function readImported(tx: Knex.Transaction, fabric: string): Promise<Map<string, ImportedRow>> {
  const rows = await tx(RESOURCES)
    .where({ fabric })
    .whereNot('git_path', ORPHAN_PATH)
    .select('kind', 'name', 'blob_id', 'git_path', 'findings');
  const existing = new Map<string, ImportedRow>();
  for (const r of rows) {
    existing.set(resourceKey(r.kind, r.name), { blob: r.blob_id, gitPath: r.git_path, findings: r.findings });
  }
  return existing;
}
