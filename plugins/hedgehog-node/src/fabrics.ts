import { FabricGitLocation, KindScopeSetting, NotificationLevel } from '@fabric-gitops/plugin-hedgehog-common';
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
  /**
   * The share of the fabric's objects in the cluster (0 to 1) that one apply may
   * prune without a confirmation carrying the count; the plugin-wide
   * `hedgehog.apply.pruneLimit` (default 0.1) when absent.
   */
  pruneLimit?: number;
  /**
   * The kinds the fabric manages, as app-config (`hedgehog.fabrics[].kinds`) or a
   * backend module gives them: wins over the fabric directory's manifest (`scope`).
   */
  kinds?: KindScopeSetting;
  /**
   * The kinds the fabric manages, as its catalog entity gives them (annotation
   * `githedgehog.com/kinds`): the manifest's `scope` wins over it.
   */
  entityKinds?: KindScopeSetting;
  /** How often the fabric is synced; the plugin-wide default when absent. */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** Where the definition came from: `app-config` or an entity ref. */
  source: string;
  /** The owner entity ref of the fabric, when known. */
  owner?: string;
  /**
   * What the owner is notified of through Backstage's notifications: `off`,
   * `failures` (the default when absent) or `all`. A fabric without an owner
   * notifies nobody.
   */
  notifications?: NotificationLevel;
}

/**
 * What a fabric source is told when it is asked for its fabrics.
 *
 * @public
 */
export interface FabricSourceContext {
  /**
   * Names of fabrics that sources of higher precedence define (app-config
   * always; every other source for a source that `yieldsToOtherSources`). A
   * definition of such a name is ignored: the source should not make one, nor
   * warn about an entry of that name, which only describes that fabric.
   */
  taken: ReadonlySet<string>;
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
  /**
   * Whether this source's definitions give way to those of every source that
   * does not (as they give way to app-config). The catalog does: a catalog
   * entity named like a fabric of app-config or of a backend module describes
   * that fabric (owner, system, links) instead of defining another one.
   */
  yieldsToOtherSources?: boolean;
  /**
   * Whether this source's definitions come from users rather than from the operator:
   * the catalog's do (anyone who may register a catalog location can write one).
   * The plugin syncs such a fabric only inside the catalog fabric policy of app-config
   * (`hedgehog.catalogFabrics`: allowed repositories, clusters that opted in, a
   * highest write mode; see `CatalogFabricPolicy`); one outside it is listed as
   * `blocked`, with the reason, and never synced. Definitions of app-config and of
   * sources without this flag (backend modules the operator installed) are trusted.
   */
  untrusted?: boolean;
  /** The fabrics this source defines now. Called before every scheduling pass. */
  getFabrics(context?: FabricSourceContext): Promise<FabricDefinition[]>;
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
