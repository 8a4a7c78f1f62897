/*
 * How large a prune may be without a confirmation (docs/architecture.md#invariants: large
 * prunes need an explicit confirmation with the count). Pure.
 */

/** The share of a fabric's objects in the cluster that a prune may delete unconfirmed, when config sets none. */
export const DEFAULT_PRUNE_LIMIT = 0.1;

export interface PruneDecision {
  /** Whether the planned deletes may be sent. */
  allowed: boolean;
  /** The prune is larger than the limit: it needs `{"confirmPrune": count}`. */
  confirmationRequired: boolean;
  /** Why nothing is pruned, when it is not allowed. */
  reason?: string;
}

const percent = (share: number) => `${Math.round(share * 1000) / 10}%`;

/**
 * Whether a prune of `count` objects of the `owned` objects the fabric has in the
 * cluster may go ahead. Larger than `limit × owned`, it needs a confirmation that
 * names exactly `count`; a confirmation of another number (the plan changed since
 * it was looked at) allows nothing, whatever the size.
 */
export function decidePrune(options: {
  fabric: string;
  count: number;
  owned: number;
  limit: number;
  confirm?: number;
}): PruneDecision {
  const { fabric, count, owned, limit, confirm } = options;
  const confirmationRequired = count > 0 && count > limit * owned;
  const how = `check the list (an apply with {"dryRun": true} shows it), then confirm with POST /api/hedgehog/fabrics/${fabric}/apply {"confirmPrune": ${count}}`;
  if (count === 0) return { allowed: true, confirmationRequired: false };
  if (confirm !== undefined && confirm !== count) {
    const asked = confirm < 0 ? 'requests that joined this run confirmed different counts' : `the prune was confirmed for ${confirm} object(s)`;
    return {
      allowed: false,
      confirmationRequired,
      reason: `${asked}, but ${count} would be deleted now; nothing was pruned: ${how}`,
    };
  }
  if (confirmationRequired && confirm === undefined) {
    return {
      allowed: false,
      confirmationRequired,
      reason: `${count} of the fabric's ${owned} object(s) in the cluster would be pruned (${percent(count / Math.max(owned, 1))}), more than its limit of ${percent(limit)} (pruneLimit); nothing was pruned: ${how}`,
    };
  }
  return { allowed: true, confirmationRequired };
}
