import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, ConflictError, InputError, ServiceUnavailableError } from '@backstage/errors';
import { RunTrigger } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { DeliveryLog } from '../github/DeliveryLog';
import { fabricsForPullRequest, fabricsForPush, verifySignature } from '../github/webhookEvents';
import { PullRequestValidator } from '../pipeline/review/PullRequestValidator';
import { RepositoryAccess } from '../pipeline/review/RepositoryAccess';
import { FabricNotifications } from './fabricNotifications';

export interface WebhookResult {
  status: number;
  body: Record<string, unknown>;
}

export interface GitHubWebhooksDeps {
  /** `hedgehog.webhooks.github.secret`; without it deliveries are refused. */
  secret?: string;
  fabrics: { get(name: string): FabricDefinition | undefined; list(): FabricDefinition[] };
  requestSync(name: string, trigger: RunTrigger, requestedBy?: string): Promise<{ runId: string }>;
  repositories: RepositoryAccess;
  validator: PullRequestValidator;
  deliveries: DeliveryLog;
  logger: LoggerService;
  /** Tells the fabric's owner of a pull request whose validation failed (optional). */
  notifications?: Pick<FabricNotifications, 'pullRequestFailed'>;
}

/**
 * The intake of GitHub's webhooks (`POST /webhooks/github`): checks the signature
 * over the raw body, refuses replays (a delivery id or a signed body seen before),
 * and queues syncs (push) or validations of
 * pull requests (pull_request). A rejected delivery has no side effect.
 */
export class GitHubWebhooks {
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: GitHubWebhooksDeps) {}

  async handle(headers: Record<string, string | string[] | undefined>, raw: Buffer): Promise<WebhookResult> {
    const { secret } = this.deps;
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
    // Replays are refused by the delivery id and by the digest of the signed body:
    // the id is not signed, so a captured delivery re-sent under a new id is the same payload.
    const replay = await this.deps.deliveries.claim(delivery, raw);
    if (replay === 'delivery') {
      throw new ConflictError(`the delivery ${delivery} was received before; replays are refused`);
    }
    if (replay === 'payload') {
      throw new ConflictError(`the payload of delivery ${delivery} was received before under another delivery id; replays are refused`);
    }
    if (event === 'ping') return { status: 200, body: { ok: true, event } };
    if (event === 'push') return this.push(delivery, payload);
    if (event === 'pull_request') return this.pullRequest(delivery, payload);
    return { status: 200, body: { event, delivery, ignored: `the event ${event} is not used` } };
  }

  /** A push: a sync of every fabric whose directory it touches. */
  private async push(delivery: string, payload: any): Promise<WebhookResult> {
    const event = 'push';
    const match = fabricsForPush(this.deps.fabrics.list(), payload);
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

  /** A pull request: validated, in the background, for every fabric on GitHub whose branch it targets. */
  private pullRequest(delivery: string, payload: any): WebhookResult {
    const event = 'pull_request';
    const match = fabricsForPullRequest(this.deps.fabrics.list(), payload);
    const fabrics = match.fabrics
      .map(n => this.deps.fabrics.get(n))
      .filter((f): f is FabricDefinition => f !== undefined && this.deps.repositories.repoOf(f) !== undefined);
    if (fabrics.length === 0) {
      return { status: 200, body: { event, delivery, validating: [], ignored: match.ignored ?? 'the fabrics are not on a GitHub integration' } };
    }
    for (const fabric of fabrics) this.inBackground(this.validate(fabric, payload), fabric.name);
    return { status: 202, body: { event, delivery, validating: fabrics.map(f => f.name) } };
  }

  /** Validates the pull request for one fabric and tells the fabric's owner when it did not pass. */
  private async validate(fabric: FabricDefinition, payload: any): Promise<void> {
    const pr = payload?.pull_request ?? {};
    const about = { number: Number(pr.number), title: typeof pr.title === 'string' ? pr.title.slice(0, 200) : undefined };
    let verdict: Awaited<ReturnType<PullRequestValidator['validate']>>;
    try {
      verdict = await this.deps.validator.validate(fabric, payload);
    } catch (e) {
      await this.deps.notifications?.pullRequestFailed(fabric, { ...about, verdict: 'error', errors: 0 });
      throw e;
    }
    if (verdict !== 'untouched' && verdict.errors > 0) {
      await this.deps.notifications?.pullRequestFailed(fabric, { ...about, verdict: 'failure', errors: verdict.errors });
    }
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
