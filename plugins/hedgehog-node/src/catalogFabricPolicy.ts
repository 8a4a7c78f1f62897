import type { Config } from '@backstage/config';
import type { GitWriteMode } from '@fabric-gitops/plugin-hedgehog-common';
import {
  invalidRepositoryPattern,
  matchesRepositoryPattern,
  uncheckableRepositoryUrl,
} from './repositoryPattern';

/**
 * What fabrics defined by catalog entities may do (`hedgehog.catalogFabrics` and
 * `hedgehog.clusters[].allowCatalogFabrics` of app-config). Anyone who may register
 * a catalog location can define such a fabric, so the operator decides which
 * repositories and clusters they may use and how far they may write. Fabrics of
 * app-config and of backend modules are the operator's own and not subject to it.
 *
 * @public
 */
export interface CatalogFabricPolicy {
  /**
   * URL patterns of the repositories catalog fabrics may use
   * (`hedgehog.catalogFabrics.repositories`; see `matchesRepositoryPattern`).
   * Undefined: https:// repositories on the hosts of `integrations`.
   */
  repositories?: string[];
  /** Hosts of `integrations.*` (the default when `repositories` is not given). */
  integrationHosts: string[];
  /** Clusters that accept catalog fabrics (`allowCatalogFabrics: true`). */
  clusters: string[];
  /** The highest write mode a catalog fabric gets (`hedgehog.catalogFabrics.writeMode`). */
  writeMode: GitWriteMode;
}

/** Write modes from the least to the most writing. */
const WRITE_MODE_ORDER: GitWriteMode[] = ['none', 'pull-request', 'push'];

/**
 * The highest write mode of catalog fabrics when app-config names none: `none`, so
 * that registering an entity can never make the backend write to a repository with
 * its credentials (a pull request is a pushed branch too) unless the operator says so.
 *
 * @public
 */
export const DEFAULT_CATALOG_FABRIC_WRITE_MODE: GitWriteMode = 'none';

/** Integration types that are Git hosts, and the host of an entry that names none. */
const GIT_INTEGRATIONS: Record<string, string | undefined> = {
  github: undefined,
  gitlab: undefined,
  gitea: undefined,
  gerrit: undefined,
  bitbucketServer: undefined,
  bitbucketCloud: 'bitbucket.org',
  bitbucket: 'bitbucket.org',
  azure: 'dev.azure.com',
  awsCodeCommit: undefined,
  harness: undefined,
};

/**
 * Reads the catalog fabric policy from app-config. Throws, naming the key, for a
 * repository pattern that is not one, or an unknown write mode.
 *
 * @public
 */
export function readCatalogFabricPolicy(config: Config): CatalogFabricPolicy {
  const root = config.getOptionalConfig('hedgehog.catalogFabrics');
  const patterns = root?.getOptionalStringArray('repositories');
  patterns?.forEach((pattern, i) => {
    const problem = invalidRepositoryPattern(pattern);
    if (problem) {
      throw new Error(
        `hedgehog.catalogFabrics.repositories[${i}]: "${pattern}" is not a repository URL pattern: ${problem}`,
      );
    }
  });
  const writeMode = (root?.getOptionalString('writeMode') ??
    DEFAULT_CATALOG_FABRIC_WRITE_MODE) as GitWriteMode;
  if (!WRITE_MODE_ORDER.includes(writeMode)) {
    throw new Error(
      `hedgehog.catalogFabrics.writeMode: "${writeMode}" is not one of ${WRITE_MODE_ORDER.join(
        ', ',
      )}`,
    );
  }
  const clusters = (config.getOptionalConfigArray('hedgehog.clusters') ?? [])
    .filter(c => c.getOptionalBoolean('allowCatalogFabrics') === true)
    .map(c => c.getString('name'));
  return {
    repositories: patterns,
    integrationHosts: readIntegrationHosts(config),
    clusters,
    writeMode,
  };
}

/** Hosts of the Git integrations configured in `integrations`. */
function readIntegrationHosts(config: Config): string[] {
  const integrations = config.getOptionalConfig('integrations');
  const hosts = new Set<string>();
  for (const type of integrations?.keys() ?? []) {
    if (!(type in GIT_INTEGRATIONS)) continue;
    for (const entry of integrations!.getOptionalConfigArray(type) ?? []) {
      const host = entry.getOptionalString('host') ?? GIT_INTEGRATIONS[type];
      if (host) hosts.add(host.toLowerCase());
    }
  }
  return [...hosts];
}

/**
 * Why a fabric defined by a catalog entity is outside the policy — its repository
 * is not an allowed one, or it names a cluster that does not accept catalog fabrics
 * — or undefined when it is inside. The write mode is not refused but limited
 * (see {@link limitWriteMode}).
 *
 * @public
 */
export function catalogFabricRefusal(
  policy: CatalogFabricPolicy,
  fabric: { git: { url: string }; cluster?: string },
): string | undefined {
  const reasons: string[] = [];
  const repository = repositoryRefusal(policy, fabric.git.url);
  if (repository) reasons.push(repository);
  if (fabric.cluster && !policy.clusters.includes(fabric.cluster)) {
    reasons.push(
      `the cluster "${fabric.cluster}" does not accept fabrics of the catalog ` +
        `(an operator allows it with allowCatalogFabrics: true on that cluster in hedgehog.clusters; ` +
        `clusters that do: ${policy.clusters.join(', ') || 'none'})`,
    );
  }
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}

function repositoryRefusal(
  policy: CatalogFabricPolicy,
  url: string,
): string | undefined {
  const uncheckable = uncheckableRepositoryUrl(url);
  if (uncheckable) {
    return `the repository ${url} is not one catalog fabrics may use: ${uncheckable}`;
  }
  if (policy.repositories) {
    if (policy.repositories.some(p => matchesRepositoryPattern(p, url))) {
      return undefined;
    }
    return (
      `the repository ${url} is not one catalog fabrics may use ` +
      `(hedgehog.catalogFabrics.repositories allows ${
        policy.repositories.join(', ') || 'none'
      })`
    );
  }
  const parsed = new URL(url);
  if (
    parsed.protocol === 'https:' &&
    policy.integrationHosts.includes(parsed.host.toLowerCase())
  ) {
    return undefined;
  }
  return (
    `the repository ${url} is not one catalog fabrics may use: without ` +
    `hedgehog.catalogFabrics.repositories only https:// repositories on hosts of ` +
    `integrations are allowed (${
      policy.integrationHosts.join(', ') || 'none are configured'
    }); file://, ssh://, git:// and http:// repositories must be listed there`
  );
}

/**
 * The write mode a catalog fabric gets: the one it asks for, at most the policy's.
 *
 * @public
 */
export function limitWriteMode(
  requested: GitWriteMode,
  highest: GitWriteMode,
): GitWriteMode {
  const r = WRITE_MODE_ORDER.indexOf(requested);
  const h = WRITE_MODE_ORDER.indexOf(highest);
  return WRITE_MODE_ORDER[Math.min(r < 0 ? 0 : r, h < 0 ? 0 : h)];
}
