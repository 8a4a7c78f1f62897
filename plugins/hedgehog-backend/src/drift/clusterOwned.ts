/**
 * Fields the cluster owns when Git leaves them out (docs/hedgehog.md#what-drift-ignores):
 * values the Hedgehog webhooks default and values hhfab hydrates at install
 * time. A field listed here that is absent in Git is not drift; when Git sets it,
 * it is compared like any other field.
 *
 * Patterns are dotted paths; `*` matches one segment (a map key or a list index)
 * and a pattern also covers everything below it.
 */
export const CLUSTER_OWNED_WHEN_ABSENT: Record<string, string[]> = {
  Switch: [
    'spec.asn',
    'spec.ip',
    'spec.protocolIP',
    'spec.vtepIP',
    'spec.vlanNamespaces',
    'spec.groups',
    'spec.linkFlapErrDisable',
  ],
  Connection: [
    'spec.fabric.links.*.spine.ip',
    'spec.fabric.links.*.leaf.ip',
    'spec.mesh.links.*.leaf1.ip',
    'spec.mesh.links.*.leaf2.ip',
    'spec.gateway.links.*.switch.ip',
    'spec.gateway.links.*.gateway.ip',
  ],
  VPC: [
    'spec.ipv4Namespace',
    'spec.vlanNamespace',
    'spec.subnets.*.gateway',
    'spec.subnets.*.dhcp.range',
    'spec.subnets.*.dhcp.options',
  ],
  External: ['spec.ipv4Namespace'],
  ExternalAttachment: ['spec.switch', 'spec.neighbor'],
};

/**
 * Lists the webhooks keep sorted: order is not meaningful, so both sides are
 * compared sorted.
 */
export const UNORDERED_LISTS: Record<string, string[]> = {
  Switch: ['spec.groups', 'spec.vlanNamespaces'],
  IPv4Namespace: ['spec.subnets'],
  ExternalPeering: ['spec.permit.vpc.subnets', 'spec.permit.external.prefixes'],
  VPC: ['spec.subnets.*.dhcp.options.dnsServers', 'spec.subnets.*.dhcp.options.timeServers'],
};

/** Whether a path (segments) is covered by a pattern (segments). */
export function matches(path: string[], pattern: string[]): boolean {
  if (path.length < pattern.length) return false;
  return pattern.every((p, i) => p === '*' || p === path[i]);
}
