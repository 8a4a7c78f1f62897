import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CatalogFabricPolicy,
  FabricDefinition,
  FabricSource,
  catalogFabricRefusal,
  limitWriteMode,
} from '@fabric-gitops/plugin-hedgehog-node';
import { checkCluster, checkFabric } from './config';

/** A fabric definition of an untrusted source (the catalog) outside the catalog fabric policy. */
export interface BlockedFabric {
  definition: FabricDefinition;
  /** Why it is outside the policy. */
  reason: string;
}

/** The policy when none is given: catalog fabrics may use no repository and no cluster. */
const NOTHING_ALLOWED: CatalogFabricPolicy = { repositories: [], integrationHosts: [], clusters: [], writeMode: 'none' };

/**
 * All fabrics: those of app-config plus those of the added sources (catalog,
 * modules), merged by name. App-config wins on a clash; sources that yield to
 * the others (the catalog) are asked last and told which names are taken.
 *
 * Definitions of untrusted sources (the catalog's) must be inside the catalog
 * fabric policy: one outside it is kept apart as blocked (see `blocked`), so that
 * `list` and `get` — all the scheduler, the webhooks, the runs and the routes
 * that act on a fabric see — never return it; one inside it gets at most the
 * policy's write mode.
 */
export class FabricRegistry {
  private current = new Map<string, FabricDefinition>();
  private blockedNow = new Map<string, BlockedFabric>();
  /** What each source gave last, kept while it fails. */
  private readonly lastOf = new Map<FabricSource, FabricDefinition[]>();
  /** The reason last logged for each blocked fabric, so it is logged once. */
  private readonly warned = new Map<string, string>();

  constructor(
    private readonly configured: FabricDefinition[],
    private readonly sources: FabricSource[],
    private readonly logger: LoggerService,
    private readonly clusterNames: Set<string> = new Set(),
    private readonly policy: CatalogFabricPolicy = NOTHING_ALLOWED,
  ) {
    for (const f of configured) this.current.set(f.name, f);
  }

  /** Reloads the sources; returns the merged list. */
  async refresh(): Promise<FabricDefinition[]> {
    const configuredNames = new Set(this.configured.map(f => f.name));
    const merged = new Map<string, FabricDefinition>();
    const blocked = new Map<string, BlockedFabric>();
    const ordered = [
      ...this.sources.filter(s => !s.yieldsToOtherSources),
      ...this.sources.filter(s => s.yieldsToOtherSources),
    ];
    for (const source of ordered) {
      const taken = new Set(configuredNames);
      if (source.yieldsToOtherSources) for (const name of merged.keys()) taken.add(name);
      let fabrics: FabricDefinition[];
      try {
        fabrics = await source.getFabrics({ taken });
        this.lastOf.set(source, fabrics);
      } catch (e) {
        this.logger.warn(`hedgehog: fabric source ${source.id} failed: ${e}`);
        fabrics = this.lastOf.get(source) ?? [];
      }
      for (const f of fabrics) {
        if (taken.has(f.name)) continue;
        try {
          const where = `fabric ${f.name} from ${f.source}`;
          const checked = checkCluster(checkFabric(f, where), this.clusterNames, where);
          if (!source.untrusted) {
            merged.set(f.name, checked);
            continue;
          }
          const reason = catalogFabricRefusal(this.policy, checked);
          if (reason) {
            blocked.set(f.name, { definition: checked, reason });
            continue;
          }
          const writeMode = limitWriteMode(checked.git.writeMode, this.policy.writeMode);
          merged.set(f.name, { ...checked, git: { ...checked.git, writeMode } });
        } catch (e) {
          this.logger.warn(`hedgehog: ignoring fabric from ${source.id}: ${e instanceof Error ? e.message : e}`);
        }
      }
    }
    for (const f of this.configured) merged.set(f.name, f);
    for (const name of merged.keys()) blocked.delete(name);
    this.logBlocked(blocked);
    this.current = merged;
    this.blockedNow = blocked;
    return this.list();
  }

  /** The fabrics that are synced, by name. */
  list(): FabricDefinition[] {
    return [...this.current.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** A fabric that is synced; undefined for an unknown or a blocked one. */
  get(name: string): FabricDefinition | undefined {
    return this.current.get(name);
  }

  /** A fabric definition of the catalog that is outside the policy, with the reason. */
  blocked(name: string): BlockedFabric | undefined {
    return this.blockedNow.get(name);
  }

  /** Every blocked fabric definition, by name. */
  listBlocked(): BlockedFabric[] {
    return [...this.blockedNow.values()].sort((a, b) => a.definition.name.localeCompare(b.definition.name));
  }

  private logBlocked(blocked: Map<string, BlockedFabric>) {
    for (const [name, { definition, reason }] of blocked) {
      if (this.warned.get(name) === reason) continue;
      this.warned.set(name, reason);
      this.logger.warn(`hedgehog: fabric ${name} of ${definition.source} is blocked, it is not synced: ${reason}`);
    }
    for (const name of [...this.warned.keys()]) if (!blocked.has(name)) this.warned.delete(name);
  }
}
