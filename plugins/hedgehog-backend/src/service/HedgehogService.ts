import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { EventsService } from '@backstage/plugin-events-node';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import { AdoptResult, Fabric, FabricPlan, FabricPullRequest, PlanTarget, FabricTopology, ResourceHistory, RestoreResult, RunDetail, RunTrigger, isWholeScope } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { ClusterStatus, loadKubernetesClient } from '../cluster/ClusterClient';
import { FabricState, HedgehogStore } from '../database/HedgehogStore';
import { runDetail } from '../database/rows';
import { GitCredentialsResolver } from '../git/credentials';
import { DeliveryLog, WebhookDeliveryLog } from '../github/DeliveryLog';
import { isFabricBranch, publicPull } from '../github/reviewBranches';
import { ParseCache } from '../gitops/ParseCache';
import { FabricAccess } from '../pipeline/FabricAccess';
import { fabricScope } from '../pipeline/fabricScope';
import { ManagedRestorer } from '../pipeline/ManagedRestorer';
import { ResourceAdopter } from '../pipeline/ResourceAdopter';
import { planRestoredTree } from '../pipeline/restorePlan';
import { ResourceHistoryReader } from '../pipeline/ResourceHistoryReader';
import { HeadPlanner } from '../pipeline/review/HeadPlanner';
import { PullRequestValidator } from '../pipeline/review/PullRequestValidator';
import { RefPlanner } from '../pipeline/review/RefPlanner';
import { RepositoryAccess } from '../pipeline/review/RepositoryAccess';
import { RunCoordinator } from '../pipeline/RunCoordinator';
import { RunExecutor } from '../pipeline/RunExecutor';
import { RunSignals } from '../pipeline/RunSignals';
import { SyncOptions } from '../pipeline/stages/syncContext';
import { buildTopology, TOPOLOGY_KINDS } from '../topology/buildTopology';
import { auditorRunAudit } from './audit';
import { HedgehogOptions } from './config';
import { describeBlocked, describeFabric } from './describeFabric';
import { FabricPlans } from './FabricPlans';
import { FabricNotifications } from './fabricNotifications';
import { FabricProber } from './FabricProber';
import { FabricRegistry } from './FabricRegistry';
import { GitHubWebhooks } from './GitHubWebhooks';
import { LiveReads } from './LiveReads';
import { ValidationPool } from './ValidationPool';


export interface HedgehogServiceDeps {
  store: HedgehogStore;
  registry: FabricRegistry;
  credentials: GitCredentialsResolver;
  options: HedgehogOptions;
  logger: LoggerService;
  lockTtlMs?: number;
  /** Where `hedgehog` topic events go (fabric desired state changed). */
  events?: EventsService;
  /** Backstage's integrations (GitHub pull requests, statuses and API calls need them). */
  integrations?: ScmIntegrationRegistry;
  /** Where webhook delivery ids are remembered (default: in memory). */
  deliveries?: DeliveryLog;
  /** Backstage's auditor: the prunes of runs are audited (the routes audit requests themselves). */
  auditor?: AuditorService;
  /** Backstage's notifications: fabric owners are told of failures (and, per fabric, of drift). */
  notifications?: NotificationService;
  /** Backstage's signals: runs' progress and fabrics' state are published per fabric (none without it). */
  signals?: SignalsService;
}

/**
 * The plugin's operations, shared by the router and the scheduler: look-ups of
 * fabrics and requests for runs. Runs themselves are the pipeline's: the
 * coordinator queues them and hands each claimed run to the executor.
 */
export class HedgehogService {
  readonly coordinator: RunCoordinator;
  /** GitHub's webhooks: syncs on push, validation of pull requests. */
  readonly webhooks: GitHubWebhooks;
  /** What a fabric's runs talk to: its clone, its cluster, its validation context. */
  readonly access: FabricAccess;
  /** The bounds of the read routes that ask GitHub or a cluster (cache per fabric, calls per user). */
  readonly liveReads: LiveReads;
  /** The worker threads of `POST /validate`. */
  readonly validation: ValidationPool;
  /** `POST /fabrics/probe`: a repository looked at before it becomes a fabric. */
  readonly prober: FabricProber;
  private readonly repositories: RepositoryAccess;
  private readonly adopter: ResourceAdopter;
  private readonly history: ResourceHistoryReader;
  private readonly restorer: ManagedRestorer;
  private readonly plans: FabricPlans;

  constructor(private readonly deps: HedgehogServiceDeps) {
    const { store, registry, options, logger } = deps;
    const cache = new ParseCache();
    this.liveReads = new LiveReads(options.liveReads);
    this.repositories = new RepositoryAccess({ integrations: deps.integrations, credentials: deps.credentials, options, logger });
    this.access = new FabricAccess({ options, logger, repositories: this.repositories });
    const notices = deps.notifications
      ? new FabricNotifications({ notifications: deps.notifications, store, logger })
      : undefined;
    const signals = new RunSignals({ signals: deps.signals, logger, fabricState: name => this.getFabric(name) });
    const executor = new RunExecutor({
      store,
      logger,
      options,
      fabrics: registry,
      access: this.access,
      credentials: deps.credentials,
      cache,
      events: deps.events,
      audit: deps.auditor ? auditorRunAudit(deps.auditor, logger) : undefined,
      notices,
      signals,
    });
    this.coordinator = new RunCoordinator({
      store,
      logger,
      executor,
      lockTtlMs: deps.lockTtlMs,
      maxConcurrentRuns: options.maxConcurrentRuns,
      signals,
    });
    this.adopter = new ResourceAdopter({
      access: this.repositories,
      store,
      runs: this.coordinator,
      maxPushAttempts: options.git.maxPushAttempts,
      clusters: this.access,
    });
    // plans of states not imported yet: a pull request's head, a restore's
    const planner = new HeadPlanner({ fabrics: this.access, store, pruneLimit: options.pruneLimit });
    this.webhooks = new GitHubWebhooks({
      secret: options.webhooks?.github?.secret,
      fabrics: registry,
      requestSync: (name, trigger, requestedBy) => this.requestSync(name, trigger, requestedBy),
      repositories: this.repositories,
      validator: new PullRequestValidator({
        access: this.repositories,
        cache,
        logger,
        fabrics: this.access,
        planner,
      }),
      deliveries: deps.deliveries ?? new WebhookDeliveryLog(),
      logger,
      notifications: notices,
    });
    this.restorer = new ManagedRestorer({
      access: this.repositories,
      store,
      runs: this.coordinator,
      planRestored: (fabric, tree) => planRestoredTree({ access: this.access, cache, planner }, fabric, tree),
    });
    this.plans = new FabricPlans({
      store,
      access: this.access,
      liveReads: this.liveReads,
      refs: new RefPlanner({ repositories: this.repositories, cache, fabrics: this.access, planner }),
      pruneLimit: options.pruneLimit,
    });
    this.history = new ResourceHistoryReader({ store, access: this.access, credentials: deps.credentials });
    this.validation = new ValidationPool(options.validation);
    this.prober = new FabricProber({ options, credentials: deps.credentials, fabrics: () => this.fabricDefinitions() });
    this.loadClientLibraries();
  }

  /**
   * Loads the Kubernetes client when clusters are configured now rather than in
   * the middle of a run, where loading it (seconds under a development transform)
   * would hold the event loop while other runs' git commands are timed. Without
   * clusters it is never loaded.
   */
  private loadClientLibraries() {
    if (this.deps.options.clusters.length > 0) loadKubernetesClient();
  }

  /** The names of `hedgehog.clusters`. */
  clusterNames(): string[] {
    return this.deps.options.clusters.map(c => c.name);
  }

  /**
   * A fabric that is synced, for every operation on it. A blocked fabric (a catalog
   * entity outside the catalog fabric policy) is refused with the reason (409).
   */
  fabric(name: string): FabricDefinition {
    const f = this.deps.registry.get(name);
    if (f) return f;
    const blocked = this.deps.registry.blocked(name);
    if (blocked) {
      throw new ConflictError(
        `Fabric ${name} is blocked and never synced: ${blocked.definition.source} is outside the catalog fabric policy of app-config: ${blocked.reason}`,
      );
    }
    throw new NotFoundError(`No fabric named "${name}"`);
  }

  /** The definition of a fabric, synced or blocked (what permission rules are evaluated on). */
  findFabric(name: string): FabricDefinition | undefined {
    return this.deps.registry.get(name) ?? this.deps.registry.blocked(name)?.definition;
  }

  /** Every fabric's definition, synced and blocked. */
  /** The fabrics that are synced (not blocked): those a search reads. */
  syncedFabrics(): FabricDefinition[] {
    return this.deps.registry.list();
  }

  fabricDefinitions(): FabricDefinition[] {
    return [...this.deps.registry.list(), ...this.deps.registry.listBlocked().map(b => b.definition)];
  }

  /**
   * Every fabric (or those `include` keeps): those that are synced, and the blocked
   * ones with status `blocked` and the reason.
   */
  async listFabrics(include: (f: FabricDefinition) => boolean = () => true): Promise<Fabric[]> {
    const states = new Map((await this.deps.store.listFabricStates()).map(s => [s.name, s]));
    const synced = await Promise.all(
      this.deps.registry.list().filter(include).map(f => this.describe(f, states.get(f.name))),
    );
    const blocked = this.deps.registry.listBlocked().filter(b => include(b.definition)).map(describeBlocked);
    return [...synced, ...blocked].sort((a, b) => a.name.localeCompare(b.name));
  }

  async getFabric(name: string): Promise<Fabric> {
    const blocked = this.deps.registry.get(name) ? undefined : this.deps.registry.blocked(name);
    if (blocked) return describeBlocked(blocked);
    const f = this.fabric(name);
    return this.describe(f, await this.deps.store.getFabricState(name));
  }

  /** One run with its findings, as `GET /runs/:id` shows it. */
  async getRun(id: string): Promise<RunDetail> {
    const run = await this.deps.store.getRun(id);
    if (!run) throw new NotFoundError(`No run with id ${id}`);
    return runDetail(run);
  }

  /** Queues a sync; returns the run id (an already queued sync is joined). */
  async requestSync(name: string, trigger: RunTrigger, requestedBy?: string, options: SyncOptions = {}) {
    const fabric = this.fabric(name);
    if (options.apply && !fabric.cluster) {
      throw new InputError(`Fabric ${name} has no cluster to apply to; set "cluster" to a name from hedgehog.clusters`);
    }
    return this.coordinator.request({ fabric: name, type: 'sync', trigger, requestedBy, options: { ...options } });
  }

  /** Queues an apply or a drift check of a fabric that has a cluster. */
  async requestClusterRun(
    name: string,
    type: 'apply' | 'drift',
    trigger: RunTrigger,
    requestedBy?: string,
    options: { dryRun?: boolean; confirmPrune?: number } = {},
  ) {
    const fabric = this.fabric(name);
    if (!fabric.cluster) {
      throw new InputError(`Fabric ${name} has no cluster; set "cluster" to a name from hedgehog.clusters`);
    }
    return this.coordinator.request({ fabric: name, type, trigger, requestedBy, options });
  }

  /** Writes the cluster's value of a drifted resource into Git (see ResourceAdopter). */
  async adopt(name: string, kind: string, resource: string, requestedBy?: string): Promise<AdoptResult> {
    const result = await this.adopter.adopt(this.fabric(name), kind, resource, requestedBy);
    // an adoption may have opened a pull request: the next list shows it
    this.liveReads.forget(`pulls:${name}:`);
    return result;
  }

  /**
   * Makes the fabric's managed/ what it was at one of its synced commits (see
   * ManagedRestorer): a dry run's file changes and plan, a restore run (push) or a
   * pull request.
   */
  async restore(name: string, commit: string, options: { dryRun?: boolean; requestedBy?: string }): Promise<RestoreResult> {
    const result = await this.restorer.restore(this.fabric(name), commit, options);
    // a restore may have opened a pull request: the next list shows it
    if (result.pullRequest) this.liveReads.forget(`pulls:${name}:`);
    return result;
  }

  /** The fabric's topology from its imported state (servers collapsed per set of switches, but the groups in `expand`). */
  async topology(name: string, expand: string[] = []): Promise<FabricTopology> {
    this.fabric(name);
    return buildTopology(await this.deps.store.listTopologyResources(name, TOPOLOGY_KINDS), { expand });
  }

  /** Connection test of a fabric's cluster: server version and the managed kinds' CRDs (reused for a while, see LiveReads). */
  async clusterStatus(name: string): Promise<ClusterStatus & { cluster?: string }> {
    const fabric = this.fabric(name);
    const client = this.access.clusterClient(fabric);
    if (!client) return { reachable: false, crds: [], error: `fabric ${name} has no cluster` };
    return this.liveReads.read(`cluster:${name}:${client.name}`, async () => ({ cluster: client.name, ...(await client.status()) }));
  }

  /** What an apply would do: of the fabric's desired state, or of a branch's or pull request's head (see FabricPlans). */
  plan(name: string, target?: PlanTarget): Promise<FabricPlan> {
    return this.plans.plan(this.fabric(name), target);
  }

  /** The commits that changed a resource's managed file, newest first (see ResourceHistoryReader). */
  resourceHistory(name: string, kind: string, resource: string, limit: number): Promise<ResourceHistory> {
    return this.history.read(this.fabric(name), kind, resource, limit);
  }

  /**
   * Validates files before they are committed (`POST /validate`, its JSON body's
   * bytes) in a worker thread; with a fabric, in its context: its desired state,
   * FabricConfig and, with a cluster, its live objects and SwitchProfiles (offline
   * when unreachable). `allow` throws when the caller may not read the named fabric.
   * Resolves to the answer's JSON (UTF-8); throws ValidationBusyError when the pool is full.
   */
  validateRequest(body: Buffer, signal?: AbortSignal, allow: (fabric: string) => void = () => {}): Promise<Buffer> {
    return this.validation.validate(
      body,
      {
        desired: async name => {
          allow(name);
          return `[${(await this.deps.store.listDesiredJson(this.fabric(name).name)).join(',')}]`;
        },
        inputs: async (name, needs) => (await this.access.validationInputs(this.fabric(name), needs)).options,
        kinds: async name => {
          const scope = fabricScope(this.fabric(name), await this.deps.store.getFabricState(name));
          return isWholeScope(scope) ? undefined : [...scope.kinds];
        },
      },
      signal,
    );
  }

  /** The open pull requests the plugin opened for a fabric (its review branch and its adoptions). */
  async listPullRequests(name: string): Promise<{ items: FabricPullRequest[]; totalItems: number }> {
    const fabric = this.fabric(name);
    const ref = this.repositories.repoOf(fabric);
    if (!ref) return { items: [], totalItems: 0 };
    // Reused for a while (see LiveReads): a list may take several GitHub pages. Not
    // after a sync ended (it may have opened or closed one): the fabric's state is in the key.
    const state = await this.deps.store.getFabricState(name);
    const since = [state?.lastRunId, state?.lastSyncAt, state?.status, state?.error].join('|');
    const key = `pulls:${name}:${ref.apiBaseUrl}/${ref.owner}/${ref.repo}:${fabric.git.branch}:${since}`;
    return this.liveReads.read(key, async () => {
      const client = await this.repositories.client(ref);
      const open = await client.openPulls({ base: fabric.git.branch });
      const items = open
        .filter(p => p.sameRepository && isFabricBranch(fabric.name, p.branch))
        .map(p => publicPull(fabric, p));
      return { items, totalItems: items.length };
    });
  }

  private async describe(f: FabricDefinition, state?: FabricState): Promise<Fabric> {
    // the counts kept on the fabric's row; counted when no write recorded them yet
    const kept = state?.resourceStatus;
    const [drift, applyFailed] = kept
      ? [kept.drift, kept.applyFailed]
      : await Promise.all([this.deps.store.driftCounts(f.name), this.deps.store.failedApplies(f.name)]);
    return describeFabric(f, state, drift, applyFailed);
  }
}
