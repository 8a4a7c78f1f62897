import { TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';

jest.setTimeout(60_000);

const directory = DatabaseHedgehogStore.migrationsDir;

const TABLES: Record<string, string[]> = {
  hedgehog_fabrics: [
    'name',
    'last_synced_commit',
    'last_sync_at',
    'last_run_id',
    'status',
    'error',
    'counts',
    'lock_owner',
    'lock_expires_at',
    'updated_at',
    'import_generation',
    'open_findings',
    'incomplete_kinds',
    'findings_generation',
    'kind_scope',
    'resource_status',
  ],
  hedgehog_runs: [
    'id',
    'fabric',
    'type',
    'trigger',
    'requested_by',
    'status',
    'options',
    'queued_at',
    'started_at',
    'finished_at',
    'heartbeat_at',
    'commit_before',
    'commit_after',
    'stages',
    'findings',
    'finding_count',
    'error',
    'coalesced',
    'import_generation',
    'finding_totals',
  ],
  hedgehog_resources: [
    'fabric',
    'kind',
    'name',
    'namespace',
    'git_path',
    'blob_id',
    'desired',
    'source_file',
    'source_index',
    'findings',
    'error_count',
    'warning_count',
    'live',
    'live_resource_version',
    'apply_status',
    'apply_error',
    'drift_status',
    'drift_score',
    'differences',
    'updated_at',
  ],
  hedgehog_unmanaged_files: ['fabric', 'path', 'original_path', 'reasons', 'reason_blob_id'],
  hedgehog_findings: [
    'id',
    'fabric',
    'severity',
    'rule',
    'file',
    'document',
    'path',
    'message',
    'left_out',
    'kind',
    'name',
    'first_seen',
    'opened',
    'closed',
  ],
};

async function insertOneRowEach(knex: Knex) {
  const now = Date.now();
  await knex('hedgehog_fabrics').insert({ name: 'env-1', updated_at: now });
  await knex('hedgehog_runs').insert({
    id: '6f1c2a52-3c2e-4a57-9d3e-6a3b8e0d2f11',
    fabric: 'env-1',
    type: 'sync',
    trigger: 'schedule',
    status: 'queued',
    queued_at: now,
    stages: '[]',
  });
  await knex('hedgehog_resources').insert({
    fabric: 'env-1',
    kind: 'VPC',
    name: 'vpc-1',
    git_path: 'managed/vpcs/vpc-1.yaml',
    desired: JSON.stringify({ apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC' }),
    drift_score: 0.1,
    updated_at: now,
  });
  await knex('hedgehog_unmanaged_files').insert({
    fabric: 'env-1',
    path: 'unmanaged/notes.txt',
    reasons: JSON.stringify([{ message: 'not YAML' }]),
  });
  await knex('hedgehog_findings').insert({
    fabric: 'env-1',
    severity: 'error',
    rule: 'schema.type',
    file: 'raw/vpcs.yaml',
    document: 2,
    path: 'spec.subnets.default.vlan',
    message: 'must be an integer',
    first_seen: 1,
    opened: 1,
  });
}

// better-sqlite3 errors are not `instanceof Error` once its native addon was
// loaded by another test file of the same worker, so match on the message.
const UNIQUE_VIOLATION = { message: expect.stringMatching(/unique/i) };

describe('migrations', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

  it('runs against PostgreSQL in CI', () => {
    // TestDatabases silently drops ids it cannot reach (no Docker, no connection
    // string); in CI that would hide the PostgreSQL half of every test here.
    expect({ ci: Boolean(process.env.CI), postgres: databases.supports('POSTGRES_15') }).not.toEqual({ ci: true, postgres: false });
    expect(databases.supports('SQLITE_3')).toBe(true);
  });

  it.each(databases.eachSupportedId())('migrates up, down and up again on %p', async databaseId => {
    const knex = await databases.init(databaseId);

    await knex.migrate.latest({ directory });
    for (const [table, columns] of Object.entries(TABLES)) {
      expect(await knex.schema.hasTable(table)).toBe(true);
      for (const column of columns) {
        await expect(knex.schema.hasColumn(table, column)).resolves.toBe(true);
      }
    }

    await insertOneRowEach(knex);
    // defaults
    const fabric = await knex('hedgehog_fabrics').first();
    expect(fabric.status).toBe('never_synced');
    const resource = await knex('hedgehog_resources').first();
    expect(resource).toMatchObject({
      namespace: 'default',
      apply_status: 'not_applied',
      drift_status: 'unknown',
      error_count: 0,
      warning_count: 0,
    });
    expect(Number(resource.drift_score)).toBe(0.1);
    const run = await knex('hedgehog_runs').first();
    expect(Number(run.finding_count)).toBe(0);
    // composite primary keys
    await expect(
      knex('hedgehog_resources').insert({
        fabric: 'env-1',
        kind: 'VPC',
        name: 'vpc-1',
        git_path: 'managed/vpcs/vpc-1.yaml',
        desired: '{}',
        updated_at: Date.now(),
      }),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);
    await expect(
      knex('hedgehog_unmanaged_files').insert({
        fabric: 'env-1',
        path: 'unmanaged/notes.txt',
        reasons: '[]',
      }),
    ).rejects.toMatchObject(UNIQUE_VIOLATION);

    expect(Number(fabric.import_generation)).toBe(0);
    expect(fabric.incomplete_kinds).toBeNull();
    await knex('hedgehog_fabrics').update({ incomplete_kinds: JSON.stringify({ VPC: { count: 1, files: ['managed/vpcs/a.yaml'] } }) });

    expect(fabric.open_findings).toBeNull();
    expect(fabric.findings_generation).toBeNull();
    expect(fabric.kind_scope).toBeNull();
    await knex('hedgehog_fabrics').update({ kind_scope: JSON.stringify({ manifest: 'day2', imported: ['VPC'] }) });
    const finding = await knex('hedgehog_findings').first();
    expect(finding).toMatchObject({ left_out: 0, closed: null, kind: null });
    expect(run.import_generation).toBeNull();

    expect(fabric.resource_status).toBeNull();
    await knex('hedgehog_fabrics').update({ resource_status: JSON.stringify({ drift: { unknown: 1 }, applyFailed: 0 }) });

    // the later migrations one by one: their columns go, the rows stay
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'resource_status')).resolves.toBe(false);
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'kind_scope')).resolves.toBe(true);
    expect(Number((await knex('hedgehog_fabrics').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'kind_scope')).resolves.toBe(false);
    await expect(knex.schema.hasTable('hedgehog_findings')).resolves.toBe(true);
    expect(Number((await knex('hedgehog_fabrics').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasTable('hedgehog_findings')).resolves.toBe(false);
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'findings_generation')).resolves.toBe(false);
    await expect(knex.schema.hasColumn('hedgehog_runs', 'import_generation')).resolves.toBe(false);
    await expect(knex.schema.hasColumn('hedgehog_runs', 'finding_totals')).resolves.toBe(false);
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'incomplete_kinds')).resolves.toBe(true);
    expect(Number((await knex('hedgehog_runs').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'incomplete_kinds')).resolves.toBe(false);
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'open_findings')).resolves.toBe(true);
    expect(Number((await knex('hedgehog_fabrics').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'open_findings')).resolves.toBe(false);
    expect(Number((await knex('hedgehog_fabrics').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasColumn('hedgehog_fabrics', 'import_generation')).resolves.toBe(false);
    expect(Number((await knex('hedgehog_fabrics').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.down({ directory });
    await expect(knex.schema.hasColumn('hedgehog_runs', 'coalesced')).resolves.toBe(false);
    expect(Number((await knex('hedgehog_runs').count({ n: '*' }))[0].n)).toBe(1);
    await knex.migrate.latest({ directory });
    expect(Number((await knex('hedgehog_fabrics').first()).import_generation)).toBe(0);
    expect((await knex('hedgehog_fabrics').first()).incomplete_kinds).toBeNull();
    expect((await knex('hedgehog_fabrics').first()).kind_scope).toBeNull();
    expect((await knex('hedgehog_fabrics').first()).resource_status).toBeNull();
    await expect(knex.schema.hasTable('hedgehog_findings')).resolves.toBe(true);

    await knex.migrate.rollback({ directory }, true);
    for (const table of Object.keys(TABLES)) {
      expect(await knex.schema.hasTable(table)).toBe(false);
    }

    await knex.migrate.latest({ directory });
    for (const table of Object.keys(TABLES)) {
      expect(await knex.schema.hasTable(table)).toBe(true);
      const [{ n }] = await knex(table).count({ n: '*' });
      expect(Number(n)).toBe(0);
    }
    await insertOneRowEach(knex);
  });
});
