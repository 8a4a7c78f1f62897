import { FabricGitLocation } from '@fabric-gitops/plugin-hedgehog-common';
import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';

/**
 * A fabric as the backend works with it: a GitOps directory in a Git repository
 * and, optionally, the name of a cluster from `hedgehog.clusters[]`.
 *
 * @public
 */
export interface FabricDefinition {
  /** RFC 1123 label; the fabric's id in URLs. */
  name: string;
  title: string;
  description?: string;
  git: FabricGitLocation;
  /** A cluster name from `hedgehog.clusters[]` (never a URL or token). */
  cluster?: string;
  apply: 'manual' | 'auto';
  prune: boolean;
  /** How often the fabric is synced; the plugin-wide default when absent. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** Where the definition came from: `app-config` or an entity ref. */
  source: string;
  /** The owner entity ref of the fabric, when known. */
  owner?: string;
}

/**
 * A source of fabric definitions besides app-config, for example the catalog.
 * Definitions are merged by name; app-config wins on a clash.
 *
 * @public
 */
export interface FabricSource {
  /** A short id used in logs. */
  id: string;
  /** The fabrics this source defines now. Called before every scheduling pass. */
  getFabrics(): Promise<FabricDefinition[]>;
}

/**
 * Extension point of the hedgehog backend plugin: modules add fabric sources.
 *
 * @public
 */
export interface HedgehogFabricsExtensionPoint {
  addFabricSource(source: FabricSource): void;
}

/**
 * Events topic on which the hedgehog backend announces that a fabric's desired
 * state was imported; payload `{ type: 'fabric.synced', fabric: string, commit?: string }`.
 *
 * @public
 */
export const HEDGEHOG_EVENT_TOPIC = 'hedgehog';
