import { findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { connectionModel } from './connectionModel';
import { isPlainObject, obj } from './model';

/**
 * The managed kinds each kind refers to (docs/hedgehog.md#references-between-kinds), including the
 * implicit references to the `default` namespaces. Connections are read per object
 * (only server-facing types name servers, only static externals a VPC).
 */
const REFERENCES: Readonly<Record<string, readonly string[]>> = {
  Switch: ['VLANNamespace', 'SwitchGroup'],
  VPC: ['IPv4Namespace', 'VLANNamespace'],
  VPCAttachment: ['VPC', 'Connection', 'Switch'],
  VPCPeering: ['VPC'],
  External: ['IPv4Namespace'],
  ExternalAttachment: ['External', 'Connection'],
  ExternalPeering: ['VPC', 'External'],
};

function referencesOf(o: Record<string, any>): string[] {
  if (o.kind !== 'Connection') return [...(REFERENCES[o.kind] ?? [])];
  const model = connectionModel(obj(o.spec) ?? {});
  const kinds: string[] = [];
  if (model.switches.size > 0) kinds.push('Switch');
  if (model.servers.size > 0) kinds.push('Server');
  if (model.key === 'staticExternal' && obj(obj(o.spec)?.staticExternal)?.withinVPC) kinds.push('VPC');
  return kinds;
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
