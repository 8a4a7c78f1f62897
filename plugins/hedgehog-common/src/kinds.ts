/**
 * The twelve Hedgehog fabric kinds managed through GitOps, with their API group,
 * version, plural (also the folder name under `managed/`) and the maximum length
 * of their names.
 *
 * @public
 */
export interface HedgehogKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  /**
   * Maximum length of `metadata.name`: 11 for VPC, IPv4Namespace and External,
   * else 253 (docs/hedgehog.md#names).
   */
  maxNameLength: number;
  /** Position in the create/update order (lower first). */
  applyOrder: number;
}

/** @public */
export const HEDGEHOG_API_VERSION = 'v1beta1';

/** @public */
export const WIRING_GROUP = 'wiring.githedgehog.com';
/** @public */
export const VPC_GROUP = 'vpc.githedgehog.com';

const MAX_NAME = 253;

/**
 * The kinds table. The order of the entries is the dependency order in which the
 * webhooks accept creation (docs/hedgehog.md#apply-order).
 *
 * @public
 */
export const HEDGEHOG_KINDS: readonly HedgehogKind[] = [
  { kind: 'VLANNamespace', group: WIRING_GROUP, plural: 'vlannamespaces', maxNameLength: MAX_NAME, applyOrder: 0 },
  { kind: 'IPv4Namespace', group: VPC_GROUP, plural: 'ipv4namespaces', maxNameLength: 11, applyOrder: 0 },
  { kind: 'SwitchGroup', group: WIRING_GROUP, plural: 'switchgroups', maxNameLength: MAX_NAME, applyOrder: 0 },
  { kind: 'Switch', group: WIRING_GROUP, plural: 'switches', maxNameLength: MAX_NAME, applyOrder: 1 },
  { kind: 'Server', group: WIRING_GROUP, plural: 'servers', maxNameLength: MAX_NAME, applyOrder: 1 },
  { kind: 'Connection', group: WIRING_GROUP, plural: 'connections', maxNameLength: MAX_NAME, applyOrder: 2 },
  { kind: 'VPC', group: VPC_GROUP, plural: 'vpcs', maxNameLength: 11, applyOrder: 3 },
  { kind: 'External', group: VPC_GROUP, plural: 'externals', maxNameLength: 11, applyOrder: 3 },
  { kind: 'VPCAttachment', group: VPC_GROUP, plural: 'vpcattachments', maxNameLength: MAX_NAME, applyOrder: 4 },
  { kind: 'VPCPeering', group: VPC_GROUP, plural: 'vpcpeerings', maxNameLength: MAX_NAME, applyOrder: 4 },
  { kind: 'ExternalAttachment', group: VPC_GROUP, plural: 'externalattachments', maxNameLength: MAX_NAME, applyOrder: 4 },
  { kind: 'ExternalPeering', group: VPC_GROUP, plural: 'externalpeerings', maxNameLength: MAX_NAME, applyOrder: 4 },
].map(k => ({ ...k, version: HEDGEHOG_API_VERSION }));

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
