import type {
  CustomObjectsApi,
  KubeConfig,
  ObservableMiddleware,
  RequestContext,
  SecurityAuthentication,
} from '@kubernetes/client-node';
import https from 'https';
import { KubeHttp, collectionPath, toBase64Pem } from './kubeHttp';
import {
  FIELD_MANAGER,
  HEDGEHOG_KINDS,
  HedgehogKind,
} from '@fabric-gitops/plugin-hedgehog-common';

/** A cluster from `hedgehog.clusters[]`. */
export interface ClusterDefinition {
  name: string;
  url: string;
  serviceAccountToken?: string;
  /** PEM, or base64 of a PEM. */
  caData?: string;
  skipTLSVerify: boolean;
  /** How long one request may take before it is given up (default 30 s). */
  requestTimeoutMs?: number;
}

/** What a connection test found. */
export interface ClusterStatus {
  reachable: boolean;
  version?: string;
  crds: Array<{ kind: string; name: string; installed: boolean }>;
  error?: string;
}

/** An error from the cluster, with the API server's message and no secrets. */
export class ClusterError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'ClusterError';
  }
}

type KubernetesClientLibrary = typeof import('@kubernetes/client-node');
let library: KubernetesClientLibrary | undefined;

/**
 * `@kubernetes/client-node`, loaded when the first cluster client is made, or at
 * start when clusters are configured (HedgehogService): a backend without
 * clusters does not carry it (about 30 MB of heap).
 */
export function loadKubernetesClient(): KubernetesClientLibrary {
  return k8s();
}

function k8s(): KubernetesClientLibrary {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  library ??= require('@kubernetes/client-node') as KubernetesClientLibrary;
  return library;
}

const NAMESPACE = 'default';
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
const PAGE_SIZE = 500;

/**
 * Thin adapter over `@kubernetes/client-node` for the Hedgehog kinds: paginated
 * LIST, server-side apply and delete, with readable errors. Counts the requests
 * it sends so runs can report them.
 */
export class ClusterClient {
  requests = 0;
  private readonly objects: CustomObjectsApi;
  private readonly kc: KubeConfig;

  /**
   * Request options that abort a request after the timeout: without them an API
   * server (or proxy) that accepts a connection and never answers would keep a
   * run active forever.
   */
  private readonly timeout: { middleware: ObservableMiddleware[]; middlewareMergeStrategy: 'append' };
  private readonly timeoutMs: number;
  /** LISTs and applies, the requests of which an apply or a drift check sends thousands (see KubeHttp). */
  private readonly http: KubeHttp;

  constructor(private readonly cluster: ClusterDefinition) {
    const ms = cluster.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.timeoutMs = ms;
    this.http = new KubeHttp({
      url: cluster.url,
      token: cluster.serviceAccountToken,
      ca: cluster.caData ? Buffer.from(toBase64Pem(cluster.caData), 'base64') : undefined,
      skipTLSVerify: cluster.skipTLSVerify,
      timeoutMs: ms,
    });
    this.timeout = {
      middleware: [
        {
          pre: context => {
            context.setSignal(AbortSignal.timeout(ms) as any);
            return new (k8s().Observable)(Promise.resolve(context));
          },
          post: response => new (k8s().Observable)(Promise.resolve(response)),
        },
      ],
      middlewareMergeStrategy: 'append',
    };
    const { KubeConfig: Config, CustomObjectsApi, createConfiguration, ServerConfiguration } = k8s();
    const kc = new Config();
    kc.loadFromOptions({
      clusters: [
        {
          name: cluster.name,
          server: cluster.url,
          caData: cluster.caData ? toBase64Pem(cluster.caData) : undefined,
          skipTLSVerify: cluster.skipTLSVerify,
        },
      ],
      users: [{ name: 'hedgehog', token: cluster.serviceAccountToken }],
      contexts: [{ name: cluster.name, cluster: cluster.name, user: 'hedgehog' }],
      currentContext: cluster.name,
    });
    this.kc = kc;
    this.objects = new CustomObjectsApi(
      createConfiguration({
        baseServer: new ServerConfiguration(cluster.url, {}),
        authMethods: { default: keepAliveAuth(kc) },
      }),
    );
  }

  get name() {
    return this.cluster.name;
  }

  /** Server version and whether the managed kinds' CRDs are installed. */
  async status(): Promise<ClusterStatus> {
    try {
      this.requests++;
      const version = await this.kc.makeApiClient(k8s().VersionApi).getCode(this.timeout);
      const ext = this.kc.makeApiClient(k8s().ApiextensionsV1Api);
      const crds = await Promise.all(
        HEDGEHOG_KINDS.map(async k => {
          const name = `${k.plural}.${k.group}`;
          try {
            this.requests++;
            const crd = await ext.readCustomResourceDefinition({ name }, this.timeout);
            const established = (crd.status?.conditions ?? []).some(
              c => c.type === 'Established' && c.status === 'True',
            );
            return { kind: k.kind, name, installed: established };
          } catch (e) {
            if (e instanceof k8s().ApiException && e.code === 404) return { kind: k.kind, name, installed: false };
            throw e;
          }
        }),
      );
      return { reachable: true, version: version.gitVersion, crds };
    } catch (e) {
      return {
        reachable: false,
        crds: [],
        error: this.describe(e, 'reading the server version').message,
      };
    }
  }

  /**
   * Every object of a kind in namespace `default`, following `continue` pages. Also
   * for Hedgehog kinds outside the managed 12 (SwitchProfile).
   */
  async list(
    kind: Pick<HedgehogKind, 'kind' | 'group' | 'version' | 'plural'>,
    labelSelector?: string,
  ): Promise<Array<Record<string, any>>> {
    const items: Array<Record<string, any>> = [];
    let token: string | undefined;
    do {
      this.requests++;
      let page: any;
      try {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
        if (token) query.set('continue', token);
        if (labelSelector) query.set('labelSelector', labelSelector);
        page = await this.send('GET', `${collectionPath(kind, NAMESPACE)}?${query}`);
      } catch (e) {
        throw this.describe(e, `listing ${kind.plural}`);
      }
      for (const item of page.items ?? []) {
        items.push({ apiVersion: `${kind.group}/${kind.version}`, kind: kind.kind, ...item });
      }
      token = page.metadata?.continue || undefined;
    } while (token);
    return items;
  }

  /** Every Hedgehog object of the managed kinds in the cluster: one paginated LIST per kind. */
  async listManaged(kinds?: readonly string[]): Promise<Array<Record<string, any>>> {
    const listed = kinds ? HEDGEHOG_KINDS.filter(k => kinds.includes(k.kind)) : HEDGEHOG_KINDS;
    const lists = await Promise.all(listed.map(k => this.list(k)));
    return lists.flat();
  }

  /** The data of a ConfigMap; undefined when it does not exist (404). */
  async readConfigMap(namespace: string, name: string): Promise<Record<string, string> | undefined> {
    this.requests++;
    try {
      const cm = await this.kc.makeApiClient(k8s().CoreV1Api).readNamespacedConfigMap({ namespace, name }, this.timeout);
      return cm.data ?? {};
    } catch (e) {
      if (e instanceof k8s().ApiException && e.code === 404) return undefined;
      throw this.describe(e, `reading ConfigMap ${namespace}/${name}`);
    }
  }

  /** One object; undefined when it does not exist (404). */
  async get(kind: HedgehogKind, name: string): Promise<Record<string, any> | undefined> {
    this.requests++;
    try {
      const item = await this.objects.getNamespacedCustomObject(
        { group: kind.group, version: kind.version, namespace: NAMESPACE, plural: kind.plural, name },
        this.timeout,
      );
      return { apiVersion: `${kind.group}/${kind.version}`, kind: kind.kind, ...item };
    } catch (e) {
      if (e instanceof k8s().ApiException && e.code === 404) return undefined;
      throw this.describe(e, `reading ${kind.kind} ${name}`);
    }
  }

  /**
   * Server-side apply with our field manager; returns the live object. With
   * `resourceVersion` the API server applies only to that version of the object
   * (409 Conflict otherwise); it cannot make that a condition of a create.
   */
  async apply(
    kind: HedgehogKind,
    object: Record<string, any>,
    options: { dryRun?: boolean; resourceVersion?: string } = {},
  ): Promise<Record<string, any>> {
    this.requests++;
    const body = options.resourceVersion
      ? { ...object, metadata: { ...object.metadata, resourceVersion: options.resourceVersion } }
      : object;
    try {
      const query = new URLSearchParams();
      if (options.dryRun) query.set('dryRun', 'All');
      query.set('fieldManager', FIELD_MANAGER);
      query.set('force', 'true');
      const path = `${collectionPath(kind, NAMESPACE)}/${encodeURIComponent(object.metadata.name)}?${query}`;
      return await this.send('PATCH', path, { text: JSON.stringify(body), contentType: 'application/apply-patch+yaml' });
    } catch (e) {
      throw this.describe(e, `applying ${kind.kind} ${object.metadata.name}`);
    }
  }

  /**
   * Deletes one object; a missing object counts as deleted. With `resourceVersion`
   * only that version of the object is deleted (409 Conflict otherwise).
   */
  async delete(kind: HedgehogKind, name: string, options: { dryRun?: boolean; resourceVersion?: string } = {}) {
    this.requests++;
    try {
      await this.objects.deleteNamespacedCustomObject({
        group: kind.group,
        version: kind.version,
        namespace: NAMESPACE,
        plural: kind.plural,
        name,
        dryRun: options.dryRun ? 'All' : undefined,
        body: options.resourceVersion ? { preconditions: { resourceVersion: options.resourceVersion } } : undefined,
      }, this.timeout);
    } catch (e) {
      if (e instanceof k8s().ApiException && e.code === 404) return;
      throw this.describe(e, `deleting ${kind.kind} ${name}`);
    }
  }

  /** One request by KubeHttp: its JSON answer, or the ApiException client-node throws for a status outside 2xx. */
  private async send(method: string, path: string, body?: { text: string; contentType: string }): Promise<any> {
    const res = await this.http.request(method, path, body);
    if (res.status >= 200 && res.status <= 299) return JSON.parse(res.text);
    const { ApiException } = k8s();
    if (res.status === 401) throw new ApiException(401, 'Unauthorized', undefined, {});
    throw new ApiException(res.status, 'Unknown API Status Code!', res.text, {});
  }

  /** A readable error naming the cluster and what was being done; never the token. */
  describe(e: unknown, doing: string): ClusterError {
    const where = `cluster ${this.cluster.name} (${this.cluster.url})`;
    if (e instanceof ClusterError) return e;
    if (e instanceof k8s().ApiException) {
      const body = parseBody(e.body);
      const reason = body?.reason as string | undefined;
      let message = body?.message ?? String(e.message).split('\n')[0];
      if (e.code === 401) message = 'the cluster rejected the credentials (401 Unauthorized); check serviceAccountToken';
      if (e.code === 403) message = `forbidden (403): ${body?.message ?? 'the service account lacks permission'}`;
      return new ClusterError(`${doing} on ${where} failed: ${message}`, e.code, reason);
    }
    const err = e as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
    if (err?.name === 'AbortError' || err?.name === 'TimeoutError') {
      const seconds = this.timeoutMs / 1000;
      return new ClusterError(`${doing} on ${where} failed: no answer within ${seconds} s (request timed out)`);
    }
    const code = err?.code ?? err?.cause?.code;
    const text = code
      ? `${code}${/CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) ? ' (TLS verification failed; set caData, or skipTLSVerify for a test cluster)' : ''}`
      : String(err?.message ?? e);
    return new ClusterError(`${doing} on ${where} failed: ${redactToken(text, this.cluster.serviceAccountToken)}`);
  }
}

/**
 * The kubeconfig's authentication, with one keep-alive agent for every request of
 * this client: client-node makes a new agent, so a new TCP and TLS connection,
 * per request (5,000 handshakes for an apply of 5,000 objects).
 */
function keepAliveAuth(kc: KubeConfig): SecurityAuthentication {
  let agent: https.Agent | undefined;
  return {
    getName: () => 'keep-alive',
    async applySecurityAuthentication(context: RequestContext) {
      await kc.applySecurityAuthentication(context);
      const created = context.getAgent();
      if (!(created instanceof https.Agent) || created.constructor !== https.Agent) return; // proxies keep theirs
      agent ??= new https.Agent({ ...created.options, keepAlive: true });
      context.setAgent(agent);
    },
  };
}

function parseBody(body: unknown): Record<string, any> | undefined {
  if (body && typeof body === 'object') return body as Record<string, any>;
  if (typeof body === 'string') {
    try {
      return JSON.parse(body);
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  return undefined;
}

function redactToken(text: string, token?: string): string {
  return token && token.length >= 4 ? text.split(token).join('***') : text;
}
