import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { DatabaseHedgehogStore } from '../database/DatabaseHedgehogStore';
import { RunRecorder } from './RunRecorder';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

async function setup(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: DatabaseHedgehogStore.migrationsDir });
  const store = new DatabaseHedgehogStore(knex);
  const { id } = await store.enqueueRun({ fabric: 'lab', type: 'sync', trigger: 'api' });
  const stageWrites: string[] = [];
  knex.on('query', (q: { sql: string }) => {
    if (/^update .hedgehog_runs. set .*.stages. = /i.test(q.sql)) stageWrites.push(q.sql);
  });
  return { knex, store, id, stageWrites };
}

const stagesOf = async (store: DatabaseHedgehogStore, id: string) =>
  ((await store.getRun(id))?.stages ?? []).map(s => [s.name, s.status]);

describe.each(databases.eachSupportedId())('RunRecorder on %p', databaseId => {
  it('writes no record while quick stages follow each other, and hands them all to the final update', async () => {
    const { store, id, stageWrites } = await setup(databaseId);
    const recorder = new RunRecorder(store, id, 1_000);
    await recorder.stage('fetch', async () => ({ counts: { branchExists: 1 } }));
    await recorder.stage('plan', async () => ({}));
    await recorder.skip(['ingest'], 'nothing to ingest');
    await expect(recorder.stage('validate', async () => { throw new Error('bad input'); })).rejects.toThrow('bad input');

    const stages = await recorder.settle();
    expect(stageWrites).toEqual([]);
    await store.updateRun(id, { stages, status: 'failed', finishedAt: Date.now() });
    expect(stageWrites).toHaveLength(1);
    expect(await stagesOf(store, id)).toEqual([
      ['fetch', 'succeeded'],
      ['plan', 'succeeded'],
      ['ingest', 'skipped'],
      ['validate', 'failed'],
    ]);
    const [fetch, , , validate] = (await store.getRun(id))!.stages;
    expect(fetch.counts).toEqual({ branchExists: 1 });
    expect(validate.errors).toEqual([{ message: 'bad input' }]);
    expect(validate.finishedAt).toBeDefined();
    // nothing was left scheduled
    await new Promise(r => setTimeout(r, 1_200));
    expect(stageWrites).toHaveLength(1);
  });

  it('shows a longer stage as running while it runs', async () => {
    const { store, id, stageWrites } = await setup(databaseId);
    const recorder = new RunRecorder(store, id, 50);
    let release!: () => void;
    const stage = recorder.stage('commit', () => new Promise(resolve => { release = () => resolve({}); }));
    const deadline = Date.now() + 10_000;
    while ((await stagesOf(store, id)).length === 0 && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 20));
    }
    expect(await stagesOf(store, id)).toEqual([['commit', 'running']]);
    expect(stageWrites).toHaveLength(1);
    release();
    await stage;
    expect((await recorder.settle()).map(s => [s.name, s.status])).toEqual([['commit', 'succeeded']]);
  });

  it('fails the next stage boundary and settle() when a write failed', async () => {
    const { knex, store, id } = await setup(databaseId);
    const recorder = new RunRecorder(store, id, 20);
    await knex.destroy(); // the database is gone
    // the stage outlasts the delay: its record is written (and fails) while it runs
    const stage = recorder.stage('fetch', () => new Promise(resolve => setTimeout(() => resolve({}), 300)));
    await expect(stage).rejects.toThrow(/connection/i);
    await expect(recorder.settle()).rejects.toThrow(/connection/i);
    await expect(recorder.stage('plan', async () => ({}))).rejects.toThrow(/connection/i);
  });
});
