import { TestDatabases } from '@backstage/backend-test-utils';
import { promises as fs } from 'fs';
import knexFactory, { Knex } from 'knex';
import os from 'os';
import path from 'path';
import { DatabaseHedgehogStore } from './DatabaseHedgehogStore';
import { useWriteAheadLog } from './sqliteJournal';

jest.setTimeout(60_000);

describe('useWriteAheadLog', () => {
  let dir: string;
  const opened: Knex[] = [];
  const open = (filename: string) => {
    const db = knexFactory({ client: 'better-sqlite3', connection: { filename }, useNullAsDefault: true });
    opened.push(db);
    return db;
  };
  const pragma = async (db: Knex, name: string) =>
    Object.values(((await db.raw(`PRAGMA ${name}`)) as Array<Record<string, unknown>>)[0])[0];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-journal-'));
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map(db => db.destroy()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('puts an SQLite file in WAL mode with synchronous NORMAL, kept in the file', async () => {
    const file = path.join(dir, 'hedgehog.sqlite');
    const db = open(file);
    expect(await pragma(db, 'journal_mode')).toBe('delete');
    expect(await useWriteAheadLog(db)).toBe('wal');
    expect(await pragma(db, 'journal_mode')).toBe('wal');
    // 1 = NORMAL (the default is 2 = FULL)
    expect(await pragma(db, 'synchronous')).toBe(1);

    // the mode is stored in the database file: a connection opened later (another
    // process, a restart) finds it, and better-sqlite3 opens it with NORMAL
    await db.destroy();
    const again = open(file);
    expect(await pragma(again, 'journal_mode')).toBe('wal');
    expect(await pragma(again, 'synchronous')).toBe(1);
  });

  it('keeps what the store wrote across a reopen of the file', async () => {
    const file = path.join(dir, 'store.sqlite');
    const db = open(file);
    const store = await DatabaseHedgehogStore.create({ database: { getClient: async () => db } as any });
    const { id } = await store.enqueueRun({ fabric: 'lab', type: 'sync', trigger: 'api' });
    await db.destroy();

    const reopened = await DatabaseHedgehogStore.create({ database: { getClient: async () => open(file) } as any });
    expect((await reopened.getRun(id))?.status).toBe('queued');
  });

  it('leaves a file another connection is writing as it is', async () => {
    const file = path.join(dir, 'busy.sqlite');
    const writer = open(file);
    await writer.schema.createTable('t', t => t.integer('n'));
    const trx = await writer.transaction();
    await trx('t').insert({ n: 1 });
    const other = open(file);
    await other.raw('PRAGMA busy_timeout = 50');
    expect(await useWriteAheadLog(other)).toBeUndefined();
    await trx.commit();
    expect(await pragma(other, 'journal_mode')).toBe('delete');
  });

  // TestDatabases' SQLite is in memory: no journal file to switch
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  it('leaves an in-memory SQLite database as it is', async () => {
    const db = await databases.init('SQLITE_3');
    const before = await pragma(db, 'synchronous');
    expect(await useWriteAheadLog(db)).toBe('memory');
    expect(await pragma(db, 'synchronous')).toBe(before);
  });

  it.each(databases.eachSupportedId().filter(([id]) => id !== 'SQLITE_3'))('does nothing on %p', async id => {
    expect(await useWriteAheadLog(await databases.init(id))).toBeUndefined();
  });
});
