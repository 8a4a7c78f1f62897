import { ResponseError } from '@backstage/errors';
import {
  Fabric,
  ListResponse,
  ResourceDetail,
  ResourceItem,
  Run,
  SyncRequest,
  UnmanagedFile,
  DriftStatus,
} from './types';

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
  listRuns(
    fabric: string,
    options?: { offset?: number; limit?: number },
  ): Promise<ListResponse<Run>>;
  getRun(id: string): Promise<Run>;
  listResources(
    fabric: string,
    query?: ResourceQuery,
  ): Promise<ListResponse<ResourceItem>>;
  getResource(fabric: string, kind: string, name: string): Promise<ResourceDetail>;
  listUnmanaged(fabric: string): Promise<ListResponse<UnmanagedFile>>;
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

  listRuns(fabric: string, options: { offset?: number; limit?: number } = {}) {
    return this.request<ListResponse<Run>>(
      'GET',
      `/fabrics/${enc(fabric)}/runs${query(options)}`,
    );
  }

  getRun(id: string) {
    return this.request<Run>('GET', `/runs/${enc(id)}`);
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

  listUnmanaged(fabric: string) {
    return this.request<ListResponse<UnmanagedFile>>(
      'GET',
      `/fabrics/${enc(fabric)}/unmanaged`,
    );
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('hedgehog');
    const response = await this.fetchFn(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? undefined : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
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
