import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  Finding,
  blocksApply,
  DriftStatus,
  ListResponse,
  ResourceDetail,
  ResourceItem,
  Run,
  UnmanagedFile,
} from '@fabric-gitops/plugin-hedgehog-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  FabricState,
  HedgehogStore,
  ApplyResultRow,
  DesiredRow,
  DriftEntryRow,
  ImportBatch,
  ResourceFilter,
  RunPatch,
  RunRecord,
} from './HedgehogStore';
import {
  fabricRow,
  joinRequest,
  mergeOptions,
  num,
  parse,
  publicRun,
  resourceKey,
  toFabricState,
  toResourceItem,
  toRun,
} from './rows';

export { publicRun };

const migrationsDir = resolvePackagePath(
  '@fabric-gitops/plugin-hedgehog-backend',
  'migrations',
);

const FABRICS = 'hedgehog_fabrics';
const RUNS = 'hedgehog_runs';
const RESOURCES = 'hedgehog_resources';
const UNMANAGED = 'hedgehog_unmanaged_files';
const BATCH = 200;
/** git_path of rows for objects that exist only in the cluster. */
const ORPHAN_PATH = '';
const MAX_RUN_FINDINGS = 1000;
/** Rows an import must change before PostgreSQL's statistics of the resources table are refreshed. */
const ANALYZE_AFTER_ROWS = 1000;
const DRIFT_STATUSES: DriftStatus[] = [
  'in_sync',
  'drifted',
  'missing_in_cluster',
  'orphaned_in_cluster',
  'unknown',
];

/**
 * Runs the migrations. Replicas that start at the same moment on one database
 * race in Knex: both create its bookkeeping tables ("relation knex_migrations
 * already exists"), or one finds the other holding the migration lock ("Migration
 * table is already locked"), and the loser would fail to start. Those errors are
 * retried until the other replica is done.
 */
async function migrateLatest(client: Knex) {
  for (let attempt = 1; ; attempt++) {
    try {
      await client.migrate.latest({ directory: migrationsDir });
      return;
    } catch (e) {
      const text = String(e instanceof Error ? e.message : e);
      if (attempt >= 20 || !/already exists|already locked|duplicate key/i.test(text)) throw e;
      await new Promise(r => setTimeout(r, 250 + Math.floor(Math.random() * 500)));
    }
  }
}

/** The store on Knex: SQLite (embedded default) or PostgreSQL. */
export class DatabaseHedgehogStore implements HedgehogStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseHedgehogStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await migrateLatest(client);
    }
    return new DatabaseHedgehogStore(client);
  }

  /** For tests: the migrations folder. */
  static readonly migrationsDir = migrationsDir;

  constructor(private readonly db: Knex) {}

  // ---- runs ---------------------------------------------------------------

  async enqueueRun(run: Parameters<HedgehogStore['enqueueRun']>[0]) {
    return this.db.transaction(async tx => {
      await this.ensureFabric(tx, run.fabric);
      // Serialize enqueues of one fabric (row lock on PostgreSQL; SQLite
      // serializes write transactions anyway).
      await tx(FABRICS).where({ name: run.fabric }).forUpdate().first();
      const queued = await tx(RUNS)
        .where({ fabric: run.fabric, type: run.type, status: 'queued' })
        .orderBy('queued_at', 'asc')
        .first('id', 'options', 'coalesced');
      if (queued) {
        const merged = mergeOptions(parse(queued.options) ?? {}, run.options ?? {});
        const coalesced = joinRequest(parse(queued.coalesced) ?? [], run);
        // claimNextRun does not take the fabric lock: the run may have started
        // since it was read. Join it only if it is still queued, or the options
        // of this request would be lost.
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

  async claimNextRun(fabric: string): Promise<RunRecord | undefined> {
    const next = await this.db(RUNS)
      .where({ fabric, status: 'queued' })
      .orderBy('queued_at', 'asc')
      .first('id');
    if (!next) return undefined;
    const now = Date.now();
    const updated = await this.db(RUNS)
      .where({ id: next.id, status: 'queued' })
      .update({ status: 'running', started_at: now, heartbeat_at: now });
    if (updated !== 1) return undefined;
    return this.getRun(next.id);
  }

  async hasQueuedRuns(fabric: string): Promise<boolean> {
    return Boolean(await this.db(RUNS).where({ fabric, status: 'queued' }).first('id'));
  }

  async updateRun(id: string, patch: RunPatch): Promise<void> {
    const row: Record<string, unknown> = { heartbeat_at: Date.now() };
    if (patch.status) row.status = patch.status;
    if (patch.stages) row.stages = JSON.stringify(patch.stages);
    if (patch.commitBefore !== undefined) row.commit_before = patch.commitBefore;
    if (patch.commitAfter !== undefined) row.commit_after = patch.commitAfter;
    if (patch.error !== undefined) row.error = patch.error;
    if (patch.findings) {
      row.findings = JSON.stringify(patch.findings.slice(0, MAX_RUN_FINDINGS));
      row.finding_count = patch.findingCount ?? patch.findings.length;
    } else if (patch.findingCount !== undefined) {
      row.finding_count = patch.findingCount;
    }
    if (patch.startedAt !== undefined) row.started_at = patch.startedAt;
    if (patch.finishedAt !== undefined) row.finished_at = patch.finishedAt;
    await this.db(RUNS).where({ id }).update(row);
  }

  async heartbeat(id: string): Promise<void> {
    await this.db(RUNS).where({ id, status: 'running' }).update({ heartbeat_at: Date.now() });
  }

  async getRun(id: string): Promise<RunRecord | undefined> {
    const row = await this.db(RUNS).where({ id }).first();
    return row ? toRun(row) : undefined;
  }

  async listRuns(fabric: string, offset: number, limit: number): Promise<ListResponse<Run>> {
    const [rows, [{ count }]] = await Promise.all([
      this.db(RUNS)
        .where({ fabric })
        .orderBy([{ column: 'queued_at', order: 'desc' }, { column: 'id', order: 'desc' }])
        .offset(offset)
        .limit(limit),
      this.db(RUNS).where({ fabric }).count({ count: '*' }),
    ]);
    return {
      items: rows.map(r => publicRun(toRun(r))),
      totalItems: Number(count),
    };
  }

  async failStaleRuns(staleBefore: number): Promise<number> {
    const now = Date.now();
    return this.db(RUNS)
      .where({ status: 'running' })
      .andWhere(q => q.where('heartbeat_at', '<', staleBefore).orWhereNull('heartbeat_at'))
      .update({
        status: 'failed',
        finished_at: now,
        error: 'the run was interrupted (the backend process stopped during the run); the next run starts over',
      });
  }

  // ---- locks --------------------------------------------------------------

  async tryLock(fabric: string, owner: string, ttlMs: number): Promise<boolean> {
    await this.ensureFabric(this.db, fabric);
    const now = Date.now();
    const updated = await this.db(FABRICS)
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

  async releaseLock(fabric: string, owner: string): Promise<void> {
    await this.db(FABRICS)
      .where({ name: fabric, lock_owner: owner })
      .update({ lock_owner: null, lock_expires_at: null });
  }

  // ---- fabric state -------------------------------------------------------

  async getFabricState(name: string): Promise<FabricState | undefined> {
    const row = await this.db(FABRICS).where({ name }).first();
    return row ? toFabricState(row) : undefined;
  }

  async listFabricStates(): Promise<FabricState[]> {
    const rows = await this.db(FABRICS).select();
    return rows.map(toFabricState);
  }

  async updateFabricState(name: string, patch: Partial<Omit<FabricState, 'name'>>) {
    await this.ensureFabric(this.db, name);
    await this.db(FABRICS).where({ name }).update(fabricRow(patch));
  }

  // ---- desired state ------------------------------------------------------

  async importState(fabric: string, batch: ImportBatch) {
    const result = await this.db.transaction(async tx => {
      await this.ensureFabric(tx, fabric);
      const now = Date.now();
      const existing = new Map<
        string,
        { kind: string; name: string; blob: string | null; gitPath: string; findings: string | null }
      >();
      const rows = await tx(RESOURCES)
        .where({ fabric })
        .whereNot('git_path', ORPHAN_PATH)
        .select('kind', 'name', 'blob_id', 'git_path', 'findings');
      for (const r of rows) {
        existing.set(resourceKey(r.kind, r.name), {
          kind: r.kind,
          name: r.name,
          blob: r.blob_id,
          gitPath: r.git_path,
          findings: r.findings,
        });
      }

      const upserts = [];
      const keep = new Set<string>();
      for (const r of batch.resources) {
        const key = resourceKey(r.kind, r.name);
        keep.add(key);
        const findings = JSON.stringify(r.findings);
        const old = existing.get(key);
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
          error_count: r.findings.filter(f => f.severity === 'error').length,
          warning_count: r.findings.filter(f => f.severity === 'warning').length,
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
      const gone = [...existing.entries()].filter(([k]) => !keep.has(k)).map(([, v]) => v);
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

      await tx(FABRICS)
        .where({ name: fabric })
        .update(
          fabricRow({
            lastSyncedCommit: batch.commit,
            lastSyncAt: now,
            counts: batch.counts,
          }),
        );
      return { upserted: upserts.length, deleted: gone.length };
    });
    // PostgreSQL plans the resource pages from table statistics, which stay stale after a
    // large import until autovacuum analyzes the table (up to a minute or more): meanwhile
    // every page sorts all rows of the fabric instead of reading 50 from the primary key.
    if (this.db.client.dialect === 'postgresql' && result.upserted + result.deleted >= ANALYZE_AFTER_ROWS) {
      await this.db.raw(`ANALYZE ${RESOURCES}`);
    }
    return result;
  }

  async listDesired(fabric: string): Promise<DesiredRow[]> {
    const rows = await this.db(RESOURCES)
      .where({ fabric })
      .whereNot('git_path', ORPHAN_PATH)
      .select('kind', 'name', 'desired', 'findings')
      .orderBy([{ column: 'kind' }, { column: 'name' }]);
    return rows.map(r => {
      const blocking = ((parse(r.findings) ?? []) as Finding[]).filter(blocksApply);
      return {
        kind: r.kind,
        name: r.name,
        object: JSON.parse(r.desired),
        errors: blocking.filter(f => f.severity === 'error').length,
        blockedReason:
          blocking.length > 0
            ? `not applied: ${blocking[0].message}${blocking.length > 1 ? ` (+${blocking.length - 1} more)` : ''}`
            : undefined,
      };
    });
  }

  async recordApply(fabric: string, results: ApplyResultRow[]): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async tx => {
      for (const r of results) {
        const row: Record<string, unknown> = {
          apply_status: r.status,
          apply_error: r.error ?? null,
          updated_at: now,
        };
        if (r.live) {
          row.live = JSON.stringify(r.live);
          row.live_resource_version = r.live.metadata?.resourceVersion ?? null;
        }
        await tx(RESOURCES).where({ fabric, kind: r.kind, name: r.name }).update(row);
      }
    });
  }

  async recordDrift(fabric: string, entries: DriftEntryRow[]): Promise<void> {
    const now = Date.now();
    await this.db.transaction(async tx => {
      const orphans = new Set<string>();
      for (const e of entries) {
        const row = {
          drift_status: e.status,
          drift_score: e.score,
          differences: JSON.stringify(e.differences),
          live: e.live ? JSON.stringify(e.live) : null,
          live_resource_version: e.live?.metadata?.resourceVersion ?? null,
          updated_at: now,
        };
        if (e.status === 'orphaned_in_cluster') {
          orphans.add(resourceKey(e.kind, e.name));
          await tx(RESOURCES)
            .insert({ fabric, kind: e.kind, name: e.name, namespace: 'default', git_path: ORPHAN_PATH, desired: 'null', ...row })
            .onConflict(['fabric', 'kind', 'name'])
            .merge(Object.keys(row));
        } else {
          await tx(RESOURCES).where({ fabric, kind: e.kind, name: e.name }).update(row);
        }
      }
      // Orphans that are gone from the cluster are forgotten.
      const known = await tx(RESOURCES).where({ fabric, git_path: ORPHAN_PATH }).select('kind', 'name');
      for (const k of known) {
        if (!orphans.has(resourceKey(k.kind, k.name))) {
          await tx(RESOURCES).where({ fabric, kind: k.kind, name: k.name, git_path: ORPHAN_PATH }).delete();
        }
      }
    });
  }

  async markDriftUnknown(fabric: string): Promise<void> {
    await this.db(RESOURCES)
      .where({ fabric })
      .update({ drift_status: 'unknown', drift_score: null, differences: null, updated_at: Date.now() });
  }

  async knownBlobIds(fabric: string): Promise<Map<string, string>> {
    const rows = await this.db(RESOURCES).where({ fabric }).select('git_path', 'blob_id');
    return new Map(rows.filter(r => r.blob_id).map(r => [r.git_path, r.blob_id]));
  }

  async listResources(fabric: string, filter: ResourceFilter): Promise<ListResponse<ResourceItem>> {
    const base = () => {
      const q = this.db(RESOURCES).where({ fabric });
      if (filter.kind) q.andWhere({ kind: filter.kind });
      if (filter.status) q.andWhere({ drift_status: filter.status });
      if (filter.q) {
        const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
        q.andWhereRaw(`lower(name) like ? escape '\\'`, [like]);
      }
      return q;
    };
    const [rows, [{ count }]] = await Promise.all([
      base()
        .select(
          'kind',
          'name',
          'namespace',
          'git_path',
          'apply_status',
          'drift_status',
          'drift_score',
          'error_count',
          'warning_count',
        )
        .orderBy([{ column: 'kind' }, { column: 'name' }])
        .offset(filter.offset)
        .limit(filter.limit),
      base().count({ count: '*' }),
    ]);
    return { items: rows.map(toResourceItem), totalItems: Number(count) };
  }

  async getResource(fabric: string, kind: string, name: string): Promise<ResourceDetail | undefined> {
    const row = await this.db(RESOURCES).where({ fabric, kind, name }).first();
    if (!row) return undefined;
    return {
      ...toResourceItem(row),
      desired: parse(row.desired) ?? null,
      live: parse(row.live) ?? undefined,
      differences: parse(row.differences) ?? [],
      findings: parse(row.findings) ?? [],
      source:
        row.source_file !== null && row.source_file !== undefined
          ? { file: row.source_file, document: Number(row.source_index ?? 0) }
          : undefined,
    };
  }

  async driftCounts(fabric: string): Promise<Record<DriftStatus, number>> {
    const rows = await this.db(RESOURCES)
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

  async listUnmanaged(fabric: string): Promise<ListResponse<UnmanagedFile>> {
    const rows = await this.db(UNMANAGED).where({ fabric }).orderBy('path');
    return {
      items: rows.map(r => ({
        path: r.path,
        originalPath: r.original_path ?? r.path,
        reasons: parse(r.reasons) ?? [],
      })),
      totalItems: rows.length,
    };
  }

  async unmanagedReasonBlobs(fabric: string) {
    const rows = await this.db(UNMANAGED).where({ fabric }).select('path', 'reason_blob_id', 'original_path', 'reasons');
    return new Map(rows.map(r => [r.path as string, r.reason_blob_id ?? undefined]));
  }

  private async ensureFabric(db: Knex | Knex.Transaction, name: string) {
    await db(FABRICS)
      .insert({ name, status: 'never_synced', updated_at: Date.now() })
      .onConflict('name')
      .ignore();
  }
}
