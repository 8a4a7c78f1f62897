import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { RunType } from '@fabric-gitops/plugin-hedgehog-common';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
const ids = databases.eachSupportedId();

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  return new DatabaseHedgehogStore(knex);
}

let clock = 1_000_000;

/** A run of the fabric, claimed and, unless `running`, finished a moment after the one before. */
async function run(
  store: DatabaseHedgehogStore,
  fabric: string,
  type: RunType,
  status: 'succeeded' | 'partial' | 'failed' | 'running',
  more: { error?: string; errors?: number; options?: Record<string, unknown> } = {},
) {
  const { id } = await store.enqueueRun({ fabric, type, trigger: 'api', options: more.options });
  await store.claimNextRun(fabric);
  if (status !== 'running') {
    await store.updateRun(id, {
      status,
      error: more.error,
      ...(more.errors !== undefined ? { findingTotals: { errors: more.errors, warnings: 0 } } : {}),
      finishedAt: (clock += 1000),
    });
  }
  return id;
}

describe('previousRun', () => {
  it.each(ids)('is the last finished run of the types before the given one, dry runs left out, on %p', async databaseId => {
    const store = await setup(databaseId);
    await run(store, 'a', 'sync', 'failed', { error: 'fetch failed' });
    await run(store, 'a', 'sync', 'partial', { error: '2 error(s) found', errors: 2 });
    await run(store, 'a', 'drift', 'succeeded');
    await run(store, 'a', 'sync', 'succeeded', { options: { dryRun: true } });
    await run(store, 'b', 'sync', 'succeeded');
    const current = await run(store, 'a', 'restore', 'succeeded', { errors: 0 });

    expect(await store.previousRun('a', ['sync', 'restore'], current)).toEqual({ status: 'partial', error: '2 error(s) found', openErrors: 2 });
    expect(await store.previousRun('a', ['drift'], current)).toEqual({ status: 'succeeded' });
    expect(await store.previousRun('a', ['apply'], current)).toBeUndefined();
    expect(await store.previousRun('c', ['sync'], current)).toBeUndefined();
    // the given run is never its own previous one; a run under way is no previous one
    const next = await run(store, 'a', 'sync', 'running');
    expect(await store.previousRun('a', ['sync', 'restore'], next)).toEqual({ status: 'succeeded', openErrors: 0 });
    expect(await store.previousRun('a', ['restore'], current)).toBeUndefined();
  });
});
