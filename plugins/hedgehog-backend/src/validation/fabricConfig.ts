import { IPv4Prefix, VLANRange, formatPrefix, parseCIDR, parseIPv4 } from './ipam';

/** The kinds of value a FabricConfig field holds, with the TypeScript type of each. */
export interface FabricConfigValueKinds {
  string: string;
  positiveInteger: number;
  vlanRanges: Array<{ from: number; to?: number }>;
  cidrList: string[];
  boolean: boolean;
  /** BGP communities (`ASN:value`) by priority, as Hedgehog's `gatewayCommunities`. */
  communityMap: Record<string, string>;
}

/**
 * The FabricConfig fields validation uses (Hedgehog's names, `api/meta`
 * FabricConfig), with the kind of value each holds: the one list of them.
 * `FabricConfigInput`, `pickFabricConfig` and the fields app-config accepts derive
 * from it; config.d.ts (`hedgehog.fabrics[].fabricConfig`) must name the same
 * fields with the same types, which a test checks. `pickFabricConfig` checks the
 * fields in this order.
 */
export const FABRIC_CONFIG_FIELD_KINDS = {
  controlVIP: 'string',
  managementSubnet: 'string',
  managementDHCPStart: 'string',
  protocolSubnet: 'string',
  vtepSubnet: 'string',
  fabricSubnet: 'string',
  vpcLoopbackSubnet: 'string',
  mclagSessionSubnet: 'string',
  l2ProxyExternalSubnet: 'string',
  fabricMode: 'string',
  spineASN: 'positiveInteger',
  leafASNStart: 'positiveInteger',
  leafASNEnd: 'positiveInteger',
  fabricMTU: 'positiveInteger',
  serverFacingMTUOffset: 'positiveInteger',
  vpcIRBVLANRange: 'vlanRanges',
  th5WorkaroundVLANRange: 'vlanRanges',
  /** When given, exactly these subnets are reserved (hhfab writes the full list). */
  reservedSubnets: 'cidrList',
  vpcPeeringDisabled: 'boolean',
  /** Which of Hedgehog's built-in SwitchProfiles exist (githedgehog/fabric `pkg/ctrl/switchprofile/catalog.go`). */
  includeSONiCCLSPlus: 'boolean',
  includeCumulus: 'boolean',
  allowExtraSwitchProfiles: 'boolean',
  /** The gateway (gateway.githedgehog.com kinds, gateway connections) is enabled. */
  enableGateway: 'boolean',
  /** The ASN of every Gateway. */
  gatewayASN: 'positiveInteger',
  /** One BGP community per gateway priority: a GatewayGroup has at most this many members. */
  gatewayCommunities: 'communityMap',
} as const satisfies Record<string, keyof FabricConfigValueKinds>;

/** The name of a FabricConfig field validation uses. */
export type FabricConfigField = keyof typeof FABRIC_CONFIG_FIELD_KINDS;

type FabricConfigFields = {
  -readonly [F in FabricConfigField]?: FabricConfigValueKinds[(typeof FABRIC_CONFIG_FIELD_KINDS)[F]];
};

/**
 * The parts of Hedgehog's FabricConfig (ConfigMap `fab/fabric-ctrl-config`, key
 * `config.yaml`) that validation uses, with the same field names, so the content
 * of that ConfigMap can be passed as is. Every field is optional; a missing or
 * unreadable field takes hhfab's default (docs/hedgehog.md#fields-and-defaults), and findings
 * that depend only on given values are errors, the others warnings.
 */
export interface FabricConfigInput extends FabricConfigFields {
  [other: string]: unknown;
}

/** A config value and whether it was given (else it is hhfab's default). */
export interface Setting<T> {
  value: T;
  given: boolean;
}

export interface ResolvedFabricConfig {
  managementSubnet: Setting<IPv4Prefix>;
  managementDHCPStart: Setting<number>;
  controlVIP: Setting<number>;
  protocolSubnet: Setting<IPv4Prefix>;
  vtepSubnet: Setting<IPv4Prefix>;
  fabricSubnet: Setting<IPv4Prefix>;
  reservedSubnets: Array<Setting<{ prefix: IPv4Prefix; name: string }>>;
  spineASN: Setting<number>;
  leafASNs: Setting<{ start: number; end: number }>;
  reservedVLANs: Array<Setting<{ range: VLANRange; name: string }>>;
  /** Fabric MTU minus the server-facing MTU offset. */
  serverFacingMaxMTU: Setting<number>;
  fabricMode: Setting<string>;
  vpcPeeringDisabled: Setting<boolean>;
  /**
   * The flags that decide which SwitchProfiles the cluster has. Given when set, or
   * when a config was given at all: Hedgehog writes its config with `omitempty`, so
   * a config without the flag means false.
   */
  includeSONiCCLSPlus: Setting<boolean>;
  includeCumulus: Setting<boolean>;
  allowExtraSwitchProfiles: Setting<boolean>;
  /**
   * Whether the gateway is enabled: false only when a config says so (Hedgehog's
   * `config.yaml` omits false, see `readFabricConfigYaml`); a fabric whose config is
   * not known is assumed to have it on, as it holds gateway objects.
   */
  enableGateway: Setting<boolean>;
  gatewayASN: Setting<number>;
  /** How many gateway communities there are: the most members of one GatewayGroup. */
  gatewayCommunities: Setting<number>;
}

/** hhfab's defaults (fabricator `pkg/fab/defaults.go`; docs/hedgehog.md#fields-and-defaults). */
export const HHFAB_DEFAULTS = {
  controlVIP: '172.30.0.1',
  managementSubnet: '172.30.0.0/21',
  managementDHCPStart: '172.30.4.0',
  protocolSubnet: '172.30.8.0/22',
  vtepSubnet: '172.30.12.0/22',
  fabricSubnet: '172.30.128.0/17',
  vpcLoopbackSubnet: '172.30.96.0/19',
  mclagSessionSubnet: '172.30.95.0/31',
  l2ProxyExternalSubnet: '172.30.16.0/22',
  spineASN: 65100,
  leafASNStart: 65101,
  leafASNEnd: 65533,
  vpcIRBVLANRange: [{ from: 3000, to: 3899 }],
  th5WorkaroundVLANRange: [{ from: 3900, to: 3999 }],
  fabricMTU: 9100,
  serverFacingMTUOffset: 64,
  fabricMode: 'spine-leaf',
  vpcPeeringDisabled: false,
  includeSONiCCLSPlus: false,
  includeCumulus: false,
  allowExtraSwitchProfiles: false,
  // hhfab's default is off (fabricator api/fabricator/v1beta1 GatewayConfig.Enable); see enableGateway above
  enableGateway: false,
  gatewayASN: 65534,
  // Fabricator.Default(): priorities 0-9, communities 50001:0 to 50001:9
  gatewayCommunities: Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i), `50001:${i}`])) as Record<string, string>,
} as const satisfies Record<Exclude<FabricConfigField, 'reservedSubnets'>, unknown>;

const RESERVED_NAMES: Array<[keyof FabricConfigInput & keyof typeof HHFAB_DEFAULTS, string]> = [
  ['managementSubnet', 'management subnet'],
  ['fabricSubnet', 'fabric subnet'],
  ['protocolSubnet', 'protocol subnet'],
  ['vtepSubnet', 'VTEP subnet'],
  ['vpcLoopbackSubnet', 'VPC loopback workaround subnet'],
  ['mclagSessionSubnet', 'MCLAG session subnet'],
  ['l2ProxyExternalSubnet', 'proxy-external subnet'],
];

const isCommunityMap = (v: unknown): v is Record<string, string> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every(c => typeof c === 'string');

/** Resolves a (partial) config against hhfab's defaults. */
export function resolveFabricConfig(input?: FabricConfigInput): ResolvedFabricConfig {
  const cfg = input ?? {};
  const prefix = (key: keyof typeof HHFAB_DEFAULTS): Setting<IPv4Prefix> => {
    const given = parseCIDR(cfg[key]);
    return given
      ? { value: given, given: true }
      : { value: parseCIDR(HHFAB_DEFAULTS[key])!, given: false };
  };
  const address = (key: keyof typeof HHFAB_DEFAULTS): Setting<number> => {
    const raw = cfg[key];
    // controlVIP is written as a prefix (172.30.0.1/21) or an address
    const given = parseIPv4(raw) ?? parseCIDR(raw)?.addr;
    return given !== undefined
      ? { value: given, given: true }
      : { value: parseIPv4(HHFAB_DEFAULTS[key])!, given: false };
  };
  const number = (key: keyof typeof HHFAB_DEFAULTS): Setting<number> => {
    const v = cfg[key];
    return typeof v === 'number' && Number.isInteger(v) && v > 0
      ? { value: v, given: true }
      : { value: HHFAB_DEFAULTS[key] as number, given: false };
  };
  const vlanRanges = (key: 'vpcIRBVLANRange' | 'th5WorkaroundVLANRange', name: string) => {
    const v = cfg[key];
    const ranges = Array.isArray(v)
      ? v.flatMap(r => (r && Number.isInteger(r.from) && r.from > 0 ? [{ from: r.from, to: r.to || r.from }] : []))
      : [];
    return ranges.length > 0
      ? ranges.map(range => ({ value: { range, name }, given: true }))
      : HHFAB_DEFAULTS[key].map(r => ({ value: { range: { ...r }, name }, given: false }));
  };

  let reservedSubnets: ResolvedFabricConfig['reservedSubnets'];
  const explicit = Array.isArray(cfg.reservedSubnets) ? cfg.reservedSubnets.map(parseCIDR) : [];
  if (explicit.length > 0 && explicit.every(p => p !== undefined)) {
    reservedSubnets = explicit.map(p => ({
      value: { prefix: p!, name: `reserved subnet ${formatPrefix(p!)}` },
      given: true,
    }));
  } else {
    reservedSubnets = RESERVED_NAMES.map(([key, name]) => {
      const p = prefix(key);
      return { value: { prefix: p.value, name }, given: p.given };
    });
  }

  const anyGiven = Object.keys(cfg).length > 0;
  const flag = (key: 'includeSONiCCLSPlus' | 'includeCumulus' | 'allowExtraSwitchProfiles'): Setting<boolean> =>
    typeof cfg[key] === 'boolean' ? { value: cfg[key] as boolean, given: true } : { value: false, given: anyGiven };

  const leafStart = number('leafASNStart');
  const leafEnd = number('leafASNEnd');
  const mtu = number('fabricMTU');
  const offset = number('serverFacingMTUOffset');
  return {
    managementSubnet: prefix('managementSubnet'),
    managementDHCPStart: address('managementDHCPStart'),
    controlVIP: address('controlVIP'),
    protocolSubnet: prefix('protocolSubnet'),
    vtepSubnet: prefix('vtepSubnet'),
    fabricSubnet: prefix('fabricSubnet'),
    reservedSubnets,
    spineASN: number('spineASN'),
    leafASNs: { value: { start: leafStart.value, end: leafEnd.value }, given: leafStart.given && leafEnd.given },
    reservedVLANs: [
      ...vlanRanges('vpcIRBVLANRange', 'VPC IRB VLANs'),
      ...vlanRanges('th5WorkaroundVLANRange', 'TH5 workaround VLANs'),
    ],
    serverFacingMaxMTU: { value: mtu.value - offset.value, given: mtu.given && offset.given },
    fabricMode: typeof cfg.fabricMode === 'string' && cfg.fabricMode !== ''
      ? { value: cfg.fabricMode, given: true }
      : { value: HHFAB_DEFAULTS.fabricMode, given: false },
    vpcPeeringDisabled: typeof cfg.vpcPeeringDisabled === 'boolean'
      ? { value: cfg.vpcPeeringDisabled, given: true }
      : { value: false, given: false },
    includeSONiCCLSPlus: flag('includeSONiCCLSPlus'),
    includeCumulus: flag('includeCumulus'),
    allowExtraSwitchProfiles: flag('allowExtraSwitchProfiles'),
    enableGateway: cfg.enableGateway === false ? { value: false, given: true } : { value: true, given: cfg.enableGateway === true },
    gatewayASN: number('gatewayASN'),
    gatewayCommunities: isCommunityMap(cfg.gatewayCommunities) && Object.keys(cfg.gatewayCommunities).length > 0
      ? { value: Object.keys(cfg.gatewayCommunities).length, given: true }
      : { value: Object.keys(HHFAB_DEFAULTS.gatewayCommunities).length, given: false },
  };
}
