import { ConnectionKind } from './connection';
import { ExternalKind } from './external';
import { ExternalAttachmentKind } from './externalAttachment';
import { ExternalPeeringKind } from './externalPeering';
import { GatewayKind } from './gateway';
import { GatewayGroupKind } from './gatewayGroup';
import { GatewayPeeringKind } from './gatewayPeering';
import { IPv4NamespaceKind } from './ipv4Namespace';
import { ServerKind } from './server';
import { SwitchKind } from './switch';
import { SwitchGroupKind } from './switchGroup';
import { HEDGEHOG_API_VERSION, HedgehogKind, KindModule } from './types';
import { VLANNamespaceKind } from './vlanNamespace';
import { VPCKind } from './vpc';
import { VPCAttachmentKind } from './vpcAttachment';
import { VPCPeeringKind } from './vpcPeering';

export * from './types';
export * from './columns';
export * from './controllerKinds';

/*
 * The Hedgehog kinds managed through GitOps: one module per kind (this folder),
 * registered here. A kind's module holds everything the suite knows about it
 * outside the backend (docs/architecture.md#adding-a-kind).
 */
const MODULES: readonly KindModule[] = [
  VLANNamespaceKind,
  IPv4NamespaceKind,
  SwitchGroupKind,
  GatewayGroupKind,
  SwitchKind,
  ServerKind,
  GatewayKind,
  ConnectionKind,
  VPCKind,
  ExternalKind,
  VPCAttachmentKind,
  VPCPeeringKind,
  ExternalAttachmentKind,
  ExternalPeeringKind,
  GatewayPeeringKind,
];

/**
 * The kinds table. The order of the entries is the dependency order in which the
 * webhooks accept creation (docs/hedgehog.md#apply-order).
 *
 * @public
 */
export const HEDGEHOG_KINDS: readonly HedgehogKind[] = MODULES.map(k => ({
  ...k,
  version: k.version ?? HEDGEHOG_API_VERSION,
}));

const byKind = new Map(HEDGEHOG_KINDS.map(k => [k.kind, k]));

/**
 * Looks a kind up by its `kind` name (case-sensitive, as in Kubernetes).
 *
 * @public
 */
export function findKind(kind: string): HedgehogKind | undefined {
  return byKind.get(kind);
}

/**
 * The full `apiVersion` of a kind, e.g. `vpc.githedgehog.com/v1beta1`.
 *
 * @public
 */
export function apiVersionOf(kind: HedgehogKind): string {
  return `${kind.group}/${kind.version}`;
}

/**
 * Whether an apiVersion belongs to one of the Hedgehog API groups (any version).
 *
 * @public
 */
export function isHedgehogApiVersion(apiVersion: string): boolean {
  return /(^|\.)githedgehog\.com\//.test(apiVersion);
}
