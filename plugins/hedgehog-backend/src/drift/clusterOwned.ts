import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';

/**
 * Fields the cluster owns when Git leaves them out (docs/hedgehog.md#what-drift-ignores):
 * values the Hedgehog webhooks default and values hhfab hydrates at install
 * time. A field listed here that is absent in Git is not drift; when Git sets it,
 * it is compared like any other field. Each kind's module
 * (plugins/hedgehog-common/src/kinds/) lists its own.
 *
 * Patterns are dotted paths; `*` matches one segment (a map key or a list index)
 * and a pattern also covers everything below it.
 */
export const CLUSTER_OWNED_WHEN_ABSENT: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  HEDGEHOG_KINDS.filter(k => k.clusterOwned.length > 0).map(k => [k.kind, k.clusterOwned]),
);

/**
 * Lists the webhooks keep sorted: order is not meaningful, so both sides are
 * compared sorted.
 */
export const UNORDERED_LISTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  HEDGEHOG_KINDS.filter(k => k.unorderedLists.length > 0).map(k => [k.kind, k.unorderedLists]),
);

/** Whether a path (segments) is covered by a pattern (segments). */
export function matches(path: string[], pattern: string[]): boolean {
  if (path.length < pattern.length) return false;
  return pattern.every((p, i) => p === '*' || p === path[i]);
}
