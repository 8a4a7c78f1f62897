import { Knex } from 'knex';

/* The store's tables and what every query module shares. */

export const FABRICS = 'hedgehog_fabrics';
export const RUNS = 'hedgehog_runs';
export const RESOURCES = 'hedgehog_resources';
export const UNMANAGED = 'hedgehog_unmanaged_files';
export const FINDINGS = 'hedgehog_findings';
export const BATCH = 200;
/** git_path of rows for objects that exist only in the cluster. */
export const ORPHAN_PATH = '';

/** Creates the fabric's row when it does not exist yet. */
export async function ensureFabric(db: Knex | Knex.Transaction, name: string) {
  await db(FABRICS)
    .insert({ name, status: 'never_synced', updated_at: Date.now() })
    .onConflict('name')
    .ignore();
}
