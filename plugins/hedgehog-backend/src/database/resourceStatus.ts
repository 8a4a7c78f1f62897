import {
  DRIFT_STATUSES,
  DriftStatus,
} from '@fabric-gitops/plugin-hedgehog-common';
import { Knex } from 'knex';
import { FABRICS, RESOURCES } from './tables';

/*
 * A fabric's resource rows counted by drift status and failed applies, kept on its
 * fabric row (`resource_status`) by every write of those rows, in the same
 * transaction: the fabric list reads one row per fabric instead of counting.
 */

/** What the fabric list shows of a fabric's resource rows. */
export interface ResourceStatusCounts {
  drift: Record<DriftStatus, number>;
  applyFailed: number;
}

/** Counts the fabric's rows (one statement over its rows). */
export async function countResourceStatus(
  db: Knex,
  fabric: string,
): Promise<ResourceStatusCounts> {
  const rows = (await db(RESOURCES)
    .where({ fabric })
    .groupBy('drift_status')
    .select(
      'drift_status',
      db.raw('count(*) as count'),
      db.raw(
        `sum(case when apply_status = 'failed' then 1 else 0 end) as failed`,
      ),
    )) as Array<{
    drift_status: DriftStatus;
    count: string | number;
    failed: string | number | null;
  }>;
  const drift = Object.fromEntries(DRIFT_STATUSES.map(s => [s, 0])) as Record<
    DriftStatus,
    number
  >;
  let applyFailed = 0;
  for (const r of rows) {
    drift[r.drift_status] = Number(r.count);
    applyFailed += Number(r.failed ?? 0);
  }
  return { drift, applyFailed };
}

/** Counts the fabric's rows again and keeps the counts on its fabric row (call inside the writing transaction). */
export async function recordResourceStatus(
  db: Knex,
  fabric: string,
): Promise<void> {
  const counts = await countResourceStatus(db, fabric);
  await db(FABRICS)
    .where({ name: fabric })
    .update({ resource_status: JSON.stringify(counts) });
}
