import { parse as parseYaml } from 'yaml';
import { FabricConfigInput } from './fabricConfig';
import { isPlainObject } from './model';

/** The FabricConfig fields validation uses, by type (Hedgehog's names, `api/meta` FabricConfig). */
const STRING_FIELDS = [
  'controlVIP',
  'managementSubnet',
  'managementDHCPStart',
  'protocolSubnet',
  'vtepSubnet',
  'fabricSubnet',
  'vpcLoopbackSubnet',
  'mclagSessionSubnet',
  'l2ProxyExternalSubnet',
  'fabricMode',
] as const;
const NUMBER_FIELDS = ['spineASN', 'leafASNStart', 'leafASNEnd', 'fabricMTU', 'serverFacingMTUOffset'] as const;
const RANGE_FIELDS = ['vpcIRBVLANRange', 'th5WorkaroundVLANRange'] as const;

/** Every field name `pickFabricConfig` reads. */
export const FABRIC_CONFIG_FIELDS: readonly string[] = [
  ...STRING_FIELDS,
  ...NUMBER_FIELDS,
  ...RANGE_FIELDS,
  'reservedSubnets',
  'vpcPeeringDisabled',
];

export interface PickedFabricConfig {
  config: FabricConfigInput;
  /** Fields present with a wrong type, as `field: what is wrong` (the field is ignored). */
  problems: string[];
}

/**
 * Picks the fields validation uses from a FabricConfig value (the app-config block,
 * or Hedgehog's `config.yaml`). Everything else (users and their passwords, repos,
 * observability, ...) is dropped, so it never travels further.
 */
export function pickFabricConfig(value: unknown): PickedFabricConfig {
  const config: FabricConfigInput = {};
  const problems: string[] = [];
  if (!isPlainObject(value)) {
    return { config, problems: value === undefined || value === null ? [] : ['(root): not a mapping'] };
  }
  for (const f of STRING_FIELDS) {
    const v = value[f];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'string') config[f] = v;
    else problems.push(`${f}: not a string`);
  }
  for (const f of NUMBER_FIELDS) {
    const v = value[f];
    if (v === undefined || v === null || v === 0) continue;
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) config[f] = v;
    else problems.push(`${f}: not a positive integer`);
  }
  for (const f of RANGE_FIELDS) {
    const v = value[f];
    if (v === undefined || v === null) continue;
    const ok =
      Array.isArray(v) &&
      v.every(r => isPlainObject(r) && Number.isInteger(r.from) && (r.to === undefined || Number.isInteger(r.to)));
    if (ok) config[f] = (v as Array<{ from: number; to?: number }>).map(r => ({ from: r.from, ...(r.to !== undefined ? { to: r.to } : {}) }));
    else problems.push(`${f}: not a list of {from, to} VLAN ranges`);
  }
  const reserved = value.reservedSubnets;
  if (reserved !== undefined && reserved !== null) {
    if (Array.isArray(reserved) && reserved.every(s => typeof s === 'string')) config.reservedSubnets = [...reserved];
    else problems.push('reservedSubnets: not a list of CIDR strings');
  }
  const peering = value.vpcPeeringDisabled;
  if (peering !== undefined && peering !== null) {
    if (typeof peering === 'boolean') config.vpcPeeringDisabled = peering;
    else problems.push('vpcPeeringDisabled: not a boolean');
  }
  return { config, problems };
}

/**
 * Reads Hedgehog's controller config (ConfigMap `fab/fabric-ctrl-config`, key
 * `config.yaml`). A text that does not parse gives no config and one problem; the
 * problem names the key, never the content (it holds user passwords).
 */
export function readFabricConfigYaml(text: string): PickedFabricConfig {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return { config: {}, problems: [`config.yaml: not valid YAML${line ? ` (line ${line})` : ''}`] };
  }
  return pickFabricConfig(value);
}

/** Per field: the cluster's value, else app-config's, else (absent) hhfab's default. */
export function mergeFabricConfig(cluster?: FabricConfigInput, appConfig?: FabricConfigInput): FabricConfigInput | undefined {
  if (!cluster && !appConfig) return undefined;
  return { ...appConfig, ...cluster };
}
