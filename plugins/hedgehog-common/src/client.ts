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
} from './types';
import { FindingsFilter, FindingsPage, FindingsSummary } from './findingTypes';
import { SearchResponse } from './search';
import { FabricTopology } from './topology';
import { FabricProbe, FabricProbeRequest } from './addFabric';
import { FabricPlan, PlanTarget } from './changePlan';
import { ResourceHistory } from './resourceHistory';
import { RestoreRequest, RestoreResult } from './restore';
import {
  ApplyRequest,
  ClusterConnectionStatus,
  FindingsExportFormat,
  FindingsQuery,
  HedgehogApi,
  ResourceQuery,
  RunDetail,
} from './hedgehogApi';

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

  planFabric(fabric: string, target?: PlanTarget) {
    return this.request<FabricPlan>('POST', `/fabrics/${enc(fabric)}/plan`, target ?? {});
  }

  restoreCommit(fabric: string, body: RestoreRequest) {
    return this.request<RestoreResult>('POST', `/fabrics/${enc(fabric)}/restore`, { ...body });
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
  const { new: isNew, blocksApply, ...rest } = q;
  return query({
    ...rest,
    new: isNew === undefined ? undefined : String(isNew),
    blocksApply: blocksApply === undefined ? undefined : String(blocksApply),
  });
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
