import { ClusterClient } from '../../cluster/ClusterClient';
import { RunAudit } from '../RunAudit';
import { RunContext } from './stage';

/** What the cluster's stages (apply, drift) share: the run's client of the fabric's cluster. */
export interface ClusterContext extends RunContext {
  client: ClusterClient;
  /** How many objects an apply sends at once. */
  concurrency: number;
  /** The share of a fabric's objects a prune may delete unconfirmed, for fabrics that set none. */
  pruneLimit: number;
  /** The run: its id and who asked for it (an audit event of a prune names both). */
  run: { id: string; requestedBy?: string };
  /** Where a prune's deletions are audited (none in tests that do not look). */
  audit?: RunAudit;
}

/** Runs `fn` over the items with at most `limit` at once; results in the items' order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
