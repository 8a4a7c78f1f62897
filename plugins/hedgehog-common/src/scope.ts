import { HEDGEHOG_KINDS, findKind } from './kinds';
import { KIND_SCOPE_PRESETS, KindScopePreset } from './vocabulary';

/*
 * The kinds a fabric manages (its scope). Drift, orphans, prune, apply and adopt
 * consider only these kinds; objects of the others are context: validation
 * resolves references to them against the live cluster, and a raw document of
 * one is kept in unmanaged/.
 */

/**
 * How a fabric's kinds are given: a preset, or the kind names.
 *
 * @public
 */
export type KindScopeSetting = KindScopePreset | string[];

/**
 * The kinds of the `day2` preset: what Hedgehog's GitOps demo (fabricator
 * `docs/demo/gitops/`) keeps in Git: the kinds whose module names the `day2` preset.
 *
 * @public
 */
export const DAY2_KINDS: readonly string[] = HEDGEHOG_KINDS.filter(k => k.preset === 'day2').map(k => k.kind);

/**
 * The kinds of the `wiring` preset: the wiring group (`wiring.githedgehog.com`) and
 * the namespaces (`VLANNamespace`, `IPv4Namespace`): what the installer makes (the
 * kinds whose module names the `wiring` preset).
 *
 * @public
 */
export const WIRING_KINDS: readonly string[] = HEDGEHOG_KINDS.filter(k => k.preset === 'wiring').map(k => k.kind);

const PRESET_KINDS: Record<KindScopePreset, readonly string[]> = {
  all: HEDGEHOG_KINDS.map(k => k.kind),
  day2: DAY2_KINDS,
  wiring: WIRING_KINDS,
};

/**
 * The kinds a fabric manages, resolved: the setting it came from (for messages) and
 * the kinds, in the order of `HEDGEHOG_KINDS`.
 *
 * @public
 */
export interface KindScope {
  setting: KindScopeSetting;
  /** Where the setting came from: `app-config`, `manifest`, `entity`, or `default`. */
  from: KindScopeSource;
  kinds: readonly string[];
}

/** Where a fabric's kinds were given. @public */
export type KindScopeSource = 'app-config' | 'manifest' | 'entity' | 'default';

/**
 * Reads a scope setting: a preset name, or a non-empty list of managed kind names
 * (a string of kind names separated by commas, as an annotation holds it, is read
 * as a list). Returns the problem instead when the value is not one.
 *
 * @public
 */
export function readKindScope(value: unknown): { setting: KindScopeSetting } | { problem: string } {
  let list: unknown[];
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if ((KIND_SCOPE_PRESETS as readonly string[]).includes(trimmed)) return { setting: trimmed as KindScopePreset };
    if (!trimmed.includes(',') && !findKind(trimmed)) {
      return { problem: `"${trimmed}" is neither a preset (${KIND_SCOPE_PRESETS.join(', ')}) nor a list of managed kinds` };
    }
    list = trimmed.split(',').map(s => s.trim());
  } else if (Array.isArray(value)) {
    list = value;
  } else {
    return { problem: `must be a preset (${KIND_SCOPE_PRESETS.join(', ')}) or a list of managed kinds` };
  }
  if (list.length === 0) return { problem: 'names no kind; leave it out to manage every kind' };
  const kinds: string[] = [];
  for (const item of list) {
    if (typeof item !== 'string' || !findKind(item)) {
      return { problem: `${JSON.stringify(item)} is not one of the managed kinds (${HEDGEHOG_KINDS.map(k => k.kind).join(', ')})` };
    }
    if (!kinds.includes(item)) kinds.push(item);
  }
  return { setting: kinds };
}

/**
 * The kinds of a setting, in the order of `HEDGEHOG_KINDS`.
 *
 * @public
 */
export function kindsOfScope(setting: KindScopeSetting): string[] {
  const named = new Set(typeof setting === 'string' ? PRESET_KINDS[setting] : setting);
  return HEDGEHOG_KINDS.map(k => k.kind).filter(k => named.has(k));
}

/**
 * The scope of a fabric: the first setting given, in the order app-config (or a
 * backend module's definition), the fabric directory's `.gitops/manifest.yaml`,
 * the catalog entity; `all` when none is.
 *
 * @public
 */
export function resolveKindScope(given: {
  appConfig?: KindScopeSetting;
  manifest?: KindScopeSetting;
  entity?: KindScopeSetting;
}): KindScope {
  const [setting, from]: [KindScopeSetting, KindScopeSource] =
    (given.appConfig && [given.appConfig, 'app-config']) ||
    (given.manifest && [given.manifest, 'manifest']) ||
    (given.entity && [given.entity, 'entity']) || ['all', 'default'];
  return { setting, from, kinds: kindsOfScope(setting) };
}

/** Whether a scope holds every managed kind. @public */
export function isWholeScope(scope: { kinds: readonly string[] }): boolean {
  return scope.kinds.length === HEDGEHOG_KINDS.length;
}

/** A setting in words: the preset's name, or the kinds separated by commas. @public */
export function describeKindScope(setting: KindScopeSetting): string {
  return typeof setting === 'string' ? setting : setting.join(', ');
}

/**
 * The reason a document of a kind outside a fabric's scope is not managed (kept
 * in unmanaged/, refused by adopt).
 *
 * @public
 */
export function outOfScopeMessage(kind: string): string {
  return `kind ${kind} is not managed by this fabric`;
}
