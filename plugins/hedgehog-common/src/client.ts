import { ResponseError } from '@backstage/errors';
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
  Finding,
  FindingsFilter,
  FindingsPage,
  FindingsSummary,
} from './types';
import { SearchResponse } from './search';
import { FabricTopology } from './topology';
import { DriftStatus } from './vocabulary';
import { FabricProbe, FabricProbeRequest } from './addFabric';
import { FabricPlan } from './changePlan';
import { ResourceHistory } from './resourceHistory';

/**
 * The minimal parts of Backstage's discovery and fetch APIs the client needs, so
 * it works in the browser (`discoveryApiRef`, `fetchApiRef`) and in backends.
 *
 * @public
 */
export interface HedgehogClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
}

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
   * (`POST .../resources/:kind/:name/adopt`, permission `hedgehog.fabric.sync`).
   */
  adoptResource(fabric: string, kind: string, name: string): Promise<AdoptResult>;
  /**
   * What an apply of the fabric's current desired state would do, computed as the
   * apply computes it (`POST .../plan`); 409 for a fabric without a cluster.
   */
  planFabric(fabric: string): Promise<FabricPlan>;
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

/**
 * A client of the hedgehog backend plugin's HTTP API.
 *
 * @public
 */
export class HedgehogClient implements HedgehogApi {
  private readonly discoveryApi: HedgehogClientOptions['discoveryApi'];
  private readonly fetchFn: typeof fetch;

  constructor(options: HedgehogClientOptions) {
    this.discoveryApi = options.discoveryApi;
    this.fetchFn = options.fetchApi
      ? options.fetchApi.fetch.bind(options.fetchApi)
      : fetch;
  }

  listFabrics() {
    return this.request<ListResponse<Fabric>>('GET', '/fabrics');
  }

  getFabric(name: string) {
    return this.request<Fabric>('GET', `/fabrics/${enc(name)}`);
  }

  sync(name: string, request: SyncRequest = {}) {
    return this.request<{ runId: string }>(
      'POST',
      `/fabrics/${enc(name)}/sync`,
      request,
    );
  }

  apply(name: string, request: ApplyRequest = {}) {
    return this.request<{ runId: string }>(
      'POST',
      `/fabrics/${enc(name)}/apply`,
      request,
    );
  }

  checkDrift(name: string) {
    return this.request<{ runId: string }>(
      'POST',
      `/fabrics/${enc(name)}/drift`,
      {},
    );
  }

  clusterStatus(name: string) {
    return this.request<ClusterConnectionStatus>(
      'GET',
      `/fabrics/${enc(name)}/cluster`,
    );
  }

  listRuns(fabric: string, options: { offset?: number; limit?: number } = {}) {
    return this.request<ListResponse<Run>>(
      'GET',
      `/fabrics/${enc(fabric)}/runs${query(options)}`,
    );
  }

  getRun(id: string) {
    return this.request<RunDetail>('GET', `/runs/${enc(id)}`);
  }

  listResources(fabric: string, q: ResourceQuery = {}) {
    return this.request<ListResponse<ResourceItem>>(
      'GET',
      `/fabrics/${enc(fabric)}/resources${query({ ...q })}`,
    );
  }

  getResource(fabric: string, kind: string, name: string) {
    return this.request<ResourceDetail>(
      'GET',
      `/fabrics/${enc(fabric)}/resources/${enc(kind)}/${enc(name)}`,
    );
  }

  /** The fabric's topology; the groups of servers in `expand` (their node ids) server by server. */
  getTopology(fabric: string, expand: string[] = []) {
    const q = new URLSearchParams(expand.map(id => ['expand', id]));
    return this.request<FabricTopology>(
      'GET',
      `/fabrics/${enc(fabric)}/topology${expand.length > 0 ? `?${q}` : ''}`,
    );
  }

  listUnmanaged(fabric: string) {
    return this.request<ListResponse<UnmanagedFile>>(
      'GET',
      `/fabrics/${enc(fabric)}/unmanaged`,
    );
  }

  listPulls(fabric: string) {
    return this.request<ListResponse<FabricPullRequest>>(
      'GET',
      `/fabrics/${enc(fabric)}/pulls`,
    );
  }

  adoptResource(fabric: string, kind: string, name: string) {
    return this.request<AdoptResult>(
      'POST',
      `/fabrics/${enc(fabric)}/resources/${enc(kind)}/${enc(name)}/adopt`,
      {},
    );
  }

  planFabric(fabric: string) {
    return this.request<FabricPlan>('POST', `/fabrics/${enc(fabric)}/plan`, {});
  }

  resourceHistory(fabric: string, kind: string, name: string, options: { limit?: number } = {}) {
    return this.request<ResourceHistory>(
      'GET',
      `/fabrics/${enc(fabric)}/resources/${enc(kind)}/${enc(name)}/history${query({ ...options })}`,
    );
  }

  listFindings(fabric: string, q: FindingsQuery = {}) {
    return this.request<FindingsPage>(
      'GET',
      `/fabrics/${enc(fabric)}/findings${findingsQuery(q)}`,
    );
  }

  summarizeFindings(fabric: string, filter: FindingsFilter & { groups?: number } = {}) {
    return this.request<FindingsSummary>(
      'GET',
      `/fabrics/${enc(fabric)}/findings/summary${findingsQuery(filter)}`,
    );
  }

  async exportFindings(fabric: string, format: FindingsExportFormat, filter: FindingsFilter = {}) {
    const response = await this.send(
      'GET',
      `/fabrics/${enc(fabric)}/findings/export${findingsQuery({ ...filter, format })}`,
    );
    return response.blob();
  }

  listRunFindings(runId: string, q: FindingsQuery = {}) {
    return this.request<FindingsPage>('GET', `/runs/${enc(runId)}/findings${findingsQuery(q)}`);
  }

  /** Resources of every fabric the caller may read whose name, port, IP, subnet, VLAN or ASN matches `q`. */
  search(q: string, options: { limit?: number } = {}) {
    return this.request<SearchResponse>('GET', `/search${query({ q, limit: options.limit })}`);
  }

  probeFabric(request: FabricProbeRequest) {
    return this.request<FabricProbe>('POST', '/fabrics/probe', request);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.send(method, path, body);
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('hedgehog');
    const response = await this.fetchFn(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }
}

function findingsQuery(q: FindingsQuery & { groups?: number; format?: string }): string {
  const { new: isNew, ...rest } = q;
  return query({ ...rest, new: isNew === undefined ? undefined : String(isNew) });
}

function enc(s: string): string {
  return encodeURIComponent(s);
}

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(
    ([, v]) => v !== undefined && v !== '',
  ) as Array<[string, string | number]>;
  if (entries.length === 0) return '';
  return `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}`;
}
