import { findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { isPlainObject } from './model';
import { BACKEND_KINDS } from './modules';

/**
 * The managed kinds an object refers to (docs/hedgehog.md#references-between-kinds): its
 * backend module's reading of the object when references depend on it (Connection),
 * else its kind's `references` (plugins/hedgehog-common/src/kinds/).
 */
function referencesOf(o: Record<string, any>): string[] {
  const perObject = BACKEND_KINDS[o.kind]?.referencesOf;
  return perObject ? perObject(o) : [...(findKind(o.kind)?.references ?? [])];
}

/**
 * The managed kinds the objects refer to of which they hold none: the kinds whose
 * references only the cluster can resolve (one LIST each). Sorted by name.
 */
export function kindsToResolveLive(objects: unknown[]): string[] {
  const held = new Set<string>();
  const referenced = new Set<string>();
  for (const o of objects) {
    if (!isPlainObject(o) || typeof o.kind !== 'string' || !findKind(o.kind)) continue;
    held.add(o.kind);
    for (const k of referencesOf(o)) referenced.add(k);
  }
  return [...referenced].filter(k => !held.has(k)).sort();
}

/** Whether validating the objects can use the cluster's SwitchProfiles (they hold switches or connections). */
export function needsSwitchProfiles(objects: unknown[]): boolean {
  return objects.some(o => isPlainObject(o) && (o.kind === 'Switch' || o.kind === 'Connection'));
}

/** What validating objects needs from the fabric's cluster: live objects of these kinds, and its SwitchProfiles. */
export interface ValidationNeeds {
  kinds: string[];
  switchProfiles: boolean;
}

export function validationNeeds(objects: unknown[]): ValidationNeeds {
  return { kinds: kindsToResolveLive(objects), switchProfiles: needsSwitchProfiles(objects) };
}
