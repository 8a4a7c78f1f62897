import { Knex } from 'knex';

const SQLITE_CLIENTS = new Set(['better-sqlite3', 'sqlite3']);

/**
 * Puts an SQLite database file in write-ahead-log mode with `synchronous = NORMAL`.
 *
 * SQLite's default rollback journal waits for several fsyncs at every commit, and
 * better-sqlite3 runs every statement on the event loop: each of a run's own
 * writes (its lock, its record, the fabric's status) blocked the whole backend
 * while the disk synced, ~2 ms each on a busy disk. With the log, a commit is an
 * append; the log is synced at checkpoints. A crash of the process loses nothing
 * committed; a power loss may lose the last commits, never the database's
 * consistency (the state is rebuilt from Git by the next sync anyway).
 *
 * The journal mode is stored in the file. `synchronous` belongs to a connection:
 * it is set on this one, and better-sqlite3 (built with
 * SQLITE_DEFAULT_WAL_SYNCHRONOUS=1) opens every later connection of a WAL file
 * with NORMAL. In-memory databases, other clients and a file that another
 * connection keeps busy are left as they are. Returns the journal mode the
 * database reports, or undefined when it is not SQLite or was busy.
 */
export async function useWriteAheadLog(db: Knex): Promise<string | undefined> {
  const client = String(db.client.config?.client ?? '');
  if (!SQLITE_CLIENTS.has(client)) return undefined;
  let mode: string | undefined;
  try {
    mode = journalMode(await db.raw('PRAGMA journal_mode = WAL'));
  } catch (e) {
    // Another process holds the file in a transaction: it stays as it is this time.
    if (/SQLITE_BUSY|database is locked/i.test(String((e as Error)?.message ?? e))) return undefined;
    throw e;
  }
  if (mode !== 'wal') return mode;
  await db.raw('PRAGMA synchronous = NORMAL');
  return mode;
}

/** The mode in the answer of `PRAGMA journal_mode = ...` (rows of either client). */
function journalMode(result: unknown): string | undefined {
  const rows = Array.isArray(result) ? result : [];
  const row = rows[0] as { journal_mode?: unknown } | undefined;
  return typeof row?.journal_mode === 'string' ? row.journal_mode.toLowerCase() : undefined;
}
