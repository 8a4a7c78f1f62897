import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, ConflictError, InputError, ServiceUnavailableError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { RunTrigger } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { GitCredentialsResolver } from '../git/credentials';
import { ParseCache } from '../gitops/ParseCache';
import { ReviewDelivery } from '../pipeline/syncFabric';
import { HedgehogOptions } from '../service/config';
import { DeliveryLog } from './DeliveryLog';
import { GitHubAccess } from './GitHubAccess';
import { GitHubRepoRef } from './GitHubApi';
import { PullRequestValidator, ValidationInputsProvider } from './PullRequestValidator';
import { AdoptResult, ResourceAdopter } from './ResourceAdopter';
import { syncPullRequestText } from './pullRequestText';
import { FabricPullRequest, isFabricBranch, publicPull, reviewBranch } from './reviewBranches';
import { fabricsForPullRequest, fabricsForPush, verifySignature } from './webhookEvents';

export { adoptBranchPrefix, reviewBranch } from './reviewBranches';
export type { FabricPullRequest } from './reviewBranches';
export type { AdoptResult } from './ResourceAdopter';

export interface WebhookResult {
  status: number;
  body: Record<string, unknown>;
}

export interface GitHubServiceDeps {
  integrations?: ScmIntegrationRegistry;
  credentials: GitCredentialsResolver;
  store: HedgehogStore;
  fabrics: { get(name: string): FabricDefinition | undefined; list(): FabricDefinition[] };
  requestSync(name: string, trigger: RunTrigger, requestedBy?: string): Promise<{ runId: string }>;
  options: HedgehogOptions;
  logger: LoggerService;
  cache: ParseCache;
  deliveries: DeliveryLog;
  /** The fabric's FabricConfig and, with a cluster, its live objects and SwitchProfiles (as a sync validates with). */
  validationInputs?: ValidationInputsProvider;
}

/**
 * GitHub as the review surface of a fabric's repository: pull requests of write
 * mode `pull-request`, push and pull_request webhooks, commit statuses with the
 * validation of pull requests (PullRequestValidator), and adopting cluster values
 * into Git (ResourceAdopter).
 */
export class GitHubService {
  private readonly access: GitHubAccess;
  private readonly validator: PullRequestValidator;
  private readonly adopter: ResourceAdopter;
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: GitHubServiceDeps) {
    this.access = new GitHubAccess(deps);
    this.validator = new PullRequestValidator({
      access: this.access,
      cache: deps.cache,
      logger: deps.logger,
      validationInputs: deps.validationInputs,
    });
    this.adopter = new ResourceAdopter({
      access: this.access,
      store: deps.store,
      requestSync: deps.requestSync,
      maxPushAttempts: deps.options.git.maxPushAttempts,
    });
  }

  /** The GitHub repository of a fabric; undefined when its URL is not on a GitHub integration. */
  repoOf(fabric: FabricDefinition): GitHubRepoRef | undefined {
    return this.access.repoOf(fabric);
  }

  /** The review delivery of a fabric in write mode `pull-request`; undefined when it is not on GitHub. */
  reviewDelivery(fabric: FabricDefinition): ReviewDelivery | undefined {
    const ref = this.repoOf(fabric);
    if (!ref) return undefined;
    return {
      deliver: input => this.deliverSync(fabric, ref, input),
      closeOutdated: () => this.closeOutdated(fabric, ref),
    };
  }

  /** Writes the cluster's value of a drifted resource into Git (see ResourceAdopter). */
  adopt(fabric: FabricDefinition, kind: string, name: string, requestedBy?: string): Promise<AdoptResult> {
    return this.adopter.adopt(fabric, kind, name, requestedBy);
  }

  /** Validates a pull request's head and reports a commit status (see PullRequestValidator). */
  validatePullRequest(fabric: FabricDefinition, payload: any): Promise<'reported' | 'untouched'> {
    return this.validator.validate(fabric, payload);
  }

  // ---- write mode pull-request --------------------------------------------------------------

  private async deliverSync(fabric: FabricDefinition, ref: GitHubRepoRef, input: Parameters<ReviewDelivery['deliver']>[0]) {
    const client = await this.access.client(ref);
    await client.repository(); // fails clearly (credentials, repository) before anything is pushed
    const branch = reviewBranch(fabric.name);
    const pushed = await this.access.pushReviewCommit(fabric, branch, input.base, input.plan, input.message, client);
    const text = syncPullRequestText(fabric, input.plan, input.findings, input.message);
    const pr = await this.access.ensurePullRequest(client, fabric, branch, text);
    return {
      number: pr.info.number,
      url: pr.info.url,
      branch,
      commit: pushed.commit,
      action: deliveryAction(pr.action, pushed.pushed),
    };
  }

  private async closeOutdated(fabric: FabricDefinition, ref: GitHubRepoRef): Promise<number[]> {
    const client = await this.access.client(ref);
    const open = await client.openPulls({ head: reviewBranch(fabric.name), base: fabric.git.branch });
    const closed: number[] = [];
    for (const pr of open.filter(p => p.sameRepository)) {
      await client.updatePull(pr.number, { state: 'closed' });
      closed.push(pr.number);
    }
    return closed;
  }

  // ---- GET /fabrics/:fabric/pulls ------------------------------------------------------------

  /** The open pull requests the plugin opened for a fabric (its review branch and its adoptions). */
  async listPullRequests(fabric: FabricDefinition): Promise<{ items: FabricPullRequest[]; totalItems: number }> {
    const ref = this.repoOf(fabric);
    if (!ref) return { items: [], totalItems: 0 };
    const client = await this.access.client(ref);
    const open = await client.openPulls({ base: fabric.git.branch });
    const items = open
      .filter(p => p.sameRepository && isFabricBranch(fabric.name, p.branch))
      .map(p => publicPull(fabric, p));
    return { items, totalItems: items.length };
  }

  // ---- webhooks ------------------------------------------------------------------------------

  /**
   * `POST /webhooks/github`: checks the signature over the raw body, refuses
   * replays, and queues syncs (push) or validations (pull_request). A rejected
   * delivery has no side effect.
   */
  async handleWebhook(headers: Record<string, string | string[] | undefined>, raw: Buffer): Promise<WebhookResult> {
    const secret = this.deps.options.webhooks?.github?.secret;
    if (!secret) {
      throw new ServiceUnavailableError('GitHub webhooks are not configured: set hedgehog.webhooks.github.secret');
    }
    const header = (name: string) => {
      const v = headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    if (!verifySignature(secret, raw, header('x-hub-signature-256'))) {
      throw new AuthenticationError('the X-Hub-Signature-256 signature is missing or does not match the configured webhook secret');
    }
    const event = header('x-github-event');
    const delivery = header('x-github-delivery');
    if (!event || !delivery || delivery.length > 100) {
      throw new InputError('the X-GitHub-Event and X-GitHub-Delivery headers are required');
    }
    const payload = parsePayload(raw, header('content-type'));
    if (!(await this.deps.deliveries.claim(delivery))) {
      throw new ConflictError(`the delivery ${delivery} was received before; replays are refused`);
    }
    const fabrics = this.deps.fabrics.list();
    if (event === 'ping') return { status: 200, body: { ok: true, event } };
    if (event === 'push') {
      const match = fabricsForPush(fabrics, payload);
      if (match.fabrics.length === 0) return { status: 200, body: { event, delivery, queued: [], ignored: match.ignored } };
      const by = `github:${String(payload?.sender?.login ?? payload?.pusher?.name ?? 'webhook')}`.slice(0, 100);
      const queued = [];
      for (const name of match.fabrics) {
        const { runId } = await this.deps.requestSync(name, 'webhook', by);
        queued.push({ fabric: name, runId });
      }
      this.deps.logger.info(`hedgehog: GitHub push ${delivery} queued syncs of ${match.fabrics.join(', ')}`);
      return { status: 202, body: { event, delivery, queued } };
    }
    if (event === 'pull_request') {
      const match = fabricsForPullRequest(fabrics, payload);
      const names = match.fabrics.filter(n => {
        const f = this.deps.fabrics.get(n);
        return f && this.repoOf(f);
      });
      if (names.length === 0) {
        return { status: 200, body: { event, delivery, validating: [], ignored: match.ignored ?? 'the fabrics are not on a GitHub integration' } };
      }
      for (const name of names) this.inBackground(this.validatePullRequest(this.deps.fabrics.get(name)!, payload), name);
      return { status: 202, body: { event, delivery, validating: names } };
    }
    return { status: 200, body: { event, delivery, ignored: `the event ${event} is not used` } };
  }

  private inBackground(work: Promise<unknown>, fabric: string) {
    const p = work
      .catch(e => this.deps.logger.warn(`hedgehog: validating a pull request of ${fabric} failed: ${e instanceof Error ? e.message : e}`))
      .then(() => undefined)
      .finally(() => this.background.delete(p));
    this.background.add(p);
  }
}

/** The JSON payload of a delivery (content type application/json, or form-encoded `payload=`). */
function parsePayload(raw: Buffer, contentType: string | undefined): any {
  let text = raw.toString('utf8');
  if (/application\/x-www-form-urlencoded/i.test(contentType ?? '')) {
    text = new URLSearchParams(text).get('payload') ?? '';
  }
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    return value;
  } catch {
    throw new InputError('the webhook body is not a JSON object');
  }
}

/** What a sync delivery did to its pull request: opened it, updated it (new commit or text), or nothing. */
function deliveryAction(pr: 'opened' | 'updated' | 'unchanged', pushed: boolean): 'opened' | 'updated' | 'unchanged' {
  if (pr === 'opened') return 'opened';
  return pushed || pr === 'updated' ? 'updated' : 'unchanged';
}
