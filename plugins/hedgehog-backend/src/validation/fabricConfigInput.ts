import { parse as parseYaml } from 'yaml';
import { FABRIC_CONFIG_FIELD_KINDS, FabricConfigInput, FabricConfigValueKinds } from './fabricConfig';
import { isPlainObject } from './model';

/** Every field name `pickFabricConfig` reads, in the order it checks them. */
export const FABRIC_CONFIG_FIELDS: readonly string[] = Object.keys(FABRIC_CONFIG_FIELD_KINDS);

/**
 * A field's value as validation takes it, `undefined` for an absent (or empty)
 * field, or what is wrong with it.
 */
type Picked<T> = { value: T } | { problem: string } | undefined;

const absent = (v: unknown) => v === undefined || v === null;

const COMMUNITY = /^\d{1,5}:\d{1,5}$/;

/** How a field of each kind is read. */
const PICK: { [K in keyof FabricConfigValueKinds]: (v: unknown) => Picked<FabricConfigValueKinds[K]> } = {
  string: v => {
    if (absent(v) || v === '') return undefined;
    return typeof v === 'string' ? { value: v } : { problem: 'not a string' };
  },
  positiveInteger: v => {
    if (absent(v) || v === 0) return undefined;
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? { value: v } : { problem: 'not a positive integer' };
  },
  vlanRanges: v => {
    if (absent(v)) return undefined;
    const ok =
      Array.isArray(v) &&
      v.every(r => isPlainObject(r) && Number.isInteger(r.from) && (r.to === undefined || Number.isInteger(r.to)));
    return ok
      ? { value: (v as Array<{ from: number; to?: number }>).map(r => ({ from: r.from, ...(r.to !== undefined ? { to: r.to } : {}) })) }
      : { problem: 'not a list of {from, to} VLAN ranges' };
  },
  cidrList: v => {
    if (absent(v)) return undefined;
    return Array.isArray(v) && v.every(s => typeof s === 'string') ? { value: [...v] } : { problem: 'not a list of CIDR strings' };
  },
  boolean: v => {
    if (absent(v)) return undefined;
    return typeof v === 'boolean' ? { value: v } : { problem: 'not a boolean' };
  },
  // map[uint32]string in Go: priority keys (numbers in YAML) to ASN:value communities (api/meta FabricConfig.Init)
  communityMap: v => {
    if (absent(v)) return undefined;
    const ok =
      isPlainObject(v) &&
      Object.entries(v).every(([k, c]) => /^\d+$/.test(k) && typeof c === 'string' && COMMUNITY.test(c) && c.split(':').every(n => Number(n) <= 65535));
    return ok ? { value: Object.fromEntries(Object.entries(v)) as Record<string, string> } : { problem: 'not a map of priority to ASN:value community' };
  },
};

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
  for (const [field, kind] of Object.entries(FABRIC_CONFIG_FIELD_KINDS)) {
    const picked = PICK[kind](value[field]);
    if (picked === undefined) continue;
    if ('problem' in picked) problems.push(`${field}: ${picked.problem}`);
    else config[field] = picked.value;
  }
  return { config, problems };
}

/**
 * Reads Hedgehog's controller config (ConfigMap `fab/fabric-ctrl-config`, key
 * `config.yaml`). A text that does not parse gives no config and one problem; the
 * problem names the key, never the content (it holds user passwords). Hedgehog writes
 * the config with `omitempty`, so a config without `enableGateway` has the gateway off.
 */
export function readFabricConfigYaml(text: string): PickedFabricConfig {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    const line = (e as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    return { config: {}, problems: [`config.yaml: not valid YAML${line ? ` (line ${line})` : ''}`] };
  }
  const picked = pickFabricConfig(value);
  // Hedgehog writes its config with omitempty: a full config without enableGateway has it off
  if (Object.keys(picked.config).length > 0 && picked.config.enableGateway === undefined && !picked.problems.some(p => p.startsWith('enableGateway:'))) {
    picked.config.enableGateway = false;
  }
  return picked;
}

/** Per field: the cluster's value, else app-config's, else (absent) hhfab's default. */
export function mergeFabricConfig(cluster?: FabricConfigInput, appConfig?: FabricConfigInput): FabricConfigInput | undefined {
  if (!cluster && !appConfig) return undefined;
  return { ...appConfig, ...cluster };
}
