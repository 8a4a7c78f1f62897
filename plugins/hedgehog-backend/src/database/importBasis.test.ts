import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';
import { ImportBatch } from './HedgehogStore';
import { ImportRefusedError } from './importQueries';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  return { knex, store: new DatabaseHedgehogStore(knex) };
}

const group = (name: string, blob: string) => ({
  kind: 'SwitchGroup',
  name,
  namespace: 'default',
  gitPath: `managed/switchgroups/${name}.yaml`,
  blobId: blob.repeat(40),
  desired: { apiVersion: 'wiring.githedgehog.com/v1beta1', kind: 'SwitchGroup', metadata: { name, namespace: 'default' }, spec: {} },
  findings: [],
});

const batch = (commit: string, names: string[], basis?: ImportBatch['basis']): ImportBatch => ({
  commit: commit.repeat(40),
  resources: names.map(n => group(n, commit)),
  unmanaged: [],
  counts: { SwitchGroup: names.length },
  incomplete: {},
  basis,
});

describe('importState with a basis (an older commit never replaces a newer one)', () => {
  it.each(databases.eachSupportedId())('refuses an import that another import overtook since its run planned, writing nothing, on %p', async databaseId => {
    const { knex, store } = await setup(databaseId);
    expect((await store.getFabricState('lab'))?.importGeneration ?? 0).toBe(0);
    // two runs planned after import 0; the newer one imports first
    await store.importState('lab', batch('b', ['g1', 'g2'], { generation: 0 }));
    await expect(store.importState('lab', batch('a', ['g1'], { generation: 0 }))).rejects.toThrow(ImportRefusedError);
    await expect(store.importState('lab', batch('a', ['g1'], { generation: 0 }))).rejects.toThrow(
      /import of commit aaaaaaaaaaaa into fabric lab was refused: another run imported since this run planned \(import 1, this run planned after import 0\)/,
    );
    const state = await store.getFabricState('lab');
    expect(state).toMatchObject({ lastSyncedCommit: 'b'.repeat(40), importGeneration: 1, counts: { SwitchGroup: 2 } });
    expect(await knex('hedgehog_resources').where({ fabric: 'lab' }).orderBy('name').pluck('blob_id')).toEqual(['b'.repeat(40), 'b'.repeat(40)]);
    // a run that planned after import 1 imports
    await store.importState('lab', batch('c', ['g1'], { generation: 1 }));
    expect(await store.getFabricState('lab')).toMatchObject({ lastSyncedCommit: 'c'.repeat(40), importGeneration: 2 });
  });

  it.each(databases.eachSupportedId())("refuses an import whose replica no longer holds the fabric's lock, on %p", async databaseId => {
    const { store } = await setup(databaseId);
    expect(await store.tryLock('lab', 'replica-a', 60_000)).toBe(true);
    await store.importState('lab', batch('a', ['g1'], { generation: 0, lockOwner: 'replica-a' }));
    // replica b took the lock over: a's next import is refused, b's goes through
    await store.releaseLock('lab', 'replica-a');
    expect(await store.tryLock('lab', 'replica-b', 60_000)).toBe(true);
    await expect(store.importState('lab', batch('x', ['g1'], { generation: 1, lockOwner: 'replica-a' }))).rejects.toThrow(
      "the import of commit xxxxxxxxxxxx into fabric lab was refused: the run's backend replica no longer holds the fabric's lock",
    );
    await store.importState('lab', batch('b', ['g1'], { generation: 1, lockOwner: 'replica-b' }));
    // an expired lock is not held either, even by its last owner
    expect(await store.tryLock('lab', 'replica-b', -1)).toBe(true);
    await expect(store.importState('lab', batch('c', ['g1'], { generation: 2, lockOwner: 'replica-b' }))).rejects.toThrow(ImportRefusedError);
    expect(await store.getFabricState('lab')).toMatchObject({ lastSyncedCommit: 'b'.repeat(40), importGeneration: 2 });
  });
});
