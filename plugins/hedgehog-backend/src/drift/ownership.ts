import { APPLIED_BY_LABEL } from './normalizeObject';

/*
 * Which fabric an object in the cluster belongs to (docs/architecture.md#invariants: no fabric
 * changes or deletes an object another fabric applied). Every object an apply sends
 * carries the label `hedgehog.backstage.io/fabric=<fabric>`. An object without it
 * (made by kubectl, the installer, ...) belongs to no fabric: a fabric whose Git
 * defines it takes it over by applying it, and no fabric ever prunes it.
 */

/** The fabric that applied a live object, from its label; undefined for an object without it. */
export function appliedBy(live: Record<string, any> | undefined): string | undefined {
  const value = live?.metadata?.labels?.[APPLIED_BY_LABEL];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The other fabric that applied a live object, when another one did: `fabric` must leave it alone. */
export function ownedElsewhere(live: Record<string, any> | undefined, fabric: string): string | undefined {
  const owner = appliedBy(live);
  return owner !== undefined && owner !== fabric ? owner : undefined;
}

/** Why `fabric` leaves an object of another fabric alone, for messages. */
export function ownedElsewhereMessage(kind: string, name: string, owner: string, fabric: string): string {
  return `${kind} ${name} in the cluster belongs to fabric ${owner} (label ${APPLIED_BY_LABEL}=${owner}); fabric ${fabric} does not change, delete or adopt it`;
}
