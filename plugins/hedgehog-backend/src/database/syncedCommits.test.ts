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

const sha = (c: string) => c.repeat(40);

/** A finished run of the fabric that recorded a commit. */
async function finished(
  store: DatabaseHedgehogStore,
  fabric: string,
  type: RunType,
  commit: string,
  status: 'succeeded' | 'partial' | 'failed',
  options: Record<string, unknown> = {},
) {
  const { id } = await store.enqueueRun({ fabric, type, trigger: 'api', options });
  await store.claimNextRun(fabric);
  await store.updateRun(id, { status, commitAfter: commit, finishedAt: Date.now() });
}

describe('syncedCommits and restore runs in the queue', () => {
  it.each(ids)('finds the commits sync and restore runs of the fabric recorded, by prefix, on %p', async databaseId => {
    const store = await setup(databaseId);
    await finished(store, 'a', 'sync', sha('a'), 'succeeded');
    await finished(store, 'a', 'restore', sha('b'), 'partial');
    await finished(store, 'a', 'sync', `${'a'.repeat(7)}${'c'.repeat(33)}`, 'succeeded');
    await finished(store, 'a', 'sync', sha('d'), 'failed');
    await finished(store, 'a', 'sync', sha('e'), 'succeeded', { dryRun: true });
    await finished(store, 'a', 'apply', sha('f'), 'succeeded');
    await finished(store, 'b', 'sync', sha('9'), 'succeeded');

    expect(await store.syncedCommits('a', sha('a'), 2)).toEqual([sha('a')]);
    expect(await store.syncedCommits('a', 'bbbbbbb', 2)).toEqual([sha('b')]);
    // an abbreviation that two synced commits share
    expect((await store.syncedCommits('a', 'aaaaaaa', 2)).sort()).toEqual([sha('a'), `${'a'.repeat(7)}${'c'.repeat(33)}`]);
    // a failed run, a dry run, an apply and another fabric's run synced nothing of fabric a
    for (const c of ['ddddddd', 'eeeeeee', 'fffffff', '9999999']) expect(await store.syncedCommits('a', c, 2)).toEqual([]);
    // only hex prefixes are looked up
    expect(await store.syncedCommits('a', '%', 2)).toEqual([]);
  });

  it.each(ids)('queues every restore as a run of its own, on %p', async databaseId => {
    const store = await setup(databaseId);
    const first = await store.enqueueRun({ fabric: 'a', type: 'restore', trigger: 'api', requestedBy: 'user:default/x', options: { commit: sha('a') } });
    const second = await store.enqueueRun({ fabric: 'a', type: 'restore', trigger: 'api', requestedBy: 'user:default/y', options: { commit: sha('b') } });
    expect(first.coalesced).toBe(false);
    expect(second.coalesced).toBe(false);
    expect(second.id).not.toBe(first.id);
    expect((await store.getRun(first.id))!.options).toEqual({ commit: sha('a') });
    expect((await store.getRun(second.id))!).toMatchObject({ requestedBy: 'user:default/y', options: { commit: sha('b') } });
  });
});
