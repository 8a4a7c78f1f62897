import { ClusterDefinition } from '../cluster/ClusterClient';
import { FabricConfigInput } from '../validation/fabricConfig';

/** What runs need of the plugin's configuration (read by service/config.ts). */
export interface PipelineOptions {
  /** Root of the cached repositories and the askpass helper. */
  workingDirectory: string;
  git: {
    author: { name: string; email: string };
    timeoutMs: number;
    /** How often a rejected push is planned again on the new head. */
    maxPushAttempts: number;
  };
  /** How many objects an apply sends at once. */
  applyConcurrency: number;
  /**
   * The share of a fabric's objects in the cluster a prune may delete without a
   * confirmation, for fabrics that set no `pruneLimit` (default 0.1).
   */
  pruneLimit?: number;
  clusters: ClusterDefinition[];
  /**
   * FabricConfig values of app-config fabrics (`hedgehog.fabrics[].fabricConfig`), by
   * fabric name; the cluster's ConfigMap, when readable, takes precedence per field.
   */
  fabricConfigs?: Record<string, FabricConfigInput>;
  /** The frontend's base URL (`app.baseUrl`), for links such as commit status targets. */
  appBaseUrl?: string;
}
