import { Knex } from 'knex';
import type { TopologyResource } from '../topology/buildTopology';
import { parse } from './rows';
import { ORPHAN_PATH, RESOURCES } from './tables';

/**
 * The resources of these kinds of a fabric, each with its object (the desired one; the live one for an
 * object only the cluster has) and its drift and apply status: what the topology is drawn from.
 */
export async function listTopologyResources(db: Knex, fabric: string, kinds: string[]): Promise<TopologyResource[]> {
  const rows = await db(RESOURCES)
    .where({ fabric })
    .whereIn('kind', kinds)
    .select(
      'kind',
      'name',
      'desired',
      // the live object is read only where there is no desired one
      db.raw(`case when git_path = ? then live else null end as live`, [ORPHAN_PATH]),
      'drift_status',
      'apply_status',
    )
    .orderBy([{ column: 'kind' }, { column: 'name' }]);
  return rows.map((r: any) => ({
    kind: r.kind,
    name: r.name,
    object: parse(r.desired) ?? parse(r.live) ?? null,
    drift: r.drift_status,
    applyStatus: r.apply_status,
  }));
}
