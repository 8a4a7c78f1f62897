import {
  AdoptResult,
  Fabric,
  FabricPullRequest,
  ListResponse,
  ResourceDetail,
  ResourceItem,
  Run,
  SyncRequest,
  UnmanagedFile,
} from './types';
import { Finding, FindingsFilter, FindingsPage, FindingsSummary } from './findingTypes';
import { SearchResponse } from './search';
import { FabricTopology } from './topology';
import { DriftStatus } from './vocabulary';
import { FabricProbe, FabricProbeRequest } from './addFabric';
import { FabricPlan, PlanTarget } from './changePlan';
import { ResourceHistory } from './resourceHistory';
import { RestoreRequest, RestoreResult } from './restore';

/** Query of the resources list. @public */
export interface ResourceQuery {
  kind?: string;
  status?: DriftStatus;
  q?: string;
  offset?: number;
  limit?: number;
  /** `desired`: each item carries its desired object (a page of up to 500 instead of one request per resource). */
  include?: 'desired';
  /** Only resources with error findings (`errors`) or with warning findings (`warnings`). */
  findings?: 'errors' | 'warnings';
  /** Only resources with a finding of this rule. */
  rule?: string;
}

/** Query of a findings list: filters and the page. @public */
export interface FindingsQuery extends FindingsFilter {
  offset?: number;
  limit?: number;
}

/** The formats of a findings export. @public */
export type FindingsExportFormat = 'csv' | 'json';

/** Options of an apply request. @public */
export interface ApplyRequest {
  /** Server-side dry run: nothing is persisted in the cluster; the run's apply stage lists what would be pruned. */
  dryRun?: boolean;
  /**
   * Confirms a prune larger than the fabric's limit: the number of objects it
   * deletes (as a dry run reports it). When the apply would delete another number,
   * it deletes nothing.
   */
  confirmPrune?: number;
}

/**
 * Connection status of a fabric's cluster (`GET /fabrics/:fabric/cluster`).
 *
 * @public
 */
export interface ClusterConnectionStatus {
  /** The cluster name from `hedgehog.clusters[]`; absent when the fabric has none. */
  cluster?: string;
  reachable: boolean;
  /** Kubernetes server version, when reachable. */
  version?: string;
  /** Whether each of the Hedgehog CRDs is installed. */
  crds: Array<{ kind: string; name: string; installed: boolean }>;
  error?: string;
}

/**
 * A run as `GET /runs/:id` returns it: the run plus its validation findings.
 *
 * @public
 */
export interface RunDetail extends Run {
  /** The first findings of the run (at most 1,000; `GET /runs/:id/findings` pages through all). */
  findings?: Finding[];
  /** How many findings the run has in all (left-out ones counted). */
  findingCount?: number;
}

/**
 * The typed HTTP API of the hedgehog backend plugin.
 *
 * @public
 */
export interface HedgehogApi {
  listFabrics(): Promise<ListResponse<Fabric>>;
  getFabric(name: string): Promise<Fabric>;
  sync(name: string, request?: SyncRequest): Promise<{ runId: string }>;
  /** Applies the desired state to the fabric's cluster (`POST .../apply`). */
  apply(name: string, request?: ApplyRequest): Promise<{ runId: string }>;
  /** Compares the desired state with the cluster (`POST .../drift`). */
  checkDrift(name: string): Promise<{ runId: string }>;
  /** Connection test of the fabric's cluster (`GET .../cluster`). */
  clusterStatus(name: string): Promise<ClusterConnectionStatus>;
  listRuns(
    fabric: string,
    options?: { offset?: number; limit?: number },
  ): Promise<ListResponse<Run>>;
  getRun(id: string): Promise<RunDetail>;
  listResources(
    fabric: string,
    query?: ResourceQuery,
  ): Promise<ListResponse<ResourceItem>>;
  getResource(fabric: string, kind: string, name: string): Promise<ResourceDetail>;
  listUnmanaged(fabric: string): Promise<ListResponse<UnmanagedFile>>;
  /** The fabric's topology (`GET .../topology`); the groups of servers in `expand` server by server. */
  getTopology(fabric: string, expand?: string[]): Promise<FabricTopology>;
  /**
   * The open pull requests the plugin opened for a fabric in write mode
   * `pull-request` (`GET .../pulls`); empty for other fabrics.
   */
  listPulls(fabric: string): Promise<ListResponse<FabricPullRequest>>;
  /**
   * Writes the cluster's value of a drifted (or cluster-only) resource into Git
   * by the fabric's write mode: a pull request or a commit
   * (`POST .../resources/:kind/:name/adopt`, permission `hedgehog.fabric.adopt`).
   */
  adoptResource(fabric: string, kind: string, name: string): Promise<AdoptResult>;
  /**
   * What an apply of the fabric's current desired state would do, computed as the
   * apply computes it (`POST .../plan`), or of a branch's or pull request's head (`target`); 409 for a fabric without a cluster.
   */
  planFabric(fabric: string, target?: PlanTarget): Promise<FabricPlan>;
  /**
   * Makes the fabric's `managed/` what it was at a synced commit (`POST .../restore`,
   * permission `hedgehog.fabric.restore`): with `dryRun` only the file changes and
   * the apply's plan; otherwise a `restore` run (write mode `push`) or a pull request.
   */
  restoreCommit(fabric: string, body: RestoreRequest): Promise<RestoreResult>;
  /** The commits that changed a resource's managed file, newest first (`GET .../resources/:kind/:name/history`). */
  resourceHistory(fabric: string, kind: string, name: string, options?: { limit?: number }): Promise<ResourceHistory>;
  /**
   * The fabric's current findings (its last import), filtered and paged, with
   * exact totals (`GET .../findings`).
   */
  listFindings(fabric: string, query?: FindingsQuery): Promise<FindingsPage>;
  /** The fabric's current findings counted by rule and by file (`GET .../findings/summary`). */
  summarizeFindings(
    fabric: string,
    filter?: FindingsFilter & { groups?: number },
  ): Promise<FindingsSummary>;
  /** Every current finding of the fabric as CSV or JSON (`GET .../findings/export`). */
  exportFindings(
    fabric: string,
    format: FindingsExportFormat,
    filter?: FindingsFilter,
  ): Promise<Blob>;
  /** One run's findings, filtered and paged (`GET /runs/:id/findings`). */
  listRunFindings(runId: string, query?: FindingsQuery): Promise<FindingsPage>;
  /**
   * Resources of every fabric the caller may read whose name, port, IP, subnet,
   * VLAN or ASN matches `q` (`GET /search`).
   */
  search(q: string, options?: { limit?: number }): Promise<SearchResponse>;
  /**
   * Checks a repository before it is added as a fabric: reachable with the
   * backend's credentials, what the directory holds, whether the catalog fabric
   * policy allows it (`POST /fabrics/probe`, permission `hedgehog.fabric.create`).
   */
  probeFabric(request: FabricProbeRequest): Promise<FabricProbe>;
}
