/* A PostgreSQL database of its own for a test file: created on the local server, dropped afterwards. */
import crypto from 'node:crypto';
import { Knex } from 'knex';
import { postgres } from './service';

export const PG_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING || 'postgresql://postgres@127.0.0.1:5432';

export interface ScratchDatabase {
  name: string;
  /** Connection string of the database. */
  url: string;
  /** A small pool on the database. */
  db: Knex;
  /** Drops the database (connections included) and closes the pools. */
  drop(): Promise<void>;
}

/** Creates `<prefix>_<random>` on the local PostgreSQL. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${crypto.randomBytes(4).toString('hex')}`;
  const base = PG_URL.replace(/\/$/, '');
  const admin = await postgres(`${base}/postgres`, { min: 0, max: 1 });
  await admin.raw(`create database ${name}`);
  const url = `${base}/${name}`;
  const db = await postgres(url, { min: 0, max: 2 });
  return {
    name,
    url,
    db,
    async drop() {
      await db.destroy();
      await admin.raw(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.destroy();
    },
  };
}
