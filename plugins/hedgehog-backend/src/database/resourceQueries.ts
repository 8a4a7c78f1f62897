import {
  Finding,
  withBlocksApply,
  DRIFT_STATUSES,
  DriftStatus,
  ListResponse,
  ResourceDetail,
  ResourceItem,
  UnmanagedFile,
} from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import type { DriftEntry } from '../drift/classifyDrift';
import { applyBlocking } from '../validation/applyBlocking';
import { ApplyResultRow, DesiredRow, ResourceFilter } from './HedgehogStore';
import { recordResourceStatus } from './resourceStatus';
import { parse, resourceKey, toResourceItem } from './rows';
import { FINDINGS, ORPHAN_PATH, RESOURCES, UNMANAGED } from './tables';

/* Queries of the stored resources (desired state, apply results, drift) and unmanaged files. */

export async function listDesired(db: Knex, fabric: string): Promise<DesiredRow[]> {
  const rows = await db(RESOURCES)
    .where({ fabric })
    .whereNot('git_path', ORPHAN_PATH)
    .select('kind', 'name', 'desired', 'findings')
    .orderBy([{ column: 'kind' }, { column: 'name' }]);
  return rows.map(r => ({
    kind: r.kind,
    name: r.name,
    object: JSON.parse(r.desired),
    ...applyBlocking((parse(r.findings) ?? []) as Finding[]),
  }));
}

/** The desired objects of a fabric as their JSON texts (in the order of listDesired). */
export async function listDesiredJson(db: Knex, fabric: string): Promise<string[]> {
  const rows = await db(RESOURCES)
    .where({ fabric })
    .whereNot('git_path', ORPHAN_PATH)
    .select('desired')
    .orderBy([{ column: 'kind' }, { column: 'name' }]);
  return rows.map(r => String(r.desired));
}

/** Rows one UPDATE of recordApply writes (5 parameters each). */
const APPLY_BATCH = 500;

/**
 * Records an apply. As with drift, a row is written only when its outcome changed: the same status
 * and error with the same live object (by resourceVersion) leave it as it is, so a re-apply that
 * changed nothing writes nothing.
 */
export async function recordApply(db: Knex, fabric: string, results: ApplyResultRow[]): Promise<void> {
  const now = Date.now();
  await db.transaction(async tx => {
    const { stored } = await storedRows<StoredApply>(tx, fabric, ['apply_status', 'apply_error']);
    // The rows to write (a later result of the same resource wins, as when each was written in turn),
    // grouped by the values they set alike: one UPDATE per group of up to APPLY_BATCH rows.
    const changed = new Map<string, ApplyResultRow>();
    for (const r of results) {
      const was = stored.get(resourceKey(r.kind, r.name));
      if (was && was.apply_status === r.status && was.apply_error === (r.error ?? null) && sameLive(was, r.live)) continue;
      changed.set(resourceKey(r.kind, r.name), r);
    }
    const groups = new Map<string, ApplyResultRow[]>();
    for (const r of changed.values()) {
      const group = JSON.stringify([r.kind, r.status, r.error ?? null, Boolean(r.live)]);
      const rows = groups.get(group);
      if (rows) rows.push(r);
      else groups.set(group, [r]);
    }
    for (const rows of groups.values()) {
      const { kind, status, error, live } = rows[0];
      for (let i = 0; i < rows.length; i += APPLY_BATCH) {
        const batch = rows.slice(i, i + APPLY_BATCH);
        const row: Record<string, unknown> = { apply_status: status, apply_error: error ?? null, updated_at: now };
        if (live) {
          row.live = byName(tx, batch.map(r => [r.name, JSON.stringify(r.live)]));
          row.live_resource_version = byName(tx, batch.map(r => [r.name, r.live!.metadata?.resourceVersion ?? null]));
        }
        await tx(RESOURCES).where({ fabric, kind }).whereIn('name', batch.map(r => r.name)).update(row);
      }
    }
    if (changed.size > 0) await recordResourceStatus(tx, fabric);
  });
}

/** A value per row by its name: `case name when ? then ? ... end`. */
function byName(tx: Knex.Transaction, values: Array<[string, string | null]>): Knex.Raw {
  return tx.raw(`case ?? ${values.map(() => 'when ? then ?').join(' ')} end`, ['name', ...values.flat()]);
}

/** What a row holds of its live object: its resourceVersion, and whether there is none. */
interface StoredLive {
  kind: string;
  name: string;
  live_resource_version: string | null;
  live_missing: number | boolean;
}

interface StoredApply extends StoredLive {
  apply_status: string | null;
  apply_error: string | null;
}

/** The fabric's rows with the given columns and what they hold of the live object, also by resource key. */
async function storedRows<T extends StoredLive>(tx: Knex.Transaction, fabric: string, columns: string[]) {
  const rows = (await tx(RESOURCES)
    .where({ fabric })
    .select('kind', 'name', ...columns, 'live_resource_version', tx.raw('(live is null) as live_missing'))) as T[];
  return { rows, stored: new Map(rows.map(r => [resourceKey(r.kind, r.name), r])) };
}

/** Whether a row already holds this live object; no live object given leaves the stored one alone. */
function sameLive(was: StoredLive, live: Record<string, any> | undefined) {
  if (!live) return true;
  const rv = live.metadata?.resourceVersion ?? null;
  return !was.live_missing && rv !== null && was.live_resource_version === rv;
}

/**
 * Records a drift check. Only rows whose drift changed are written: the same status, score and
 * differences against the same live object (Kubernetes' resourceVersion identifies its content)
 * leave the row as it is, so a check that finds what the last one found writes nothing.
 */
export async function recordDrift(db: Knex, fabric: string, entries: DriftEntry[]): Promise<void> {
  const now = Date.now();
  await db.transaction(async tx => {
    const { rows, stored } = await storedRows<StoredDrift>(tx, fabric, ['git_path', 'drift_status', 'drift_score', 'differences']);
    const clusterOnly = new Set<string>();
    let wrote = false;
    for (const e of entries) {
      const key = resourceKey(e.kind, e.name);
      if (e.clusterOnly) clusterOnly.add(key);
      const differences = JSON.stringify(e.differences);
      const was = stored.get(key);
      if (was && unchangedDrift(was, { drift_status: e.status, drift_score: e.score, differences }, e.live, Boolean(e.clusterOnly))) {
        continue;
      }
      wrote = true;
      const row = {
        drift_status: e.status,
        drift_score: e.score,
        differences,
        live: e.live ? JSON.stringify(e.live) : null,
        live_resource_version: e.live?.metadata?.resourceVersion ?? null,
        updated_at: now,
      };
      if (e.clusterOnly) {
        await tx(RESOURCES)
          .insert({ fabric, kind: e.kind, name: e.name, namespace: 'default', git_path: ORPHAN_PATH, desired: 'null', ...row })
          .onConflict(['fabric', 'kind', 'name'])
          .merge(Object.keys(row));
      } else {
        await tx(RESOURCES).where({ fabric, kind: e.kind, name: e.name }).update(row);
      }
    }
    // Objects only in the cluster that are gone from it are forgotten.
    for (const r of rows) {
      if (r.git_path === ORPHAN_PATH && !clusterOnly.has(resourceKey(r.kind, r.name))) {
        await tx(RESOURCES).where({ fabric, kind: r.kind, name: r.name, git_path: ORPHAN_PATH }).delete();
        wrote = true;
      }
    }
    if (wrote) await recordResourceStatus(tx, fabric);
  });
}

interface StoredDrift extends StoredLive {
  git_path: string;
  drift_status: string | null;
  drift_score: number | string | null;
  differences: string | null;
}

/** PostgreSQL keeps the score as a 4-byte float: equal within its precision. */
function sameScore(stored: number | string | null, score: number | null): boolean {
  if (stored === null || score === null) return stored === score;
  return Math.abs(Number(stored) - score) < 1e-6;
}

function unchangedDrift(
  was: StoredDrift,
  row: { drift_status: string; drift_score: number | null; differences: string },
  live: Record<string, any> | undefined,
  clusterOnly: boolean,
): boolean {
  return (
    (was.git_path === ORPHAN_PATH) === clusterOnly &&
    was.drift_status === row.drift_status &&
    sameScore(was.drift_score, row.drift_score) &&
    was.differences === row.differences &&
    (live ? sameLive(was, live) : Boolean(was.live_missing))
  );
}

export async function markDriftUnknown(db: Knex, fabric: string): Promise<void> {
  await db.transaction(async tx => {
    await tx(RESOURCES)
      .where({ fabric })
      .update({ drift_status: 'unknown', drift_score: null, differences: null, updated_at: Date.now() });
    await recordResourceStatus(tx, fabric);
  });
}

export async function knownBlobIds(db: Knex, fabric: string): Promise<Map<string, string>> {
  const rows = await db(RESOURCES).where({ fabric }).select('git_path', 'blob_id');
  return new Map(rows.filter(r => r.blob_id).map(r => [r.git_path, r.blob_id]));
}

export async function listResources(db: Knex, fabric: string, filter: ResourceFilter): Promise<ListResponse<ResourceItem>> {
  const base = () => {
    const q = db(RESOURCES).where({ fabric });
    if (filter.kind) q.andWhere({ kind: filter.kind });
    if (filter.status) q.andWhere({ drift_status: filter.status });
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
      q.andWhereRaw(`lower(name) like ? escape '\\'`, [like]);
    }
    if (filter.findings === 'errors') q.andWhere('error_count', '>', 0);
    if (filter.findings === 'warnings') q.andWhere('warning_count', '>', 0);
    if (filter.rule) {
      const rule = filter.rule;
      q.whereExists(sub =>
        sub
          .select(db.raw('1'))
          .from(FINDINGS)
          .where(`${FINDINGS}.fabric`, fabric)
          .whereNull(`${FINDINGS}.closed`)
          .andWhere(`${FINDINGS}.rule`, rule)
          .andWhereRaw(`${FINDINGS}.kind = ${RESOURCES}.kind and ${FINDINGS}.name = ${RESOURCES}.name`),
      );
    }
    return q;
  };
  const columns = ['kind', 'name', 'namespace', 'git_path', 'apply_status', 'drift_status', 'drift_score', 'error_count', 'warning_count'];
  const withDesired = filter.include === 'desired';
  const [rows, [{ count }]] = await Promise.all([
    base()
      .select(withDesired ? [...columns, 'desired'] : columns)
      .orderBy([{ column: 'kind' }, { column: 'name' }])
      .offset(filter.offset)
      .limit(filter.limit),
    base().count({ count: '*' }),
  ]);
  const items = rows.map((row: any) =>
    withDesired ? { ...toResourceItem(row), desired: parse(row.desired) ?? null } : toResourceItem(row),
  );
  return { items, totalItems: Number(count) };
}

export async function getResource(db: Knex, fabric: string, kind: string, name: string): Promise<ResourceDetail | undefined> {
  const row = await db(RESOURCES).where({ fabric, kind, name }).first();
  if (!row) return undefined;
  return {
    ...toResourceItem(row),
    desired: parse(row.desired) ?? null,
    live: parse(row.live) ?? undefined,
    differences: parse(row.differences) ?? [],
    // rows imported before findings carried blocksApply get it on read
    findings: ((parse(row.findings) ?? []) as Finding[]).map(withBlocksApply),
    source:
      row.source_file !== null && row.source_file !== undefined
        ? { file: row.source_file, document: Number(row.source_index ?? 0) }
        : undefined,
  };
}

export async function failedApplies(db: Knex, fabric: string): Promise<number> {
  const [{ count }] = await db(RESOURCES).where({ fabric, apply_status: 'failed' }).count({ count: '*' });
  return Number(count);
}

export async function driftCounts(db: Knex, fabric: string): Promise<Record<DriftStatus, number>> {
  const rows = await db(RESOURCES)
    .where({ fabric })
    .groupBy('drift_status')
    .select('drift_status')
    .count({ count: '*' });
  const counts = Object.fromEntries(DRIFT_STATUSES.map(s => [s, 0])) as Record<DriftStatus, number>;
  for (const r of rows as Array<{ drift_status: DriftStatus; count: string | number }>) {
    counts[r.drift_status] = Number(r.count);
  }
  return counts;
}

export async function listUnmanaged(db: Knex, fabric: string): Promise<ListResponse<UnmanagedFile>> {
  const rows = await db(UNMANAGED).where({ fabric }).orderBy('path');
  return {
    items: rows.map(r => ({
      path: r.path,
      originalPath: r.original_path ?? r.path,
      reasons: parse(r.reasons) ?? [],
    })),
    totalItems: rows.length,
  };
}

export async function unmanagedReasonBlobs(db: Knex, fabric: string) {
  const rows = await db(UNMANAGED).where({ fabric }).select('path', 'reason_blob_id', 'original_path', 'reasons');
  return new Map(rows.map(r => [r.path as string, r.reason_blob_id ?? undefined]));
}
