import { HedgehogKind } from '@fabric-gitops/plugin-hedgehog-common';
import { appliedBy, ownedElsewhere, ownedElsewhereMessage } from '../drift/ownership';
import { ClusterClient, ClusterError } from './ClusterClient';

/*
 * Writes of an apply that hold only for the object as it was checked
 * (docs/architecture.md#invariants: no fabric changes or deletes an object another
 * fabric applied). The
 * plan checks each object's label in the LIST it is made from; each write then
 * carries that object's resourceVersion as a precondition, so an object another
 * fabric took meanwhile is not overwritten or deleted: the API server answers 409,
 * the object is read again and its label checked again.
 */

/** How often a write is tried against a newer version of the object (status updates move it too). */
const ATTEMPTS = 3;

/** The object belongs to another fabric: nothing was sent. */
export class OwnedElsewhereError extends Error {
  constructor(
    message: string,
    readonly owner: string,
  ) {
    super(message);
    this.name = 'OwnedElsewhereError';
  }
}

function isConflict(e: unknown): boolean {
  return e instanceof ClusterError && e.status === 409;
}

/**
 * Server-side apply of an object of `fabric` onto the version of it that was
 * checked (`resourceVersion`, from the plan's LIST; none when it did not exist:
 * the API server cannot make "does not exist" a condition of an apply). Throws
 * OwnedElsewhereError when the object now belongs to another fabric.
 */
export async function applyChecked(
  client: ClusterClient,
  kind: HedgehogKind,
  object: Record<string, any>,
  options: { fabric: string; resourceVersion?: string; dryRun?: boolean },
): Promise<Record<string, any>> {
  let resourceVersion = options.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    try {
      return await client.apply(kind, object, { dryRun: options.dryRun, resourceVersion });
    } catch (e) {
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
      const name = object.metadata.name;
      const current = await client.get(kind, name);
      const owner = ownedElsewhere(current, options.fabric);
      if (owner) throw new OwnedElsewhereError(ownedElsewhereMessage(kind.kind, name, owner, options.fabric), owner);
      resourceVersion = current?.metadata?.resourceVersion;
    }
  }
}

/**
 * Deletes an object of `fabric` (prune), only in the version that was checked;
 * when it changed since, only if it still carries the fabric's label. Returns why
 * it was kept, when it was.
 */
export async function deleteChecked(
  client: ClusterClient,
  kind: HedgehogKind,
  name: string,
  options: { fabric: string; resourceVersion?: string; dryRun?: boolean },
): Promise<{ kept?: string }> {
  let resourceVersion = options.resourceVersion;
  for (let attempt = 1; ; attempt++) {
    try {
      await client.delete(kind, name, { dryRun: options.dryRun, resourceVersion });
      return {};
    } catch (e) {
      if (!isConflict(e) || attempt >= ATTEMPTS) throw e;
      const current = await client.get(kind, name);
      if (!current) return {};
      const owner = appliedBy(current);
      if (owner !== options.fabric) {
        return {
          kept: owner
            ? ownedElsewhereMessage(kind.kind, name, owner, options.fabric)
            : `${kind.kind} ${name} lost the label of fabric ${options.fabric} since it was listed; it was not pruned`,
        };
      }
      resourceVersion = current.metadata?.resourceVersion;
    }
  }
}
