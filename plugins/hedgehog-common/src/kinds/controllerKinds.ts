/**
 * A Hedgehog kind that Hedgehog's controller creates from other objects: never
 * written by hand, so never managed through GitOps. A document of such a kind is
 * kept in `unmanaged/` with this reason.
 *
 * @public
 */
export interface ControllerKind {
  kind: string;
  group: string;
  /** What the controller makes it from (githedgehog/fabric, the file that creates it). */
  madeFrom: string;
}

/**
 * The kinds Hedgehog's controller creates (githedgehog/fabric, 2026-07-23).
 *
 * @public
 */
export const CONTROLLER_KINDS: readonly ControllerKind[] = [
  { kind: 'Agent', group: 'agent.githedgehog.com', madeFrom: 'one per Switch (pkg/ctrl/agent_ctrl.go)' },
  { kind: 'Catalog', group: 'agent.githedgehog.com', madeFrom: 'one per Switch (pkg/manager/librarian)' },
  { kind: 'DHCPSubnet', group: 'dhcp.githedgehog.com', madeFrom: 'one per VPC subnet (pkg/ctrl/vpc_ctrl.go)' },
  { kind: 'VPCInfo', group: 'gateway.githedgehog.com', madeFrom: 'one per VPC and External (pkg/ctrl/gateway_sync.go)' },
  { kind: 'GatewayAgent', group: 'gwint.githedgehog.com', madeFrom: 'one per Gateway (pkg/ctrl/gateway_ctrl.go)' },
  { kind: 'SwitchProfile', group: 'wiring.githedgehog.com', madeFrom: 'the built-in switch profiles (pkg/ctrl/switchprofile)' },
];

/**
 * The controller-made kind of an `apiVersion` and `kind`, if it is one (any version).
 *
 * @public
 */
export function findControllerKind(apiVersion: string, kind: string): ControllerKind | undefined {
  const group = apiVersion.split('/')[0];
  return CONTROLLER_KINDS.find(k => k.kind === kind && k.group === group);
}
