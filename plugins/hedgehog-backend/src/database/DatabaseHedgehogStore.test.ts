import { DatabaseService } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DriftStatus, Finding, RunStage } from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';
import { ImportBatch, ResourceRow, UnmanagedRow } from './HedgehogStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ids = databases.eachSupportedId();

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  return { knex, store: new DatabaseHedgehogStore(knex) };
}

// ---- realistic resources in canonical form ---------------------------------

const FABRIC = 'env-1';

function vpc(name: string, n: number): Record<string, unknown> {
  return {
    apiVersion: 'vpc.githedgehog.com/v1beta1',
    kind: 'VPC',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'githedgehog.com/source-file': 'raw/vpcs.yaml',
        'githedgehog.com/source-index': String(n - 1),
      },
    },
    spec: {
      subnets: {
        default: {
          dhcp: { enable: true, range: { end: `10.10.${100 + n}.99`, start: `10.10.${100 + n}.10` } },
          subnet: `10.10.${100 + n}.0/24`,
          vlan: 1100 + n,
        },
      },
    },
  };
}

function switchResource(name: string, mac: string): Record<string, unknown> {
  return {
    apiVersion: 'wiring.githedgehog.com/v1beta1',
    kind: 'Switch',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'githedgehog.com/source-file': 'raw/wiring/switches.yaml',
        'githedgehog.com/source-index': '0',
      },
    },
    spec: {
      boot: { mac },
      description: name,
      profile: 'celestica-ds3000',
      redundancy: {},
      role: 'server-leaf',
    },
  };
}

function row(
  desired: Record<string, unknown>,
  blobId: string,
  findings: Finding[] = [],
): ResourceRow {
  const metadata = desired.metadata as any;
  const plural = desired.kind === 'VPC' ? 'vpcs' : 'switches';
  return {
    kind: desired.kind as string,
    name: metadata.name,
    namespace: 'default',
    gitPath: `managed/${plural}/${metadata.name}.yaml`,
    blobId,
    desired,
    source: {
      file: metadata.annotations['githedgehog.com/source-file'],
      document: Number(metadata.annotations['githedgehog.com/source-index']),
    },
    findings,
  };
}

const blob = (c: string) => c.repeat(40);

const vlanWarning: Finding = {
  severity: 'warning',
  rule: 'vpc.vlan-range',
  file: 'managed/vpcs/vpc-2.yaml',
  document: 0,
  path: 'spec.subnets.default.vlan',
  message: 'VLAN 1102 is outside the reserved range',
};
const macError: Finding = {
  severity: 'error',
  rule: 'switch.boot-mac',
  file: 'managed/switches/leaf-01.yaml',
  document: 0,
  path: 'spec.boot.mac',
  message: 'the MAC address is not unique',
};

const unmanagedNotes: UnmanagedRow = {
  path: 'unmanaged/raw/notes.txt',
  originalPath: 'raw/notes.txt',
  reasons: [{ message: 'not a YAML file' }],
  reasonBlobId: blob('e'),
};
const unmanagedAlpha: UnmanagedRow = {
  path: 'unmanaged/raw/old-vpcs.yaml',
  originalPath: 'raw/old-vpcs.yaml',
  reasons: [{ document: 0, message: 'apiVersion vpc.githedgehog.com/v1alpha2 is not supported' }],
  reasonBlobId: blob('f'),
};

function batch(resources: ResourceRow[], unmanaged: UnmanagedRow[] = [], commit = blob('c'), incomplete: ImportBatch['incomplete'] = {}): ImportBatch {
  const counts: Record<string, number> = {};
  for (const r of resources) counts[r.kind] = (counts[r.kind] ?? 0) + 1;
  return { commit, resources, unmanaged, counts, incomplete };
}

const baseResources = () => [
  row(vpc('vpc-1', 1), blob('1')),
  row(vpc('vpc-2', 2), blob('2'), [vlanWarning]),
  row(switchResource('leaf-01', '0c:20:12:ff:00:00'), blob('3'), [macError]),
];

async function setDrift(
  knex: Knex,
  kind: string,
  name: string,
  drift_status: DriftStatus,
  extra: Record<string, unknown> = {},
) {
  await knex('hedgehog_resources').where({ fabric: FABRIC, kind, name }).update({ drift_status, ...extra });
}

/** A store holding baseResources(), and the INSERT/UPDATE/DELETE statements sent after that. */
async function importedWithWriteLog(databaseId: TestDatabaseId) {
  const { knex, store } = await setup(databaseId);
  await store.importState(FABRIC, batch(baseResources()));
  const writes: string[] = [];
  // writes of resource rows (the counts kept on the fabric's row are written beside them)
  knex.on('query', (q: { sql: string }) => {
    if (/^\s*(insert|update|delete)/i.test(q.sql) && q.sql.includes('hedgehog_resources')) writes.push(q.sql);
  });
  return { store, writes };
}

/** A live object as the API server returns it: with a resourceVersion. */
const withVersion = (o: Record<string, any>, rv: string) => ({ ...o, metadata: { ...o.metadata, resourceVersion: rv } });

// ---- tests ------------------------------------------------------------------

describe('DatabaseHedgehogStore', () => {
  describe('create', () => {
    it.each(ids)('runs the migrations unless told not to, on %p', async databaseId => {
      const knex = await databases.init(databaseId);
      const database = (skip: boolean) =>
        ({ getClient: async () => knex, migrations: { skip } }) as unknown as DatabaseService;

      await DatabaseHedgehogStore.create({ database: database(true) });
      expect(await knex.schema.hasTable('hedgehog_runs')).toBe(false);
      await DatabaseHedgehogStore.create({ database: database(false), skipMigrations: true });
      expect(await knex.schema.hasTable('hedgehog_runs')).toBe(false);

      const store = await DatabaseHedgehogStore.create({ database: database(false) });
      expect(await knex.schema.hasTable('hedgehog_runs')).toBe(true);
      await expect(store.listFabricStates()).resolves.toEqual([]);
    });
  });

  describe('runs', () => {
    it.each(ids)('coalesces a second enqueue of a queued run, on %p', async databaseId => {
      const { store } = await setup(databaseId);

      const first = await store.enqueueRun({
        fabric: FABRIC,
        type: 'sync',
        trigger: 'schedule',
        options: { dryRun: true },
      });
      expect(first.coalesced).toBe(false);

      const second = await store.enqueueRun({
        fabric: FABRIC,
        type: 'sync',
        trigger: 'api',
        requestedBy: 'user:default/jdoe',
        options: { apply: true, dryRun: false },
      });
      expect(second).toEqual({ id: first.id, coalesced: true });

      // the strongest ask wins, whichever order the requests came in
      const third = await store.enqueueRun({
        fabric: FABRIC,
        type: 'sync',
        trigger: 'webhook',
        options: { apply: false, dryRun: true },
      });
      expect(third).toEqual({ id: first.id, coalesced: true });

      const run = await store.getRun(first.id);
      expect(run).toMatchObject({
        id: first.id,
        fabric: FABRIC,
        type: 'sync',
        trigger: 'schedule',
        status: 'queued',
        stages: [],
      });
      expect(run!.options).toMatchObject({ apply: true, dryRun: false });
      // the run says every request it serves: the first as its trigger, the others as joined
      expect(run!.coalesced).toEqual([
        { trigger: 'api', requestedBy: 'user:default/jdoe', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
        { trigger: 'webhook', at: expect.any(String) },
      ]);

      // another type or another fabric is another run
      const drift = await store.enqueueRun({ fabric: FABRIC, type: 'drift', trigger: 'api' });
      expect(drift.coalesced).toBe(false);
      expect(drift.id).not.toBe(first.id);
      const other = await store.enqueueRun({ fabric: 'env-2', type: 'sync', trigger: 'api' });
      expect(other.coalesced).toBe(false);
      expect(other.id).not.toBe(first.id);

      // a request while the run is active is queued once
      const claimed = await store.claimNextRun(FABRIC);
      expect(claimed!.id).toBe(first.id);
      const next = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'api' });
      expect(next.coalesced).toBe(false);
      expect(next.id).not.toBe(first.id);
      const again = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'schedule' });
      expect(again).toEqual({ id: next.id, coalesced: true });
    });

    it.each(ids)('keeps a force request when coalescing, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const a = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'api', options: { force: true } });
      await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'schedule', options: { force: false } });
      expect((await store.getRun(a.id))!.options).toMatchObject({ force: true, apply: false, dryRun: false });
    });

    it.each(ids)('coalesces concurrent enqueues into one run, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const results = await Promise.all(
        [false, true, false, false, false].map(apply =>
          store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'api', options: { apply } }),
        ),
      );
      expect(new Set(results.map(r => r.id)).size).toBe(1);
      expect(results.filter(r => !r.coalesced)).toHaveLength(1);
      expect((await store.getRun(results[0].id))!.options).toMatchObject({ apply: true });
      expect((await store.listRuns(FABRIC, 0, 10)).totalItems).toBe(1);
    });

    it.each(ids)('claims queued runs in order, once, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      expect(await store.claimNextRun(FABRIC)).toBeUndefined();
      expect(await store.hasQueuedRuns(FABRIC)).toBe(false);

      const sync = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'api' });
      const drift = await store.enqueueRun({ fabric: FABRIC, type: 'drift', trigger: 'api' });
      expect(await store.hasQueuedRuns(FABRIC)).toBe(true);
      expect(await store.hasQueuedRuns('env-2')).toBe(false);
      expect(await store.fabricsWithQueuedRuns([FABRIC, 'env-2'])).toEqual(new Set([FABRIC]));
      // more fabrics than one query takes
      const many = Array.from({ length: 450 }, (_, i) => `other-${i}`);
      await store.enqueueRun({ fabric: 'other-449', type: 'sync', trigger: 'api' });
      expect(await store.fabricsWithQueuedRuns([...many, FABRIC])).toEqual(new Set(['other-449', FABRIC]));
      expect(await store.fabricsWithQueuedRuns([])).toEqual(new Set());

      const before = Date.now();
      const first = await store.claimNextRun(FABRIC);
      expect(first).toMatchObject({ id: sync.id, type: 'sync', status: 'running' });
      expect(Date.parse(first!.startedAt!)).toBeGreaterThanOrEqual(before - 1);
      expect((await store.getRun(sync.id))!.status).toBe('running');

      const second = await store.claimNextRun(FABRIC);
      expect(second).toMatchObject({ id: drift.id, status: 'running' });
      expect(await store.claimNextRun(FABRIC)).toBeUndefined();
      expect(await store.hasQueuedRuns(FABRIC)).toBe(false);
      expect(await store.fabricsWithQueuedRuns([FABRIC, 'other-449'])).toEqual(new Set(['other-449']));
    });

    it.each(ids)('keeps the order of runs queued within one millisecond, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const now = jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-11-23T10:00:00.000Z'));
      try {
        const queued = [];
        for (const type of ['sync', 'drift', 'apply'] as const) {
          queued.push((await store.enqueueRun({ fabric: FABRIC, type, trigger: 'api' })).id);
        }
        expect((await store.listRuns(FABRIC, 0, 10)).items.map(r => r.id)).toEqual([...queued].reverse());
        for (const id of queued) {
          expect((await store.claimNextRun(FABRIC))!.id).toBe(id);
        }
      } finally {
        now.mockRestore();
      }
    });

    const postgresIds = ids.filter(([id]) => id.startsWith('POSTGRES'));
    /** Waits until a session of this database waits for a row lock (PostgreSQL). */
    async function waitForLockWaiter(knex: Knex, who: string) {
      for (let i = 0; ; i++) {
        const [{ n }] = await knex('pg_stat_activity')
          .where({ datname: knex.raw('current_database()'), wait_event_type: 'Lock' })
          .count({ n: '*' });
        if (Number(n) > 0) return;
        if (i > 200) throw new Error(`${who} never waited for a row lock`);
        await new Promise(r => setTimeout(r, 10));
      }
    }
    /** Row locks only exist on PostgreSQL: the race needs one to be reproduced. */
    async function claimedWhileEnqueueing(databaseId: string) {
      const { knex, store } = await setup(databaseId as TestDatabaseId);
      const { id } = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'schedule' });

      // Hold the run's row so the enqueue below stops right after it read the
      // run as queued, then claim the run as another replica would.
      const claimer = await knex.transaction();
      try {
        await claimer('hedgehog_runs').where({ id }).forUpdate().first();
        const enqueued = store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'api', options: { apply: true } });
        await waitForLockWaiter(knex, 'the enqueue');
        await claimer('hedgehog_runs').where({ id }).update({ status: 'running', started_at: Date.now() });
        await claimer.commit();

        const result = await enqueued;
        expect(result.coalesced).toBe(false);
        expect(result.id).not.toBe(id);
        expect((await store.getRun(result.id))!).toMatchObject({ status: 'queued', options: { apply: true } });
        expect((await store.getRun(id))!.options).not.toMatchObject({ apply: true });
      } finally {
        if (!claimer.isCompleted()) await claimer.rollback();
      }
    }
    (postgresIds.length > 0 ? it.each(postgresIds) : it.skip.each([['POSTGRES_15']]))(
      'does not join a run that was claimed while enqueueing, on %p',
      claimedWhileEnqueueing,
    );

    /** A claim while an enqueue holds the fabric's row and joins the queued run. */
    async function claimWhileJoining(databaseId: string) {
      const { knex, store } = await setup(databaseId as TestDatabaseId);
      const { id } = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'schedule' });

      // What enqueueRun does when it joins a queued run: the fabric's row, then the run's.
      const enqueuer = await knex.transaction();
      try {
        await enqueuer('hedgehog_fabrics').where({ name: FABRIC }).forUpdate().first();
        const claimed = store.claimNextRun(FABRIC);
        await waitForLockWaiter(knex, 'the claim');
        // a claim that held the run's row here would deadlock with this update
        const joined = await enqueuer('hedgehog_runs').where({ id, status: 'queued' }).update({ options: '{"apply":true}' });
        expect(joined).toBe(1);
        await enqueuer.commit();
        expect((await claimed)!).toMatchObject({ id, status: 'running', options: { apply: true } });
      } finally {
        if (!enqueuer.isCompleted()) await enqueuer.rollback();
      }
    }
    (postgresIds.length > 0 ? it.each(postgresIds) : it.skip.each([['POSTGRES_15']]))(
      'claims a run an enqueue is joining without a deadlock, on %p',
      claimWhileJoining,
    );

    it.each(ids)('lets only one of concurrent claims win, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const { id } = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'api' });
      const claims = await Promise.all([1, 2, 3, 4].map(() => store.claimNextRun(FABRIC)));
      const winners = claims.filter(c => c !== undefined);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.id).toBe(id);
      expect((await store.getRun(id))!.status).toBe('running');
      // the claimed run is the fabric's last run
      expect((await store.getFabricState(FABRIC))?.lastRunId).toBe(id);
    });

    it.each(ids)('round-trips stages, findings and commits, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const { id } = await store.enqueueRun({
        fabric: FABRIC,
        type: 'sync',
        trigger: 'webhook',
        requestedBy: 'github-webhook',
      });
      await store.claimNextRun(FABRIC);

      const stages: RunStage[] = [
        {
          name: 'fetch',
          status: 'succeeded',
          startedAt: '2026-11-23T10:00:00.000Z',
          finishedAt: '2026-11-23T10:00:01.500Z',
          counts: { branchExists: 1 },
          errors: [],
        },
        {
          name: 'validate',
          status: 'partial',
          startedAt: '2026-11-23T10:00:01.500Z',
          finishedAt: '2026-11-23T10:00:02.000Z',
          counts: { errors: 1, warnings: 1 },
          errors: [{ message: macError.message, file: macError.file, document: 0, path: macError.path }],
        },
        {
          name: 'commit',
          status: 'skipped',
          startedAt: '2026-11-23T10:00:02.000Z',
          finishedAt: '2026-11-23T10:00:02.000Z',
          counts: {},
          errors: [],
          message: 'nothing to commit',
        },
      ];
      await store.updateRun(id, { stages });
      expect((await store.getRun(id))!.stages).toEqual(stages);

      const finishedAt = Date.parse('2026-11-23T10:00:05.000Z');
      await store.updateRun(id, {
        status: 'partial',
        commitBefore: blob('a'),
        commitAfter: blob('b'),
        findings: [macError, vlanWarning],
        finishedAt,
        error: '1 validation error',
      });
      const run = await store.getRun(id);
      expect(run).toEqual({
        id,
        fabric: FABRIC,
        type: 'sync',
        trigger: 'webhook',
        requestedBy: 'github-webhook',
        status: 'partial',
        startedAt: expect.any(String),
        finishedAt: '2026-11-23T10:00:05.000Z',
        commitBefore: blob('a'),
        commitAfter: blob('b'),
        stages,
        error: '1 validation error',
        options: {},
        // a record written without blocksApply gets it on read
        findings: [
          { ...macError, blocksApply: true },
          { ...vlanWarning, blocksApply: false },
        ],
        findingCount: 2,
      });

      // findings are capped, the count is not
      const many: Finding[] = Array.from({ length: 1200 }, (_, i) => ({ ...vlanWarning, message: `w${i}` }));
      await store.updateRun(id, { findings: many, findingCount: 1201 });
      const capped = await store.getRun(id);
      expect(capped!.findings).toHaveLength(1000);
      expect(capped!.findingCount).toBe(1201);
      // a count alone is kept too
      await store.updateRun(id, { findingCount: 7 });
      expect((await store.getRun(id))!).toMatchObject({ findingCount: 7, findings: capped!.findings });

      expect(await store.getRun('00000000-0000-0000-0000-000000000000')).toBeUndefined();
    });

    it.each(ids)('lists runs newest first with paging, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const created: string[] = [];
      for (let i = 0; i < 5; i++) {
        const { id } = await store.enqueueRun({ fabric: FABRIC, type: 'sync', trigger: 'schedule' });
        await store.claimNextRun(FABRIC);
        await store.updateRun(id, { status: 'succeeded', finishedAt: Date.now() });
        created.push(id);
      }
      await store.enqueueRun({ fabric: 'env-2', type: 'sync', trigger: 'schedule' });
      const newestFirst = [...created].reverse();

      const all = await store.listRuns(FABRIC, 0, 50);
      expect(all.totalItems).toBe(5);
      expect(all.items.map(r => r.id)).toEqual(newestFirst);
      // the public shape: no options or findings
      expect(all.items[0]).not.toHaveProperty('options');
      expect(all.items[0]).not.toHaveProperty('findings');
      expect(all.items[0]).toMatchObject({ status: 'succeeded', fabric: FABRIC, findingCount: 0 });

      const page = await store.listRuns(FABRIC, 1, 2);
      expect(page).toEqual({ items: [expect.anything(), expect.anything()], totalItems: 5 });
      expect(page.items.map(r => r.id)).toEqual(newestFirst.slice(1, 3));
      const last = await store.listRuns(FABRIC, 4, 2);
      expect(last.items.map(r => r.id)).toEqual(newestFirst.slice(4));
      expect(last.totalItems).toBe(5);
      expect(await store.listRuns('env-3', 0, 10)).toEqual({ items: [], totalItems: 0 });
    });

    it.each(ids)('fails only stale running runs, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);
      const now = Date.now();
      const cutoff = now - 60_000;

      const stale = await store.enqueueRun({ fabric: 'f-stale', type: 'sync', trigger: 'api' });
      await store.claimNextRun('f-stale');
      await knex('hedgehog_runs').where({ id: stale.id }).update({ heartbeat_at: cutoff - 1 });

      const fresh = await store.enqueueRun({ fabric: 'f-fresh', type: 'sync', trigger: 'api' });
      await store.claimNextRun('f-fresh');
      await knex('hedgehog_runs').where({ id: fresh.id }).update({ heartbeat_at: cutoff + 1000 });

      const queued = await store.enqueueRun({ fabric: 'f-queued', type: 'sync', trigger: 'api' });
      await knex('hedgehog_runs').where({ id: queued.id }).update({ queued_at: cutoff - 100_000 });

      const done = await store.enqueueRun({ fabric: 'f-done', type: 'sync', trigger: 'api' });
      await store.claimNextRun('f-done');
      await store.updateRun(done.id, { status: 'succeeded', finishedAt: now });
      await knex('hedgehog_runs').where({ id: done.id }).update({ heartbeat_at: cutoff - 100_000 });

      expect(await store.failStaleRuns(cutoff)).toBe(1);

      const failed = await store.getRun(stale.id);
      expect(failed!.status).toBe('failed');
      expect(failed!.error).toMatch(/interrupted/);
      expect(failed!.finishedAt).toBeDefined();
      expect((await store.getRun(fresh.id))!.status).toBe('running');
      expect((await store.getRun(queued.id))!.status).toBe('queued');
      expect((await store.getRun(done.id))!).toMatchObject({ status: 'succeeded', error: undefined });

      // a heartbeat keeps a run alive
      await store.heartbeat(fresh.id);
      expect(await store.failStaleRuns(Date.now() - 60_000)).toBe(0);
      expect(await store.failStaleRuns(cutoff)).toBe(0);
    });
  });

  describe('locks', () => {
    it.each(ids)('gives a fabric to one owner at a time, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);

      expect(await store.tryLock(FABRIC, 'replica-a', 60_000)).toBe(true);
      // the lock creates the fabric's state row
      expect(await store.getFabricState(FABRIC)).toMatchObject({ name: FABRIC, status: 'never_synced', counts: {} });

      expect(await store.tryLock(FABRIC, 'replica-b', 60_000)).toBe(false);
      // the same owner renews its lock
      expect(await store.tryLock(FABRIC, 'replica-a', 60_000)).toBe(true);
      // locks are per fabric
      expect(await store.tryLock('env-2', 'replica-b', 60_000)).toBe(true);

      // only the owner releases
      await store.releaseLock(FABRIC, 'replica-b');
      expect(await store.tryLock(FABRIC, 'replica-b', 60_000)).toBe(false);
      await store.releaseLock(FABRIC, 'replica-a');
      expect(await store.tryLock(FABRIC, 'replica-b', 60_000)).toBe(true);
      expect(await store.tryLock(FABRIC, 'replica-a', 60_000)).toBe(false);

      // an expired lock is free
      await knex('hedgehog_fabrics').where({ name: FABRIC }).update({ lock_expires_at: Date.now() - 1000 });
      expect(await store.tryLock(FABRIC, 'replica-a', 60_000)).toBe(true);
      expect(await store.tryLock(FABRIC, 'replica-b', 60_000)).toBe(false);
    });

    it.each(ids)('lets only one of concurrent lockers win, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const results = await Promise.all(['a', 'b', 'c', 'd'].map(o => store.tryLock(FABRIC, o, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('fabric state', () => {
    it.each(ids)('stores and lists fabric states, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      expect(await store.getFabricState(FABRIC)).toBeUndefined();
      await store.updateFabricState(FABRIC, { status: 'error', error: 'fetch failed', lastRunId: 'r1' });
      expect(await store.getFabricState(FABRIC)).toEqual({
        name: FABRIC,
        status: 'error',
        error: 'fetch failed',
        lastRunId: 'r1',
        lastSyncedCommit: undefined,
        lastSyncAt: undefined,
        counts: {},
        importGeneration: 0,
      });
      await store.updateFabricState(FABRIC, { status: 'in_sync', error: undefined, counts: { VPC: 2 } });
      await store.updateFabricState('env-2', {});
      const states = await store.listFabricStates();
      expect(states.map(s => s.name).sort()).toEqual([FABRIC, 'env-2']);
      expect(states.find(s => s.name === FABRIC)).toMatchObject({
        status: 'in_sync',
        error: undefined,
        lastRunId: 'r1',
        counts: { VPC: 2 },
      });
    });
  });

  describe('desired state', () => {
    it.each(ids)('imports, re-imports and deletes resources, on %p', async databaseId => {
      const { store } = await setup(databaseId);

      const before = Date.now();
      expect(
        await store.importState(FABRIC, batch(baseResources(), [unmanagedNotes, unmanagedAlpha], blob('c'))),
      ).toEqual({ upserted: 3, deleted: 0 });
      const state = await store.getFabricState(FABRIC);
      expect(state).toMatchObject({ lastSyncedCommit: blob('c'), counts: { VPC: 2, Switch: 1 } });
      expect(state!.lastSyncAt).toBeGreaterThanOrEqual(before);

      // same blobs and findings: nothing to write
      expect(
        await store.importState(FABRIC, batch(baseResources(), [unmanagedNotes, unmanagedAlpha], blob('d'))),
      ).toEqual({ upserted: 0, deleted: 0 });
      expect((await store.getFabricState(FABRIC))!.lastSyncedCommit).toBe(blob('d'));

      // a changed blob is written again
      const changed = baseResources();
      changed[0] = row({ ...vpc('vpc-1', 1), spec: { subnets: {} } }, blob('9'));
      expect(await store.importState(FABRIC, batch(changed, [unmanagedNotes]))).toEqual({ upserted: 1, deleted: 0 });
      expect((await store.getResource(FABRIC, 'VPC', 'vpc-1'))!.desired).toEqual({
        ...vpc('vpc-1', 1),
        spec: { subnets: {} },
      });

      // changed findings with the same blob are written again
      const refound = changed.map(r => ({ ...r }));
      refound[1] = { ...refound[1], findings: [] };
      expect(await store.importState(FABRIC, batch(refound, [unmanagedNotes]))).toEqual({ upserted: 1, deleted: 0 });
      expect((await store.listResources(FABRIC, { kind: 'VPC', offset: 0, limit: 10 })).items[1]).toMatchObject({
        name: 'vpc-2',
        warnings: 0,
      });
      // a list asked with include=desired carries each desired object, as the detail does; others do not
      const withDesired = await store.listResources(FABRIC, { kind: 'VPC', offset: 0, limit: 10, include: 'desired' });
      expect(withDesired.items.map(i => i.desired)).toEqual([
        (await store.getResource(FABRIC, 'VPC', 'vpc-1'))!.desired,
        (await store.getResource(FABRIC, 'VPC', 'vpc-2'))!.desired,
      ]);
      expect(withDesired.items[0].desired).toEqual({ ...vpc('vpc-1', 1), spec: { subnets: {} } });
      expect((await store.listResources(FABRIC, { kind: 'VPC', offset: 0, limit: 10 })).items[0]).not.toHaveProperty('desired');

      // a removed resource is deleted
      const removed = refound.filter(r => r.name !== 'leaf-01');
      expect(await store.importState(FABRIC, batch(removed, [unmanagedNotes]))).toEqual({ upserted: 0, deleted: 1 });
      expect(await store.getResource(FABRIC, 'Switch', 'leaf-01')).toBeUndefined();
      expect((await store.getFabricState(FABRIC))!.counts).toEqual({ VPC: 2 });

      // another fabric is untouched by all of this
      await store.importState('env-2', batch([row(vpc('vpc-1', 1), blob('1'))]));
      await store.importState(FABRIC, batch([], []));
      expect((await store.listResources(FABRIC, { offset: 0, limit: 10 })).totalItems).toBe(0);
      expect((await store.listResources('env-2', { offset: 0, limit: 10 })).totalItems).toBe(1);
    });

    it.each(ids)('rewrites a resource that moved to another file with the same content, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      await store.importState(FABRIC, batch(baseResources()));
      const moved = baseResources();
      moved[0] = { ...moved[0], gitPath: 'managed/vpcs/renamed.yaml' };
      expect(await store.importState(FABRIC, batch(moved))).toEqual({ upserted: 1, deleted: 0 });
      expect((await store.getResource(FABRIC, 'VPC', 'vpc-1'))!.gitPath).toBe('managed/vpcs/renamed.yaml');
      const known = await store.knownBlobIds(FABRIC);
      expect(known.get('managed/vpcs/renamed.yaml')).toBe(blob('1'));
      expect(known.has('managed/vpcs/vpc-1.yaml')).toBe(false);
    });

    it.each(ids)('notices imports by another replica between two of its own, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);
      const replica = new DatabaseHedgehogStore(knex);
      const changed = baseResources();
      changed[0] = row({ ...vpc('vpc-1', 1), spec: { subnets: {} } }, blob('9'));

      expect(await store.importState(FABRIC, batch(baseResources()))).toEqual({ upserted: 3, deleted: 0 });
      // the other replica imports a newer commit, and removes the switch
      expect(await replica.importState(FABRIC, batch(changed.slice(0, 2)))).toEqual({ upserted: 1, deleted: 1 });
      // this store's memory of its own import is outdated: the rows are read back, not trusted
      expect(await store.importState(FABRIC, batch(baseResources()))).toEqual({ upserted: 2, deleted: 0 });
      expect((await store.getResource(FABRIC, 'VPC', 'vpc-1'))!.desired).toEqual(vpc('vpc-1', 1));
      expect(await store.getResource(FABRIC, 'Switch', 'leaf-01')).toBeDefined();
      // and now that it imported last, its memory is right again
      expect(await store.importState(FABRIC, batch(changed))).toEqual({ upserted: 1, deleted: 0 });
      expect(await replica.importState(FABRIC, batch(changed))).toEqual({ upserted: 0, deleted: 0 });
    });

    it.each(ids)("keeps drift's cluster-only rows out of the comparison, on %p", async databaseId => {
      const { store } = await setup(databaseId);
      await store.importState(FABRIC, batch(baseResources().slice(0, 2)));
      // drift finds leaf-01 only in the cluster, then Git gains it
      await store.recordDrift(FABRIC, [
        { kind: 'Switch', name: 'leaf-01', status: 'orphaned_in_cluster', score: 1, differences: [], live: switchResource('leaf-01', '0c:20:12:ff:00:00') as any, clusterOnly: true },
      ]);
      expect(await store.importState(FABRIC, batch(baseResources()))).toEqual({ upserted: 1, deleted: 0 });
      expect((await store.getResource(FABRIC, 'Switch', 'leaf-01'))!.gitPath).toBe(baseResources()[2].gitPath);
    });

    it.each(ids)('remembers which kinds an import left incomplete, until the next import, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const incomplete = { VPC: { count: 2, files: ['managed/vpcs/a.yaml', 'managed/vpcs/b.yaml'] } };
      await store.importState(FABRIC, batch(baseResources(), [], blob('c'), incomplete));
      expect((await store.getFabricState(FABRIC))!.incompleteKinds).toEqual(incomplete);
      // a fabric state update that does not touch it keeps it
      await store.updateFabricState(FABRIC, { status: 'partial' });
      expect((await store.getFabricState(FABRIC))!.incompleteKinds).toEqual(incomplete);
      // the next import of a complete desired state says so
      await store.importState(FABRIC, batch(baseResources(), [], blob('d')));
      expect((await store.getFabricState(FABRIC))!.incompleteKinds).toEqual({});
      // a fabric no import recorded it for (never imported, or by an earlier version)
      expect((await store.getFabricState('never-imported')) ?? {}).not.toHaveProperty('incompleteKinds');
      await store.updateFabricState('never-imported', { status: 'in_sync' });
      expect(await store.getFabricState('never-imported')).not.toHaveProperty('incompleteKinds');
    });

    it.each(ids)("keeps another fabric's objects found by drift as cluster-only rows, on %p", async databaseId => {
      const { store } = await setup(databaseId);
      await store.importState(FABRIC, batch(baseResources()));
      const theirs = withVersion(vpc('theirs', 7), '5');
      await store.recordDrift(FABRIC, [
        { kind: 'VPC', name: 'vpc-1', status: 'owned_elsewhere', score: null, differences: [], live: withVersion(vpc('vpc-1', 1), '4') },
        { kind: 'VPC', name: 'theirs', status: 'owned_elsewhere', score: null, differences: [], live: theirs, clusterOnly: true },
      ]);
      expect(await store.getResource(FABRIC, 'VPC', 'theirs')).toMatchObject({ gitPath: '', desired: null, drift: { status: 'owned_elsewhere', score: null }, live: theirs });
      expect(await store.getResource(FABRIC, 'VPC', 'vpc-1')).toMatchObject({ gitPath: baseResources()[0].gitPath, drift: { status: 'owned_elsewhere' } });
      expect(await store.driftCounts(FABRIC)).toMatchObject({ owned_elsewhere: 2 });
      // not part of the desired state that apply and drift read
      expect((await store.listDesired(FABRIC)).map(d => d.name)).not.toContain('theirs');
      // gone from the cluster: forgotten
      await store.recordDrift(FABRIC, []);
      expect(await store.getResource(FABRIC, 'VPC', 'theirs')).toBeUndefined();
    });

    it.each(ids)('always rewrites resources without a blob id, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const noBlob = baseResources().map(r => ({ ...r, blobId: undefined }));
      expect(await store.importState(FABRIC, batch(noBlob))).toEqual({ upserted: 3, deleted: 0 });
      expect(await store.importState(FABRIC, batch(noBlob))).toEqual({ upserted: 3, deleted: 0 });
      expect((await store.knownBlobIds(FABRIC)).size).toBe(0);
    });

    it.each(ids)('replaces unmanaged files and reports their reason blobs, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      await store.importState(FABRIC, batch(baseResources(), [unmanagedNotes, unmanagedAlpha]));
      expect(await store.listUnmanaged(FABRIC)).toEqual({
        items: [
          { path: unmanagedNotes.path, originalPath: 'raw/notes.txt', reasons: [{ message: 'not a YAML file' }] },
          {
            path: unmanagedAlpha.path,
            originalPath: 'raw/old-vpcs.yaml',
            reasons: [{ document: 0, message: 'apiVersion vpc.githedgehog.com/v1alpha2 is not supported' }],
          },
        ],
        totalItems: 2,
      });
      expect(await store.unmanagedReasonBlobs(FABRIC)).toEqual(
        new Map([
          [unmanagedNotes.path, blob('e')],
          [unmanagedAlpha.path, blob('f')],
        ]),
      );

      const replacement: UnmanagedRow = {
        path: 'unmanaged/raw/bad.yaml',
        originalPath: 'raw/bad.yaml',
        reasons: [{ message: 'the file is not valid YAML' }],
      };
      await store.importState(FABRIC, batch(baseResources(), [replacement]));
      expect(await store.listUnmanaged(FABRIC)).toEqual({
        items: [{ path: replacement.path, originalPath: 'raw/bad.yaml', reasons: replacement.reasons }],
        totalItems: 1,
      });
      expect(await store.unmanagedReasonBlobs(FABRIC)).toEqual(new Map([[replacement.path, undefined]]));
      expect(await store.listUnmanaged('env-2')).toEqual({ items: [], totalItems: 0 });
    });

    it.each(ids)('imports in one transaction, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      await store.importState(FABRIC, batch(baseResources(), [unmanagedNotes], blob('c')));

      // a duplicate unmanaged path fails the last insert: nothing of the batch may stay
      const next = baseResources().filter(r => r.kind === 'VPC');
      next[0] = row({ ...vpc('vpc-1', 1), spec: { subnets: {} } }, blob('9'));
      await expect(
        store.importState(FABRIC, batch(next, [unmanagedAlpha, unmanagedAlpha], blob('d'))),
        // not toThrow(): better-sqlite3 errors are not `instanceof Error` once its
        // native addon was loaded by another test file of the same worker
      ).rejects.toMatchObject({ message: expect.stringMatching(/unique/i) });

      const state = await store.getFabricState(FABRIC);
      expect(state).toMatchObject({ lastSyncedCommit: blob('c'), counts: { VPC: 2, Switch: 1 } });
      expect((await store.listResources(FABRIC, { offset: 0, limit: 10 })).totalItems).toBe(3);
      expect((await store.getResource(FABRIC, 'VPC', 'vpc-1'))!.desired).toEqual(vpc('vpc-1', 1));
      expect((await store.listUnmanaged(FABRIC)).items.map(u => u.path)).toEqual([unmanagedNotes.path]);
      // the next import compares against what the table holds, not against the failed batch
      expect(await store.importState(FABRIC, batch(next, [unmanagedAlpha], blob('d')))).toEqual({ upserted: 1, deleted: 1 });
    });

    it.each(ids)('imports many resources in batches, on %p', async databaseId => {
      const { store } = await setup(databaseId);
      const many = Array.from({ length: 450 }, (_, i) =>
        row(switchResource(`leaf-${String(i).padStart(3, '0')}`, `0c:20:12:ff:${i % 100}:00`), blob(String(i % 10))),
      );
      expect(await store.importState(FABRIC, batch(many))).toEqual({ upserted: 450, deleted: 0 });
      expect(await store.importState(FABRIC, batch(many.slice(0, 20)))).toEqual({ upserted: 0, deleted: 430 });
      expect((await store.listResources(FABRIC, { offset: 0, limit: 1000 })).totalItems).toBe(20);
    });

    it.each(ids)('filters and pages resources, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.importState(
        FABRIC,
        batch([
          ...baseResources(),
          row(switchResource('leaf-02', '0c:20:12:ff:01:00'), blob('4')),
          row(switchResource('border_01', '0c:20:12:ff:02:00'), blob('5')),
          row(switchResource('spine-01', '0c:20:12:ff:03:00'), blob('6')),
        ]),
      );
      await setDrift(knex, 'Switch', 'leaf-02', 'drifted', { drift_score: 0.25 });
      await setDrift(knex, 'VPC', 'vpc-2', 'drifted', { drift_score: 0.5 });
      const list = (filter: Partial<Parameters<typeof store.listResources>[1]>) =>
        store.listResources(FABRIC, { offset: 0, limit: 50, ...filter });
      const names = async (filter: Parameters<typeof list>[0]) => (await list(filter)).items.map(i => i.name);

      const all = await list({});
      expect(all.totalItems).toBe(6);
      // ordered by kind, then name
      expect(all.items.map(i => `${i.kind}/${i.name}`)).toEqual([
        'Switch/border_01',
        'Switch/leaf-01',
        'Switch/leaf-02',
        'Switch/spine-01',
        'VPC/vpc-1',
        'VPC/vpc-2',
      ]);
      expect(all.items[1]).toEqual({
        kind: 'Switch',
        name: 'leaf-01',
        namespace: 'default',
        gitPath: 'managed/switches/leaf-01.yaml',
        applyStatus: 'not_applied',
        drift: { status: 'unknown', score: null },
        errors: 1,
        warnings: 0,
      });

      expect(await names({ kind: 'VPC' })).toEqual(['vpc-1', 'vpc-2']);
      expect(await names({ status: 'drifted' })).toEqual(['leaf-02', 'vpc-2']);
      expect(await names({ kind: 'Switch', status: 'drifted' })).toEqual(['leaf-02']);
      expect(await names({ status: 'in_sync' })).toEqual([]);
      expect((await list({ kind: 'VPC', status: 'drifted' })).items[0].drift).toEqual({ status: 'drifted', score: 0.5 });

      // q: case-insensitive substring of the name
      expect(await names({ q: 'LEAF' })).toEqual(['leaf-01', 'leaf-02']);
      expect(await names({ q: 'Vpc-2' })).toEqual(['vpc-2']);
      expect(await names({ q: 'nothing-like-this' })).toEqual([]);
      // LIKE wildcards in q are literal
      expect(await names({ q: '_' })).toEqual(['border_01']);
      expect(await names({ q: 'R_0' })).toEqual(['border_01']);
      expect(await names({ q: '%' })).toEqual([]);
      expect(await names({ q: 'leaf%' })).toEqual([]);
      expect(await names({ q: '\\' })).toEqual([]);
      const filtered = await list({ q: 'leaf', status: 'drifted' });
      expect(filtered).toEqual({ items: [expect.objectContaining({ name: 'leaf-02' })], totalItems: 1 });

      // paging: totalItems counts all matches
      const page = await list({ offset: 1, limit: 2 });
      expect(page.items.map(i => i.name)).toEqual(['leaf-01', 'leaf-02']);
      expect(page.totalItems).toBe(6);
      const switches = await list({ kind: 'Switch', offset: 3, limit: 10 });
      expect(switches).toEqual({ items: [expect.objectContaining({ name: 'spine-01' })], totalItems: 4 });
      expect(await list({ offset: 10, limit: 10 })).toEqual({ items: [], totalItems: 6 });
      expect(await store.listResources('env-2', { offset: 0, limit: 10 })).toEqual({ items: [], totalItems: 0 });
    });

    it.each(ids)('returns a resource with its findings, source and live state, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);
      await store.importState(FABRIC, batch(baseResources()));

      const leaf = await store.getResource(FABRIC, 'Switch', 'leaf-01');
      expect(leaf).toEqual({
        kind: 'Switch',
        name: 'leaf-01',
        namespace: 'default',
        gitPath: 'managed/switches/leaf-01.yaml',
        applyStatus: 'not_applied',
        drift: { status: 'unknown', score: null },
        errors: 1,
        warnings: 0,
        desired: switchResource('leaf-01', '0c:20:12:ff:00:00'),
        live: undefined,
        differences: [],
        findings: [{ ...macError, blocksApply: true }], // filled on read: stored without it
        source: { file: 'raw/wiring/switches.yaml', document: 0 },
      });
      const vpc2 = await store.getResource(FABRIC, 'VPC', 'vpc-2');
      expect(vpc2).toMatchObject({ source: { file: 'raw/vpcs.yaml', document: 1 }, findings: [vlanWarning], warnings: 1 });

      // live state and drift as the drift stage leaves them
      const live = {
        ...switchResource('leaf-01', '0c:20:12:ff:00:99'),
        status: { applied: { gen: 2 } },
      };
      const differences = [{ path: 'spec.boot.mac', desired: '0c:20:12:ff:00:00', actual: '0c:20:12:ff:00:99' }];
      await setDrift(knex, 'Switch', 'leaf-01', 'drifted', {
        live: JSON.stringify(live),
        live_resource_version: '12345',
        apply_status: 'applied',
        drift_score: 0.125,
        differences: JSON.stringify(differences),
      });
      expect(await store.getResource(FABRIC, 'Switch', 'leaf-01')).toMatchObject({
        applyStatus: 'applied',
        drift: { status: 'drifted', score: 0.125 },
        live,
        differences,
      });

      // a resource without a source
      await store.importState(FABRIC, batch([{ ...row(vpc('vpc-3', 3), blob('7')), source: undefined }]));
      expect((await store.getResource(FABRIC, 'VPC', 'vpc-3'))!.source).toBeUndefined();

      expect(await store.getResource(FABRIC, 'VPC', 'nope')).toBeUndefined();
      expect(await store.getResource('env-2', 'VPC', 'vpc-3')).toBeUndefined();
    });

    it.each(ids)('writes only the apply outcomes that changed, on %p', async databaseId => {
      const { store, writes } = await importedWithWriteLog(databaseId);
      const live = withVersion;
      const [vpc1, vpc2, leaf] = [live(vpc('vpc-1', 1), '11'), live(vpc('vpc-2', 2), '12'), live(switchResource('leaf-01', '0c:20:12:ff:00:00'), '13')];

      await store.recordApply(FABRIC, [
        { kind: 'VPC', name: 'vpc-1', status: 'applied', live: vpc1 },
        { kind: 'VPC', name: 'vpc-2', status: 'applied', live: vpc2 },
        { kind: 'Switch', name: 'leaf-01', status: 'blocked', error: 'not applied: the MAC address is not unique' },
      ]);
      // one UPDATE per kind and outcome: the two applied VPCs, the blocked switch
      expect(writes).toHaveLength(2);
      expect(await store.getResource(FABRIC, 'VPC', 'vpc-1')).toMatchObject({ applyStatus: 'applied', live: vpc1 });
      expect(await store.getResource(FABRIC, 'VPC', 'vpc-2')).toMatchObject({ applyStatus: 'applied', live: vpc2 });
      expect(await store.getResource(FABRIC, 'Switch', 'leaf-01')).toMatchObject({ applyStatus: 'blocked' });

      // a re-apply: nothing sent, the same live objects; the blocked one stays blocked
      writes.length = 0;
      const again = [
        { kind: 'VPC', name: 'vpc-1', status: 'unchanged' as const, live: vpc1 },
        { kind: 'VPC', name: 'vpc-2', status: 'unchanged' as const, live: vpc2 },
        { kind: 'Switch', name: 'leaf-01', status: 'blocked' as const, error: 'not applied: the MAC address is not unique' },
      ];
      await store.recordApply(FABRIC, again);
      expect(writes).toHaveLength(1); // the two VPCs applied -> unchanged; the blocked switch is not written
      writes.length = 0;
      await store.recordApply(FABRIC, again);
      expect(writes).toEqual([]);

      // vpc-2 changed in the cluster since; leaf-01 is fixed and applied
      const vpc2b = live(vpc('vpc-2', 2), '14');
      await store.recordApply(FABRIC, [
        again[0],
        { kind: 'VPC', name: 'vpc-2', status: 'unchanged', live: vpc2b },
        { kind: 'Switch', name: 'leaf-01', status: 'applied', live: leaf },
      ]);
      expect(writes).toHaveLength(2);
      expect(await store.getResource(FABRIC, 'VPC', 'vpc-2')).toMatchObject({ applyStatus: 'unchanged', live: vpc2b });
      expect(await store.getResource(FABRIC, 'Switch', 'leaf-01')).toMatchObject({ applyStatus: 'applied', live: leaf });
      expect(await store.getResource(FABRIC, 'VPC', 'vpc-1')).toMatchObject({ applyStatus: 'unchanged', live: vpc1 });
    });

    it.each(ids)('writes only the drift rows that changed, and forgets orphans gone from the cluster, on %p', async databaseId => {
      const { store, writes } = await importedWithWriteLog(databaseId);
      const leafLive = withVersion(switchResource('leaf-01', '0c:20:12:ff:00:99'), '20');
      const check = (leaf: Record<string, any>, orphans: string[]) => [
        { kind: 'VPC', name: 'vpc-1', status: 'in_sync' as const, score: 0, differences: [], live: withVersion(vpc('vpc-1', 1), '11') },
        { kind: 'VPC', name: 'vpc-2', status: 'missing_in_cluster' as const, score: null, differences: [] },
        {
          kind: 'Switch',
          name: 'leaf-01',
          status: 'drifted' as const,
          score: 1 / 3,
          differences: [{ path: 'spec.boot.mac', desired: '0c:20:12:ff:00:00', actual: leaf.spec.boot.mac }],
          live: leaf,
        },
        ...orphans.map(name => ({ kind: 'VPC', name, status: 'orphaned_in_cluster' as const, score: 1, differences: [], live: withVersion(vpc(name, 9), '30'), clusterOnly: true })),
      ];

      await store.recordDrift(FABRIC, check(leafLive, ['stray-1', 'stray-2']));
      expect(writes).toHaveLength(5);
      expect(await store.driftCounts(FABRIC)).toMatchObject({ in_sync: 1, drifted: 1, missing_in_cluster: 1, orphaned_in_cluster: 2 });

      // the same findings against the same live objects: nothing is written
      writes.length = 0;
      await store.recordDrift(FABRIC, check(leafLive, ['stray-1', 'stray-2']));
      expect(writes).toEqual([]);

      // a new resourceVersion of leaf-01 (same differences) and stray-2 gone: two writes
      const leafAgain = withVersion(leafLive, '21');
      await store.recordDrift(FABRIC, check(leafAgain, ['stray-1']));
      expect(writes).toHaveLength(2);
      expect((await store.getResource(FABRIC, 'Switch', 'leaf-01'))!.live).toEqual(leafAgain);
      expect(await store.getResource(FABRIC, 'VPC', 'stray-2')).toBeUndefined();
      expect(await store.getResource(FABRIC, 'VPC', 'stray-1')).toMatchObject({ drift: { status: 'orphaned_in_cluster', score: 1 } });

      // after the cluster was unreachable every row is written again
      await store.markDriftUnknown(FABRIC);
      writes.length = 0;
      await store.recordDrift(FABRIC, check(leafAgain, ['stray-1']));
      expect(writes).toHaveLength(4);
      expect((await store.getResource(FABRIC, 'Switch', 'leaf-01'))!.drift).toEqual({ status: 'drifted', score: expect.closeTo(1 / 3, 6) });
    });

    it.each(ids)('counts resources per drift status, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);
      const zero = { in_sync: 0, drifted: 0, missing_in_cluster: 0, orphaned_in_cluster: 0, owned_elsewhere: 0, unknown: 0 };
      expect(await store.driftCounts(FABRIC)).toEqual(zero);

      await store.importState(
        FABRIC,
        batch([
          ...baseResources(),
          row(switchResource('leaf-02', '0c:20:12:ff:01:00'), blob('4')),
          row(switchResource('leaf-03', '0c:20:12:ff:02:00'), blob('5')),
          row(switchResource('leaf-04', '0c:20:12:ff:03:00'), blob('6')),
        ]),
      );
      expect(await store.driftCounts(FABRIC)).toEqual({ ...zero, unknown: 6 });

      await setDrift(knex, 'VPC', 'vpc-1', 'in_sync', { drift_score: 0 });
      await setDrift(knex, 'VPC', 'vpc-2', 'in_sync', { drift_score: 0 });
      await setDrift(knex, 'Switch', 'leaf-01', 'drifted', { drift_score: 0.2 });
      await setDrift(knex, 'Switch', 'leaf-02', 'missing_in_cluster');
      await setDrift(knex, 'Switch', 'leaf-03', 'orphaned_in_cluster');
      await setDrift(knex, 'Switch', 'leaf-04', 'owned_elsewhere');
      expect(await store.driftCounts(FABRIC)).toEqual({
        in_sync: 2,
        drifted: 1,
        missing_in_cluster: 1,
        orphaned_in_cluster: 1,
        owned_elsewhere: 1,
        unknown: 0,
      });
      expect(await store.driftCounts('env-2')).toEqual(zero);
    });

    it.each(ids)('keeps the counts by drift status and failed applies on the fabric row, on %p', async databaseId => {
      const { knex, store } = await setup(databaseId);
      const zero = { in_sync: 0, drifted: 0, missing_in_cluster: 0, orphaned_in_cluster: 0, owned_elsewhere: 0, unknown: 0 };
      const kept = async () => (await store.getFabricState(FABRIC))?.resourceStatus;
      const counted = async () => ({ drift: await store.driftCounts(FABRIC), applyFailed: await store.failedApplies(FABRIC) });

      await store.importState(FABRIC, batch(baseResources()));
      expect(await kept()).toEqual({ drift: { ...zero, unknown: 3 }, applyFailed: 0 });

      await store.recordApply(FABRIC, [
        { kind: 'VPC', name: 'vpc-1', status: 'applied', live: withVersion(vpc('vpc-1', 1), '11') },
        { kind: 'VPC', name: 'vpc-2', status: 'failed', error: 'refused' },
      ]);
      expect(await kept()).toEqual({ drift: { ...zero, unknown: 3 }, applyFailed: 1 });

      await store.recordDrift(FABRIC, [
        { kind: 'VPC', name: 'vpc-1', status: 'in_sync', score: 0, differences: [], live: withVersion(vpc('vpc-1', 1), '11') },
        { kind: 'VPC', name: 'vpc-2', status: 'missing_in_cluster', score: null, differences: [] },
        { kind: 'VPC', name: 'stray', status: 'orphaned_in_cluster', score: 1, differences: [], live: withVersion(vpc('stray', 9), '30'), clusterOnly: true },
      ]);
      expect(await kept()).toEqual({ drift: { ...zero, in_sync: 1, missing_in_cluster: 1, orphaned_in_cluster: 1, unknown: 1 }, applyFailed: 1 });
      expect(await kept()).toEqual(await counted());

      // a resource gone from Git, then the cluster unreachable
      await store.importState(FABRIC, batch(baseResources().slice(0, 2)));
      expect(await kept()).toEqual(await counted());
      await store.markDriftUnknown(FABRIC);
      expect(await kept()).toEqual({ drift: { ...zero, unknown: 3 }, applyFailed: 1 });
      expect(await kept()).toEqual(await counted());
      // rows updated in place (new blobs), none added or removed: the counts stay right
      expect(await store.importState(FABRIC, batch(baseResources().slice(0, 2).map(r => ({ ...r, blobId: `${r.blobId}0` }))))).toEqual({ upserted: 2, deleted: 0 });
      expect(await kept()).toEqual(await counted());

      // rows written before the column: nothing kept, GET /fabrics counts them
      await knex('hedgehog_fabrics').update({ resource_status: null });
      expect(await kept()).toBeUndefined();
    });
  });
});
