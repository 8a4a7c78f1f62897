import { LoggerService } from '@backstage/backend-plugin-api';
import { FabricDefinition, FabricSource } from '@fabric-gitops/plugin-hedgehog-node';
import { checkCluster, checkFabric } from './config';

/**
 * All fabrics: those of app-config plus those of the added sources (catalog,
 * modules), merged by name; app-config wins on a clash.
 */
export class FabricRegistry {
  private current = new Map<string, FabricDefinition>();

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
    const merged = new Map<string, FabricDefinition>();
    for (const source of this.sources) {
      let fabrics: FabricDefinition[] = [];
      try {
        fabrics = await source.getFabrics();
      } catch (e) {
        this.logger.warn(`hedgehog: fabric source ${source.id} failed: ${e}`);
        // keep what this source gave before
        fabrics = [...this.current.values()].filter(f => f.source !== 'app-config' && sourceOf(f) === source.id);
      }
      for (const f of fabrics) {
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

function sourceOf(f: FabricDefinition): string {
  return f.source.split(':')[0];
}
