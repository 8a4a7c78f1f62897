import type { Finding, FindingSeverity } from '../findingTypes';

/**
 * The layer of validation a rule belongs to:
 * - `document`: reading the files (YAML syntax, documents that are not managed kinds);
 * - `schema`: the shape of one document (fields, types, enums, formats, names);
 * - `kind`: the rules of one kind that need only the document itself;
 * - `fabric`: rules across the fabric's documents (duplicates, references, reuse, overlaps);
 * - `context`: what cannot be decided from the documents alone (references to
 *   objects outside Git, hydration, deprecations).
 *
 * @public
 */
export type ValidationLayer = 'document' | 'schema' | 'kind' | 'fabric' | 'context';

/** One validation rule. @public */
export interface ValidationRule {
  id: string;
  /** Severity of a finding of this rule (see `configDependent`). */
  severity: FindingSeverity;
  layer: ValidationLayer;
  /** One line: what the rule checks. */
  description: string;
  /**
   * The rule checks against the fabric's FabricConfig (docs/hedgehog.md#fabricconfig). When
   * the config was not given and hhfab's defaults were assumed, its findings are
   * warnings instead of errors.
   */
  configDependent?: boolean;
  /** A finding of this rule keeps the resource from being applied, even as a warning. */
  blocksApply?: boolean;
}

/** A validation rule without its id (the key of {@link VALIDATION_RULE_SPECS}). @public */
export type ValidationRuleSpec = Omit<ValidationRule, 'id'>;

const error = (layer: ValidationLayer, description: string, extra: Partial<ValidationRuleSpec> = {}): ValidationRuleSpec => ({
  severity: 'error',
  layer,
  description,
  ...extra,
});
const warning = (layer: ValidationLayer, description: string, extra: Partial<ValidationRuleSpec> = {}): ValidationRuleSpec => ({
  severity: 'warning',
  layer,
  description,
  ...extra,
});
const config = { configDependent: true };

/**
 * Every validation rule by id, without the id (see {@link VALIDATION_RULES}).
 *
 * @public
 */
export const VALIDATION_RULE_SPECS = {
  // document
  'document.unreadable': error('document', 'The file can be read as YAML text (UTF-8, no binary content, within the size limit)'),
  'document.yaml': error('document', 'Each YAML document parses'),
  'document.unmanaged': warning('document', 'The document is one of the managed Hedgehog kinds; other documents (and the kinds Hedgehog\'s controller creates) are not validated'),

  // schema
  'schema.api-version': error('schema', 'apiVersion is the group of the kind with version v1beta1'),
  'schema.unknown-field': error('schema', 'No unknown fields (strict decoding, as hhfab and server-side field validation)'),
  'schema.required': error('schema', 'Required fields are present and not empty'),
  'schema.type': error('schema', 'Every field has the type of the API (string, integer, boolean, list, mapping)'),
  'schema.enum': error('schema', 'Enumerated fields use one of the allowed values (e.g. Switch role, redundancy type, VPC mode)'),
  'schema.range': error('schema', 'Integers are within their range (uint16, uint32, VLAN IDs, MTUs, link-flap settings, ...)'),
  'schema.items': error('schema', 'Lists and mappings have an allowed number of entries'),
  'schema.cidr': error('schema', 'CIDR fields hold an IPv4 prefix such as 10.0.0.0/24'),
  'schema.ip': error('schema', 'IP fields hold an IP address'),
  'schema.mac': error('schema', 'MAC fields hold a MAC address such as 0c:20:12:ff:00:00'),
  'schema.community': error('schema', 'BGP communities are ASN:value with both parts 0-65535'),
  'schema.port-name': error('schema', 'Port names are <device>/<port> with both parts non-empty'),
  'metadata.name': error('schema', 'metadata.name is a lower-case RFC 1123 subdomain'),
  'metadata.name-length': error('schema', 'metadata.name is at most 253 characters, at most 11 for VPC, IPv4Namespace and External'),
  'metadata.namespace': error('schema', 'metadata.namespace is "default" (or absent)'),

  // kind
  'vlannamespace.range': error('kind', 'VLAN ranges have 1 <= from <= to <= 4094 (to 0 means from)'),
  'vlannamespace.overlap': error('kind', 'The VLAN ranges of a VLANNamespace do not overlap each other'),
  'vlannamespace.reserved': error('kind', 'VLAN ranges do not overlap the VPC IRB VLANs or the TH5 workaround VLANs', config),
  'ipv4namespace.overlap': error('kind', 'The subnets of an IPv4Namespace do not overlap each other'),
  'ipv4namespace.reserved': error('kind', 'IPv4Namespace subnets do not overlap the fabric\'s reserved subnets', config),
  'switch.redundancy': error('kind', 'Switch redundancy group and type are set together'),
  'switch.vtep-ip': error('kind', 'Spines have no VTEP IP'),
  'switch.address-prefix': error('kind', 'Switch protocolIP and vtepIP are /32 prefixes'),
  'switch.management-ip': error('kind', 'The switch management IP is inside the management subnet, below the management DHCP range and not the control VIP', config),
  'switch.protocol-ip': error('kind', 'The switch protocol IP is inside the protocol subnet', config),
  'switch.vtep-subnet': error('kind', 'The switch VTEP IP is inside the VTEP subnet', config),
  'switch.asn': error('kind', 'Leaf ASNs are inside the leaf ASN range; spines use the spine ASN', config),
  'connection.type': error('kind', 'A Connection has exactly one type (unbundled, bundled, mclag, eslag, mclagDomain, fabric, mesh, gateway, vpcLoopback, external, staticExternal)'),
  'connection.endpoints': error('kind', 'A Connection connects the number of servers and switches its type requires (ESLAG 1-4 switches, fabric and mesh 2, vpcLoopback 1, ...)'),
  'connection.ports-distinct': error('kind', 'All ports of one Connection are distinct (E1/55 is the same port as E1/55/1)'),
  'connection.link-ip': error('kind', 'Fabric, mesh and gateway link IPs are /31 prefixes and both ends of a link are in the same /31'),
  'connection.link-ip-subnet': error('kind', 'Fabric, mesh and gateway link IPs are inside the fabric subnet', config),
  'connection.mtu': error('kind', 'Server-facing MTU is at most the fabric MTU minus the server-facing MTU offset (9036 by default)', config),
  'connection.static-external': error('kind', 'Static external: nextHop inside the switch IP\'s subnet; subnets canonical and not overlapping; 0.0.0.0/0 only alone'),
  'connection.static-external-reserved': error('kind', 'Static external subnets do not overlap the fabric\'s reserved subnets', config),
  'connection.fabric-mode': error('kind', 'ESLAG and gateway connections need the spine-leaf fabric mode', config),
  'vpc.name-prefix': error('kind', 'VPC names do not start with "ext."'),
  'vpc.mode': error('kind', 'VPC mode l3flat is not supported'),
  'vpc.subnet-prefix': error('kind', 'VPC subnet prefixes are at most /30'),
  'vpc.subnet-gateway': error('kind', 'The subnet gateway is inside the subnet (hostBGP subnets have none)'),
  'vpc.subnet-vlan': error('kind', 'Every non-hostBGP subnet has a VLAN'),
  'vpc.subnet-overlap': error('kind', 'The subnets of one VPC do not overlap'),
  'vpc.subnet-reserved': error('kind', 'VPC subnets do not overlap the fabric\'s reserved subnets', config),
  'vpc.vlan-duplicate': error('kind', 'The subnets of one VPC use distinct VLANs'),
  'vpc.dhcp-relay': error('kind', 'DHCP relay and the DHCP server are not enabled together; relayVPC needs relay'),
  'vpc.dhcp-range': error('kind', 'The DHCP range is inside the subnet, not the network address or gateway, and start comes before end'),
  'vpc.dhcp-disabled': error('kind', 'DHCP range, options and static leases are only set when DHCP is enabled'),
  'vpc.dhcp-options': error('kind', 'DHCP advertised routes have a destination prefix and a gateway inside the subnet'),
  'vpc.dhcp-static': error('kind', 'Static leases: IPs inside the subnet, not network, gateway or broadcast, each IP once'),
  'vpc.host-bgp': error('kind', 'hostBGP subnets do not enable DHCP'),
  'vpc.permit': error('kind', 'Each permit list names at least 2 distinct subnets of the VPC'),
  'vpc.static-route': error('kind', 'Static routes have a canonical prefix and at least one next hop'),
  'vpcattachment.subnet': error('kind', 'VPCAttachment subnet is <vpc>/<subnet>'),
  'vpcattachment.p2p-link': error('kind', 'The fabric.githedgehog.com/p2p-link annotation is an IPv4 /31 prefix'),
  'vpcpeering.permit': error('kind', 'Every permit entry names exactly 2 VPCs, the same 2 across all entries'),
  'vpcpeering.remote': error('kind', 'VPCPeering remote is deprecated and must be empty'),
  'vpcpeering.disabled': error('kind', 'VPC peering is enabled in the fabric config', config),
  'external.static': error('kind', 'Static externals have no communities and at least one prefix; prefixes do not overlap'),
  'externalattachment.bgp': error('kind', 'A BGP ExternalAttachment has switch.ip, neighbor.asn and neighbor.ip'),
  'externalattachment.static': error('kind', 'A static ExternalAttachment has no switch/neighbor values, a remoteIP and exactly one of static.ip and static.proxy'),
  'gateway.spec': error('kind', 'A Gateway\'s protocol and VTEP IPs are /32 IPv4 prefixes, its VTEP MAC unicast, its interfaces valid (names, IPs, PCI or kernel name), its BGP neighbors IPv4 addresses with ASNs, each group once (Gateway.Validate)'),
  'gateway.disabled': error('kind', 'Gateway, GatewayGroup and GatewayPeering are refused when the FabricConfig\'s enableGateway is false (their Validate())', config),
  'gateway.asn': error('kind', 'A Gateway\'s ASN is the FabricConfig\'s gatewayASN (hhfab\'s hydration check), neither the spine ASN nor inside the leaf ASN range (fabricator\'s config check)', config),
  'gateway.subnet': error('kind', 'A Gateway\'s protocol IP is inside the protocol subnet, its VTEP IP inside the VTEP subnet (hhfab\'s hydration check)', config),
  'gatewaypeering.spec': error('kind', 'A GatewayPeering peers exactly 2 VPCs; each expose has IP blocks with exactly one of cidr, not, vpcSubnet (not for an External), or only the default flag (GatewayPeering.Validate)'),
  'gatewaypeering.nat': error('kind', 'A GatewayPeering expose has as and nat together; nat is one of static, masquerade, portForward (with valid ports and protocols); stateful NAT on one side at most, not facing static NAT (GatewayPeering.Validate)'),
  'gatewaypeering.acl': error('kind', 'A GatewayPeering ACL: default deny or deny-unless-exposed; rules with a valid name, action allow or deny, from/to among the peered VPCs, matches with cidr or vpcSubnet, valid ports, protocol tcp, udp or a number (GatewayPeering.Validate)'),
  'externalattachment.acl': error('kind', 'Inbound ACL statements: seq >= 10 and unique, TCP flags/ports/ICMP only with their protocols'),

  // fabric
  'fabric.duplicate': error('fabric', 'Each kind/name is defined once'),
  'reference.missing': error('fabric', 'Every reference resolves (to Git, or to the cluster for kinds Git does not hold)'),
  'fabric.port-reused': error('fabric', 'No port is used by two Connections (E1/55 is the same port as E1/55/1)'),
  'fabric.link-ip-reused': error('fabric', 'Fabric, mesh and gateway link IPs are unique'),
  'fabric.switch-address-reused': error('fabric', 'Switch management, protocol and VTEP IPs are unique (MCLAG peers share their VTEP)'),
  'fabric.asn-reused': error('fabric', 'Leaf ASNs are unique (MCLAG peers share their ASN)'),
  'fabric.vpc-subnet-overlap': error('fabric', 'Subnets of VPCs in the same IPv4Namespace do not overlap'),
  'fabric.vpc-vlan-reused': error('fabric', 'VPCs in the same VLANNamespace do not reuse a VLAN'),
  'fabric.vpc-subnet-outside-namespace': error('fabric', 'Every VPC subnet is inside one subnet of its IPv4Namespace'),
  'fabric.vpc-vlan-outside-namespace': error('fabric', 'Every VPC subnet VLAN is inside the ranges of its VLANNamespace'),
  'switch.vlan-namespaces-overlap': error('fabric', 'The VLANNamespaces of one Switch do not overlap'),
  'connection.gateway-interface': error('fabric', 'The gateway side of a gateway Connection\'s link names an interface of its Gateway (hhfab\'s hydration gives it the link\'s IP)'),
  'connection.gateway-interface-ip': warning('fabric', 'A gateway link\'s gateway IP is among the IPs of the Gateway interface it names (hhfab sets them to it when it hydrates)'),
  'connection.redundancy-group': error('fabric', 'The switches of an ESLAG (MCLAG) connection are in the same ESLAG (MCLAG) redundancy group'),
  'vpcattachment.connection-type': error('fabric', 'VPCs attach only to unbundled, bundled or ESLAG connections (not to the deprecated MCLAG)'),
  'vpcattachment.eslag-mode': error('fabric', 'ESLAG connections attach only to L2VNI VPCs'),
  'vpcattachment.host-bgp': error('fabric', 'hostBGP subnets attach only through unbundled connections'),
  'vpcattachment.vlan-namespace': error('fabric', 'Every switch of the attached connection has the VPC\'s VLANNamespace'),
  'vpcattachment.duplicate': error('fabric', 'A connection is attached to a subnet once and with nativeVLAN at most once'),
  'vpcpeering.namespaces': error('fabric', 'Peered VPCs share their IPv4Namespace and VLANNamespace'),
  'externalattachment.external-mode': error('fabric', 'An ExternalAttachment is static exactly when its External is static'),
  'externalattachment.connection-type': error('fabric', 'ExternalAttachments use connections of type external'),
  'externalattachment.vlan-reused': error('fabric', 'The ExternalAttachments of one connection use distinct VLANs'),
  'fabric.gateway-address-reused': error('fabric', 'Gateway protocol and VTEP IPs are used by no switch and no other Gateway, VTEP MACs by no other Gateway (Gateway.Validate, Switch.HydrationValidation)'),
  'fabric.gateway-group-members': error('fabric', 'A GatewayGroup has at most as many members as the FabricConfig has gatewayCommunities (Gateway.Validate)', config),
  'gatewaypeering.expose-vpc': error('fabric', 'The CIDRs a GatewayPeering exposes for a VPC are inside the VPC\'s subnets (GatewayPeering.Validate)'),
  'gatewaypeering.acl-subnet': error('fabric', 'ACL rules of a GatewayPeering match vpcSubnet only on a VPC\'s side, not an External\'s (GatewayPeering.Validate)'),
  'fabric.gateway-peering-overlap': error('fabric', 'CIDRs exposed towards one VPC by different GatewayPeerings do not overlap (GatewayPeering.Validate)'),
  'externalpeering.namespace': error('fabric', 'The peered VPC and External share their IPv4Namespace'),

  // context
  'reference.unverified': warning('context', 'A reference to a kind the fabric\'s Git does not hold could not be checked (no cluster objects given)'),
  'hydration.switch': warning('context', 'The Switch is hydrated (asn, ip, protocolIP, vtepIP for leaves); hhfab fills them at install, the webhook rejects a switch without them', { blocksApply: true }),
  'hydration.gateway': warning('context', 'The Gateway is hydrated (asn, protocolIP, vtepIP, vtepMAC, interface IPs, BGP neighbors); hhfab fills them at install, the webhook rejects a gateway without them', { blocksApply: true }),
  'hydration.link': warning('context', 'Fabric, mesh and gateway links have IPs on both ends; hhfab fills them at install', { blocksApply: true }),
  'deprecated.mclag': warning('context', 'MCLAG is deprecated and no longer supported by current Hedgehog releases'),
  // context: the SwitchProfiles: the cluster's, or without them those built into Hedgehog that exist under the config's flags
  'switch.profile-missing': error('context', 'The Switch profile is a SwitchProfile of the fabric\'s cluster, or without the cluster\'s profiles one built into Hedgehog that exists under the FabricConfig\'s includeSONiCCLSPlus and includeCumulus', config),
  'switch.profile-unknown': warning('context', 'With allowExtraSwitchProfiles and without the cluster\'s SwitchProfiles, a Switch profile that is not built into Hedgehog cannot be checked (nor its ports)'),
  'switch.profile-feature': error('context', 'RoCE, ECMP RoCE QPN hashing and ESLAG redundancy are used only on switches whose SwitchProfile supports them'),
  'switch.port-limit': error('context', 'A switch\'s ports after breakout stay within its SwitchProfile\'s maximum, in total and per pipeline'),
  'vpcattachment.profile-feature': error('context', 'The VPC mode is supported by the SwitchProfile of every switch of the attached connection (the default L2VNI mode needs L2VNI and L3VNI, l3vni and l3flat need L3VNI)'),
  'switch.port-unknown': error('context', 'Switch portSpeeds, portBreakouts, portAutoNegs and portFECs name ports (portAutoNegs and portFECs also breakout sub-ports), and portGroupSpeeds port groups, of the switch\'s SwitchProfile'),
  'switch.port-setting': error('context', 'Port speeds and breakout modes are ones the SwitchProfile supports for that port or port group'),
  'connection.port-profile': error('context', 'Every switch port of a Connection exists in its switch\'s SwitchProfile; breakout sub-ports (E1/55/2) only up to the sub-ports of the port\'s breakout mode (E1/55 is E1/55/1)'),
} satisfies Record<string, ValidationRuleSpec>;

/** The id of a validation rule. @public */
export type ValidationRuleId = keyof typeof VALIDATION_RULE_SPECS;

/**
 * Every validation rule, by id.
 *
 * @public
 */
export const VALIDATION_RULES: Readonly<Record<ValidationRuleId, ValidationRule>> = Object.freeze(
  Object.fromEntries(
    Object.entries(VALIDATION_RULE_SPECS).map(([id, spec]) => [id, Object.freeze({ id, ...spec })]),
  ) as Record<ValidationRuleId, ValidationRule>,
);

/**
 * Every validation rule, in table order.
 *
 * @public
 */
export const VALIDATION_RULE_LIST: readonly ValidationRule[] = Object.freeze(Object.values(VALIDATION_RULES));

/**
 * Looks a rule up by id.
 *
 * @public
 */
export function findValidationRule(id: string): ValidationRule | undefined {
  return Object.prototype.hasOwnProperty.call(VALIDATION_RULES, id)
    ? VALIDATION_RULES[id as ValidationRuleId]
    : undefined;
}

/** Prefix of the rules about non-hydrated wiring. @public */
export const HYDRATION_RULE_PREFIX = 'hydration.';

/**
 * Whether a finding keeps its resource from being applied: every error, and the
 * warnings about non-hydrated wiring (the Hedgehog webhooks reject such objects;
 * hhfab hydrates them at install).
 *
 * @public
 */
export function blocksApply(finding: Pick<Finding, 'severity' | 'rule'>): boolean {
  return (
    finding.severity === 'error' ||
    finding.rule.startsWith(HYDRATION_RULE_PREFIX) ||
    findValidationRule(finding.rule)?.blocksApply === true
  );
}

/**
 * The rules whose findings block an apply also as warnings (see `blocksApply`):
 * a store filters findings by whether they block with these and the prefix
 * `HYDRATION_RULE_PREFIX`.
 *
 * @public
 */
export const BLOCKING_WARNING_RULES: readonly string[] = Object.freeze(
  VALIDATION_RULE_LIST.filter(r => r.blocksApply === true).map(r => r.id),
);
