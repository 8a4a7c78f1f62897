import { countFindings, ListResponse, Run, RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import { PreviousRun, RunPatch, RunRecord, RunRequest } from './HedgehogStore';
import { joinRequest, mergeOptions, num, parse, publicRun, toRun } from './rows';
import { BATCH, FABRICS, RUNS, ensureFabric } from './tables';

/* Queries of runs: the queue of a fabric, run records, and the fabric's run lock. */

/**
 * The most findings a run's record keeps itself (`GET /runs/:id` shows them). A
 * run that imported lists all of its findings from the findings history while
 * its import is among the last kept (FINDING_IMPORTS_KEPT); `finding_count` and
 * `finding_totals` always count them all.
 */
export const MAX_RUN_FINDINGS = 1000;

/** The columns of a run in lists: all but its findings (up to MAX_RUN_FINDINGS of them, read by getRun). */
const LISTED_RUN_COLUMNS = [
  'id', 'fabric', 'type', 'trigger', 'requested_by', 'status', 'options', 'queued_at', 'started_at', 'finished_at',
  'heartbeat_at', 'commit_before', 'commit_after', 'stages', 'finding_count', 'finding_totals', 'import_generation',
  'error', 'coalesced',
];

// ---- runs -----------------------------------------------------------------

export async function enqueueRun(db: Knex, run: RunRequest) {
  return db.transaction(async tx => {
    await ensureFabric(tx, run.fabric);
    // Serialize enqueues of one fabric (row lock on PostgreSQL; SQLite
    // serializes write transactions anyway).
    await tx(FABRICS).where({ name: run.fabric }).forUpdate().first();
    // A restore is its own run (with its commit, trigger and requester): it joins none.
    const queued = run.type === 'restore' ? undefined : await tx(RUNS)
      .where({ fabric: run.fabric, type: run.type, status: 'queued' })
      .orderBy('queued_at', 'asc')
      .first('id', 'options', 'coalesced');
    if (queued) {
      const merged = mergeOptions(parse(queued.options) ?? {}, run.options ?? {});
      const coalesced = joinRequest(parse(queued.coalesced) ?? [], run);
      // Join the run only if it is still queued, or the options of this request
      // would be lost (claimNextRun takes the fabric's row lock too, so on
      // PostgreSQL it waits for this transaction; the condition guards the rest).
      const joined = await tx(RUNS)
        .where({ id: queued.id, status: 'queued' })
        .update({ options: JSON.stringify(merged), coalesced: JSON.stringify(coalesced) });
      if (joined === 1) return { id: queued.id as string, coalesced: true };
    }
    // queued_at orders the queue (claimNextRun) and the history (listRuns);
    // keep it strictly increasing per fabric so runs queued within the same
    // millisecond keep their order. Enqueues of a fabric are serialized above.
    const [{ last }] = await tx(RUNS)
      .where({ fabric: run.fabric })
      .max({ last: 'queued_at' });
    const queuedAt = Math.max(Date.now(), (num(last) ?? 0) + 1);
    const id = randomUUID();
    await tx(RUNS).insert({
      id,
      fabric: run.fabric,
      type: run.type,
      trigger: run.trigger,
      requested_by: run.requestedBy ?? null,
      status: 'queued',
      options: JSON.stringify(run.options ?? {}),
      queued_at: queuedAt,
      stages: '[]',
    });
    return { id, coalesced: false };
  });
}

/**
 * Claims the fabric's oldest queued run: it becomes running and the fabric's last
 * run, in one transaction (one commit; a reader never sees a running run that is
 * not its fabric's last run).
 */
export async function claimNextRun(db: Knex, fabric: string): Promise<RunRecord | undefined> {
  const next = await db(RUNS)
    .where({ fabric, status: 'queued' })
    .orderBy('queued_at', 'asc')
    .first('id');
  if (!next) return undefined;
  return db.transaction(async tx => {
    await ensureFabric(tx, fabric);
    // The fabric's row first, as enqueueRun locks it before the run's row: the
    // same order in both, so the two cannot deadlock on PostgreSQL.
    await tx(FABRICS).where({ name: fabric }).forUpdate().first('name');
    const now = Date.now();
    const updated = await tx(RUNS)
      .where({ id: next.id, status: 'queued' })
      .update({ status: 'running', started_at: now, heartbeat_at: now });
    if (updated !== 1) return undefined;
    await tx(FABRICS).where({ name: fabric }).update({ last_run_id: next.id, updated_at: now });
    return getRun(tx, next.id);
  });
}

export async function hasQueuedRuns(db: Knex, fabric: string): Promise<boolean> {
  return Boolean(await db(RUNS).where({ fabric, status: 'queued' }).first('id'));
}

/** Which of these fabrics have queued runs: one query per BATCH fabrics (index fabric, status). */
export async function fabricsWithQueuedRuns(db: Knex, fabrics: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < fabrics.length; i += BATCH) {
    const rows = await db(RUNS).distinct('fabric').whereIn('fabric', fabrics.slice(i, i + BATCH)).andWhere({ status: 'queued' });
    for (const r of rows) found.add(r.fabric);
  }
  return found;
}

export async function updateRun(db: Knex, id: string, patch: RunPatch): Promise<void> {
  const row: Record<string, unknown> = { heartbeat_at: Date.now() };
  if (patch.status) row.status = patch.status;
  if (patch.stages) row.stages = JSON.stringify(patch.stages);
  if (patch.commitBefore !== undefined) row.commit_before = patch.commitBefore;
  if (patch.commitAfter !== undefined) row.commit_after = patch.commitAfter;
  if (patch.error !== undefined) row.error = patch.error;
  if (patch.findings) {
    row.findings = JSON.stringify(patch.findings.slice(0, MAX_RUN_FINDINGS));
    row.finding_count = patch.findingCount ?? countFindings(patch.findings).errors + countFindings(patch.findings).warnings;
  } else if (patch.findingCount !== undefined) {
    row.finding_count = patch.findingCount;
  }
  if (patch.findingTotals) row.finding_totals = JSON.stringify(patch.findingTotals);
  if (patch.importGeneration !== undefined) row.import_generation = patch.importGeneration;
  if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
  if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
  await db(RUNS).where({ id }).update(row);
}

export async function heartbeat(db: Knex, id: string): Promise<void> {
  await db(RUNS).where({ id, status: 'running' }).update({ heartbeat_at: Date.now() });
}

export async function getRun(db: Knex, id: string): Promise<RunRecord | undefined> {
  const row = await db(RUNS).where({ id }).first();
  return row ? toRun(row) : undefined;
}

export async function listRuns(db: Knex, fabric: string, offset: number, limit: number): Promise<ListResponse<Run>> {
  const [rows, [{ count }]] = await Promise.all([
    db(RUNS)
      .where({ fabric })
      .select(LISTED_RUN_COLUMNS)
      .orderBy([{ column: 'queued_at', order: 'desc' }, { column: 'id', order: 'desc' }])
      .offset(offset)
      .limit(limit),
    db(RUNS).where({ fabric }).count({ count: '*' }),
  ]);
  return {
    items: rows.map(r => publicRun(toRun(r))),
    totalItems: Number(count),
  };
}

export async function failStaleRuns(db: Knex, staleBefore: number): Promise<number> {
  const now = Date.now();
  return db(RUNS)
    .where({ status: 'running' })
    .andWhere(q => q.where('heartbeat_at', '<', staleBefore).orWhereNull('heartbeat_at'))
    .update({
      status: 'failed',
      finished_at: now,
      error: 'the run was interrupted (the backend process stopped during the run); the next run starts over',
    });
}

// ---- locks ----------------------------------------------------------------

export async function tryLock(db: Knex, fabric: string, owner: string, ttlMs: number): Promise<boolean> {
  await ensureFabric(db, fabric);
  const now = Date.now();
  const updated = await db(FABRICS)
    .where({ name: fabric })
    .andWhere(q =>
      q
        .whereNull('lock_owner')
        .orWhere('lock_expires_at', '<', now)
        .orWhere('lock_owner', owner),
    )
    .update({ lock_owner: owner, lock_expires_at: now + ttlMs });
  return updated === 1;
}

export async function releaseLock(db: Knex, fabric: string, owner: string): Promise<void> {
  await db(FABRICS)
    .where({ name: fabric, lock_owner: owner })
    .update({ lock_owner: null, lock_expires_at: null });
}

/** The id of the fabric's run that wrote an import generation, when it is still recorded. */
export async function runOfImport(db: Knex, fabric: string, generation: number): Promise<string | undefined> {
  const row = await db(RUNS).where({ fabric, import_generation: generation }).orderBy('queued_at', 'desc').first('id');
  return row?.id ?? undefined;
}

/** The fabric's synced commits starting with `prefix` (see HedgehogStore.syncedCommits). */
export async function syncedCommits(db: Knex, fabric: string, prefix: string, limit: number): Promise<string[]> {
  if (!/^[0-9a-f]+$/.test(prefix)) return [];
  const rows = await db(RUNS)
    .distinct('commit_after')
    .where({ fabric })
    .whereIn('type', ['sync', 'restore'])
    .whereIn('status', ['succeeded', 'partial'])
    .andWhere('commit_after', 'like', `${prefix}%`)
    // a dry run imported nothing: its commit was looked at, not synced
    .andWhere(q => q.whereNull('options').orWhere('options', 'not like', '%"dryRun":true%'))
    .limit(limit);
  return rows.map(r => String(r.commit_after));
}

/** How the fabric's last finished run of `types` other than `before` ended (see HedgehogStore.previousRun). */
export async function previousRun(
  db: Knex,
  fabric: string,
  types: RunType[],
  before: string,
): Promise<PreviousRun | undefined> {
  const row = await db(RUNS)
    .where({ fabric })
    .whereIn('type', types)
    .whereIn('status', ['succeeded', 'partial', 'failed'])
    .whereNot('id', before)
    .andWhere(q => q.whereNull('options').orWhere('options', 'not like', '%"dryRun":true%'))
    .orderBy([{ column: 'finished_at', order: 'desc' }, { column: 'queued_at', order: 'desc' }])
    .first('status', 'error', 'finding_totals');
  if (!row) return undefined;
  const errors = (parse(row.finding_totals) as { errors?: unknown } | undefined)?.errors;
  return {
    status: row.status,
    ...(row.error ? { error: String(row.error) } : {}),
    ...(typeof errors === 'number' ? { openErrors: errors } : {}),
  };
}
