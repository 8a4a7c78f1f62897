import type { Config } from '@backstage/config';

/**
 * The names of the clusters of app-config (`hedgehog.clusters[].name`), in
 * config order; none when the key is absent. The hedgehog backend checks the
 * clusters (names, URLs) at startup; this only reads the names.
 *
 * @public
 */
export function readHedgehogClusterNames(config: Config): string[] {
  return (config.getOptionalConfigArray('hedgehog.clusters') ?? []).map(c =>
    c.getString('name'),
  );
}

/**
 * Owner and description of a fabric of app-config (`hedgehog.fabrics[]`).
 *
 * @public
 */
export interface ConfiguredFabricSummary {
  /** `hedgehog.fabrics[].owner`: the owner's entity ref. */
  owner?: string;
  /** `hedgehog.fabrics[].description`. */
  description?: string;
}

/**
 * Owner and description of the fabrics of app-config (`hedgehog.fabrics`), by
 * fabric name; empty when the key is absent. The hedgehog backend checks the
 * fabrics at startup; this only reads these two fields.
 *
 * @public
 */
export function readConfiguredFabricSummaries(
  config: Config,
): Map<string, ConfiguredFabricSummary> {
  const fabrics = new Map<string, ConfiguredFabricSummary>();
  for (const c of config.getOptionalConfigArray('hedgehog.fabrics') ?? []) {
    fabrics.set(c.getString('name'), {
      owner: c.getOptionalString('owner'),
      description: c.getOptionalString('description'),
    });
  }
  return fabrics;
}
