import { LoggerService } from '@backstage/backend-plugin-api';
import { FabricDefinition, FabricSource } from '@fabric-gitops/plugin-hedgehog-node';
import { checkCluster, checkFabric } from './config';

/**
 * All fabrics: those of app-config plus those of the added sources (catalog,
 * modules), merged by name. App-config wins on a clash; sources that yield to
 * the others (the catalog) are asked last and told which names are taken.
 */
export class FabricRegistry {
  private current = new Map<string, FabricDefinition>();
  /** What each source gave last, kept while it fails. */
  private readonly lastOf = new Map<FabricSource, FabricDefinition[]>();

  constructor(
    private readonly configured: FabricDefinition[],
    private readonly sources: FabricSource[],
    private readonly logger: LoggerService,
    private readonly clusterNames: Set<string> = new Set(),
  ) {
    for (const f of configured) this.current.set(f.name, f);
  }

  /** Reloads the sources; returns the merged list. */
  async refresh(): Promise<FabricDefinition[]> {
    const configuredNames = new Set(this.configured.map(f => f.name));
    const merged = new Map<string, FabricDefinition>();
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
          merged.set(f.name, checkCluster(checkFabric(f, where), this.clusterNames, where));
        } catch (e) {
          this.logger.warn(`hedgehog: ignoring fabric from ${source.id}: ${e instanceof Error ? e.message : e}`);
        }
      }
    }
    for (const f of this.configured) merged.set(f.name, f);
    this.current = merged;
    return this.list();
  }

  list(): FabricDefinition[] {
    return [...this.current.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): FabricDefinition | undefined {
    return this.current.get(name);
  }
}
