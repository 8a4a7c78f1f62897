/* The bench's PostgreSQL: whether it answers, and dropping a database it made. */
import knexFactory from 'knex';
import { PG_URL } from './product';

export async function pgReachable(): Promise<boolean> {
  const k = knexFactory({
    client: 'pg',
    connection: PG_URL,
    pool: { min: 0, max: 1 },
    acquireConnectionTimeout: 3000,
  });
  try {
    await k.raw('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await k.destroy();
  }
}

export async function dropPgDatabase(name: string) {
  const k = knexFactory({
    client: 'pg',
    connection: PG_URL,
    pool: { min: 0, max: 1 },
  });
  try {
    await k.raw(`DROP DATABASE IF EXISTS "${name}"`);
  } finally {
    await k.destroy();
  }
}

/** The URL with its credentials hidden, for notes. */
export const pgShown = () => PG_URL.replace(/\/\/[^@]*@/, '//***@');
