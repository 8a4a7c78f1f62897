import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { RunTrigger, findKind } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { HedgehogStore } from '../database/HedgehogStore';
import { comparableObject } from '../drift/normalizeObject';
import { GitCredentialsResolver } from '../git/credentials';
import { GitCommandError } from '../git/runGit';
import { TreeChange } from '../git/GitWorkspace';
import { classifyDocument } from '../gitops/classify';
import { managedPath } from '../gitops/layout';
import { canonicalResource, renderResource, sourceOf } from '../gitops/normalize';
import { ParseCache } from '../gitops/ParseCache';
import { ParsedFile, parseYamlFile } from '../gitops/parse';
import { entriesToParse, planIngestion } from '../gitops/plan';
import { TreeEntry } from '../gitops/tree';
import { ReviewDelivery, validate as validatePlan } from '../pipeline/syncFabric';
import { HedgehogOptions } from '../service/config';
import { validateFabric } from '../validation/validateFabric';
import { BranchRepository } from './BranchRepository';
import { DeliveryLog } from './DeliveryLog';
import { GitHubApi, GitHubRepoClient, GitHubRepoRef, PullRequestInfo, gitHubRepoOf } from './GitHubApi';
import { adoptPullRequestText, statusDescription, syncPullRequestText } from './pullRequestText';
import { fabricsForPullRequest, fabricsForPush, verifySignature } from './webhookEvents';

/** The review branch of a fabric in write mode `pull-request` (one per fabric, force-pushed). */
export function reviewBranch(fabric: string): string {
  return `hedgehog/${fabric}`;
}

/** The branch prefix of a fabric's adoptions (`hedgehog/<fabric>` is a ref itself, so no folder below it). */
export function adoptBranchPrefix(fabric: string): string {
  return `hedgehog-adopt/${fabric}/`;
}

/** An open pull request of a fabric, as `GET /fabrics/:fabric/pulls` lists it. */
export interface FabricPullRequest {
  number: number;
  title: string;
  url: string;
  branch: string;
  updatedAt: string;
  /** `sync`: the fabric's review branch; `adopt`: an adoption of a cluster value. */
  purpose: 'sync' | 'adopt';
}

/** What `POST .../adopt` did. */
export interface AdoptResult {
  fabric: string;
  kind: string;
  name: string;
  /** The managed file, relative to the fabric directory. */
  gitPath: string;
  writeMode: 'push' | 'pull-request';
  /** False when Git already held exactly this value (nothing was pushed). */
  changed: boolean;
  commit?: string;
  pullRequest?: FabricPullRequest;
  /** Push mode: the sync queued to import the commit. */
  runId?: string;
}

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
}

/**
 * GitHub as the review surface of a fabric's repository: pull requests of write
 * mode `pull-request`, push and pull_request webhooks, commit statuses with the
 * validation of pull requests, and adopting cluster values into Git.
 */
export class GitHubService {
  private readonly api?: GitHubApi;
  private readonly background = new Set<Promise<void>>();

  constructor(private readonly deps: GitHubServiceDeps) {
    if (deps.integrations) {
      this.api = new GitHubApi(deps.integrations, deps.logger, Math.min(deps.options.git.timeoutMs, 60_000));
    }
  }

  /** The GitHub repository of a fabric; undefined when its URL is not on a GitHub integration. */
  repoOf(fabric: FabricDefinition): GitHubRepoRef | undefined {
    return this.deps.integrations ? gitHubRepoOf(this.deps.integrations, fabric.git.url) : undefined;
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

  // ---- write mode pull-request --------------------------------------------------------------

  private async deliverSync(fabric: FabricDefinition, ref: GitHubRepoRef, input: Parameters<ReviewDelivery['deliver']>[0]) {
    const client = await this.client(ref);
    await client.repository(); // fails clearly (credentials, repository) before anything is pushed
    const branch = reviewBranch(fabric.name);
    const pushed = await this.pushReviewCommit(fabric, branch, input.base, input.plan, input.message, client);
    const text = syncPullRequestText(fabric, input.plan, input.findings, input.message);
    const pr = await this.ensurePullRequest(client, fabric, branch, text);
    return {
      number: pr.info.number,
      url: pr.info.url,
      branch,
      commit: pushed.commit,
      action: pr.action === 'opened' ? ('opened' as const) : pushed.pushed || pr.action === 'updated' ? ('updated' as const) : ('unchanged' as const),
    };
  }

  private async closeOutdated(fabric: FabricDefinition, ref: GitHubRepoRef): Promise<number[]> {
    const client = await this.client(ref);
    const open = await client.openPulls({ head: reviewBranch(fabric.name), base: fabric.git.branch });
    const closed: number[] = [];
    for (const pr of open.filter(p => p.sameRepository)) {
      await client.updatePull(pr.number, { state: 'closed' });
      closed.push(pr.number);
    }
    return closed;
  }

  /**
   * Builds the commit on `base` and force-pushes it to a review branch (with a
   * lease on the value just read). A branch that already holds the same change on
   * the same base is left alone.
   */
  private async pushReviewCommit(
    fabric: FabricDefinition,
    branch: string,
    base: string,
    change: TreeChange,
    message: string,
    client: GitHubRepoClient,
  ): Promise<{ commit: string; pushed: boolean }> {
    const branchRef = `refs/heads/${branch}`;
    const baseRef = `refs/heads/${fabric.git.branch}`;
    const result = await this.withRepo(fabric, async repo => {
      const remote = await repo.lsRemote([baseRef, branchRef]);
      await repo.fetch([...remote.keys()]);
      if (!(await repo.has(base))) {
        throw new Error(`commit ${base.slice(0, 12)} of branch ${fabric.git.branch} is no longer in ${fabric.git.url} (was the branch rewritten?); the next sync plans again`);
      }
      const commit = await repo.commit(base, fabric.git.path, change, message);
      const current = remote.get(branchRef);
      if (current) {
        const [was, now] = await Promise.all([repo.describe(current), repo.describe(commit)]);
        if (was.tree === now.tree && was.parents.length === 1 && was.parents[0] === base) {
          return { commit: current, pushed: false };
        }
      }
      const outcome = await repo.push(commit, branch, { force: true, expected: current });
      if (outcome === 'rejected') {
        throw new Error(`the branch ${branch} changed while this run pushed to it; the next sync tries again`);
      }
      return { commit, pushed: true };
    });
    if (result.pushed) await this.waitForBranch(client, branch, result.commit);
    return result;
  }

  /** GitHub may see a pushed branch a moment later than git does; a pull request needs it. */
  private async waitForBranch(client: GitHubRepoClient, branch: string, commit: string) {
    for (let attempt = 0; attempt < 10; attempt++) {
      if ((await client.branchSha(branch)) === commit) return;
      await new Promise(r => setTimeout(r, 100 * (attempt + 1)));
    }
  }

  /** Opens the pull request of a branch, or updates the open one. */
  private async ensurePullRequest(
    client: GitHubRepoClient,
    fabric: FabricDefinition,
    branch: string,
    text: { title: string; body: string },
  ): Promise<{ info: PullRequestInfo; action: 'opened' | 'updated' | 'unchanged' }> {
    const find = async () =>
      (await client.openPulls({ head: branch, base: fabric.git.branch })).find(p => p.sameRepository);
    let existing = await find();
    if (!existing) {
      try {
        return { info: await client.createPull({ head: branch, base: fabric.git.branch, ...text }), action: 'opened' };
      } catch (e) {
        // Opened in the meantime (another replica, a user): update that one.
        if (!(e instanceof ConflictError) || !/already exists/i.test(e.message)) throw e;
        existing = await find();
        if (!existing) throw e;
      }
    }
    if (existing.title === text.title && existing.body.replace(/\r\n/g, '\n') === text.body) {
      return { info: existing, action: 'unchanged' };
    }
    return { info: await client.updatePull(existing.number, text), action: 'updated' };
  }

  // ---- GET /fabrics/:fabric/pulls ------------------------------------------------------------

  /** The open pull requests the plugin opened for a fabric (its review branch and its adoptions). */
  async listPullRequests(fabric: FabricDefinition): Promise<{ items: FabricPullRequest[]; totalItems: number }> {
    const ref = this.repoOf(fabric);
    if (!ref) return { items: [], totalItems: 0 };
    const client = await this.client(ref);
    const open = await client.openPulls({ base: fabric.git.branch });
    const items = open
      .filter(p => p.sameRepository && (p.branch === reviewBranch(fabric.name) || p.branch.startsWith(adoptBranchPrefix(fabric.name))))
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

  /**
   * Validates the head of a pull request into a fabric's branch when it changes
   * the fabric's directory (plan and validation as a sync does, nothing is
   * committed) and reports a commit status `hedgehog/<fabric>`.
   */
  async validatePullRequest(fabric: FabricDefinition, payload: any): Promise<'reported' | 'untouched'> {
    const ref = this.repoOf(fabric);
    if (!ref) throw new InputError(`fabric ${fabric.name} is not on a GitHub integration`);
    const pr = payload.pull_request;
    const client = await this.client(ref);
    const context = `hedgehog/${fabric.name}`;
    let head: string = pr.head.sha;
    try {
      const result = await this.withRepo(fabric, async repo => {
        const pullRef = `refs/pull/${pr.number}/head`;
        const branchRef = `refs/heads/${pr.head.ref}`;
        const baseRef = `refs/heads/${fabric.git.branch}`;
        const sameRepo = String(pr.head?.repo?.full_name ?? '').toLowerCase() === String(payload.repository?.full_name ?? '').toLowerCase();
        const remote = await repo.lsRemote(sameRepo ? [pullRef, branchRef, baseRef] : [pullRef, baseRef]);
        const headRef = remote.has(pullRef) ? pullRef : remote.has(branchRef) ? branchRef : undefined;
        if (!headRef) throw new Error(`the head of pull request #${pr.number} cannot be fetched (no ${pullRef})`);
        if (!remote.has(baseRef)) throw new Error(`the branch ${fabric.git.branch} does not exist`);
        const fetched = await repo.fetch([headRef, baseRef]);
        head = fetched.get(headRef)!;
        if (!(await repo.changesBelow(fetched.get(baseRef)!, head, fabric.git.path))) return undefined;
        const entries = await repo.listTree(head, fabric.git.path);
        const parsed = await this.readParsed(repo, entries);
        const plan = planIngestion({ fabricName: fabric.name, entries, parsed });
        return { findings: validatePlan(plan), resources: plan.resources.length };
      });
      if (!result) return 'untouched';
      const errors = result.findings.filter(f => f.severity === 'error').length;
      await client.setStatus(head, {
        state: errors > 0 ? 'failure' : 'success',
        context,
        description: statusDescription(result.findings, result.resources),
        targetUrl: this.fabricPageUrl(fabric),
      });
      this.deps.logger.info(`hedgehog: pull request #${pr.number} validated for ${fabric.name}: ${errors} error(s)`);
      return 'reported';
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      // Best effort: tell the pull request why there is no verdict.
      await client
        .setStatus(head, { state: 'error', context, description: `could not validate: ${message}`, targetUrl: this.fabricPageUrl(fabric) })
        .catch(() => undefined);
      throw e;
    }
  }

  /** The fabric's page in Backstage: `${app.baseUrl}/catalog/<namespace>/resource/<name>/hedgehog`. */
  private fabricPageUrl(fabric: FabricDefinition): string | undefined {
    const base = this.deps.options.appBaseUrl?.replace(/\/+$/, '');
    if (!base) return undefined;
    const m = /^resource:([^/]+)\/(.+)$/i.exec(fabric.source);
    const [namespace, name] = m ? [m[1], m[2]] : ['default', fabric.name];
    return `${base}/catalog/${encodeURIComponent(namespace)}/resource/${encodeURIComponent(name)}/hedgehog`;
  }

  private async readParsed(repo: BranchRepository, entries: TreeEntry[]) {
    const { cache } = this.deps;
    const wanted = entriesToParse(entries);
    const missing = wanted.filter(e => !cache.get(e.blobId)).map(e => e.blobId);
    const local = new Map<string, ParsedFile>();
    for (const [id, bytes] of await repo.readBlobs(missing)) {
      const parsed = parseYamlFile(bytes);
      cache.set(id, parsed);
      local.set(id, parsed);
    }
    return (entry: TreeEntry): ParsedFile =>
      local.get(entry.blobId) ?? cache.get(entry.blobId) ?? { ok: false, reason: 'the file could not be read from Git' };
  }

  // ---- adopt into Git --------------------------------------------------------------------------

  /**
   * Writes the cluster's value of a drifted resource (or of an object only in the
   * cluster), normalized, into its managed file and delivers it by the fabric's
   * write mode: a pull request (pull-request) or a commit (push).
   */
  async adopt(fabric: FabricDefinition, kind: string, name: string, requestedBy?: string): Promise<AdoptResult> {
    const writeMode = fabric.git.writeMode;
    if (writeMode === 'none') {
      throw new ConflictError(`fabric ${fabric.name} has write mode "none": its repository is only read, so nothing can be adopted into it`);
    }
    const kindDef = findKind(kind);
    if (!kindDef) throw new InputError(`"${kind}" is not one of the managed kinds`);
    const resource = await this.deps.store.getResource(fabric.name, kind, name);
    if (!resource) throw new NotFoundError(`No ${kind} named ${name} in fabric ${fabric.name}`);
    const status = resource.drift.status;
    if (status !== 'drifted' && status !== 'orphaned_in_cluster') {
      throw new ConflictError(`${kind} ${name} is ${status}; only a drifted resource or an object found only in the cluster can be adopted`);
    }
    if (!resource.live) throw new ConflictError(`the cluster's value of ${kind} ${name} is not known; run a drift check first`);

    const cls = classifyDocument(comparableObject(resource.live));
    if (cls.type !== 'managed') {
      throw new ConflictError(`the cluster's value of ${kind} ${name} cannot be adopted: ${cls.type === 'unmanaged' ? cls.message : 'it is empty'}`);
    }
    const desired = resource.desired ?? undefined;
    const canonical = canonicalResource(cls, desired ? sourceOf(desired) : undefined);
    const gitPath = desired && resource.gitPath ? resource.gitPath : managedPath(kindDef, name);
    const content = renderResource(canonical);
    const context = (await this.deps.store.listDesired(fabric.name))
      .filter(d => !(d.kind === kind && d.name === name))
      .map(d => d.object);
    const findings = validateFabric([{ file: gitPath, document: 0, object: canonical }], { context }).findings;
    const message = [
      `hedgehog(${fabric.name}): adopt ${kind} ${name} from the cluster`,
      '',
      `Writes the live value of ${kind} ${name}${fabric.cluster ? ` in cluster ${fabric.cluster}` : ''} into ${gitPath}`,
      'without status, server-set metadata and webhook-computed labels.',
      ...(requestedBy ? ['', `Requested in Backstage by ${requestedBy}.`] : []),
      '',
    ].join('\n');
    const change: TreeChange = { writes: [{ path: gitPath, content }], moves: [], deletes: [] };
    const result: AdoptResult = { fabric: fabric.name, kind, name, gitPath, writeMode, changed: false };

    if (writeMode === 'push') {
      const commit = await this.commitToBranch(fabric, gitPath, content, change, message, desired === undefined);
      if (!commit) return result;
      const { runId } = await this.deps.requestSync(fabric.name, 'api', requestedBy);
      return { ...result, changed: true, commit, runId };
    }

    const ref = this.repoOf(fabric);
    if (!ref) {
      throw new ConflictError(`write mode "pull-request" needs a GitHub repository of integrations.github; ${fabric.git.url} is not one`);
    }
    const client = await this.client(ref);
    await client.repository();
    const branch = `${adoptBranchPrefix(fabric.name)}${kind.toLowerCase()}-${name}`;
    const baseRef = `refs/heads/${fabric.git.branch}`;
    const base = await this.withRepo(fabric, async repo => {
      const remote = await repo.lsRemote([baseRef]);
      if (!remote.has(baseRef)) throw new ConflictError(`the branch ${fabric.git.branch} of ${fabric.git.url} does not exist`);
      const head = (await repo.fetch([baseRef])).get(baseRef)!;
      return (await this.holds(repo, fabric, head, gitPath, content, desired === undefined)) ? undefined : head;
    });
    if (!base) return result;
    const pushed = await this.pushReviewCommit(fabric, branch, base, change, message, client);
    const text = adoptPullRequestText({ fabric, kind, name, gitPath, differences: resource.differences, requestedBy, findings });
    const pr = await this.ensurePullRequest(client, fabric, branch, text);
    return { ...result, changed: true, commit: pushed.commit, pullRequest: publicPull(fabric, pr.info) };
  }

  /**
   * Whether the fabric's branch already holds exactly this file; throws when a new
   * resource's file is taken by something else.
   */
  private async holds(repo: BranchRepository, fabric: FabricDefinition, head: string, gitPath: string, content: string, isNew: boolean) {
    const entry = (await repo.listTree(head, fabric.git.path)).find(e => e.path === gitPath);
    if (!entry) return false;
    const bytes = (await repo.readBlobs([entry.blobId])).get(entry.blobId);
    if (bytes?.toString('utf8') === content) return true;
    if (isNew) throw new ConflictError(`${gitPath} already exists in fabric ${fabric.name}; sync first, then adopt`);
    return false;
  }

  /** Push mode: one commit on the fabric's branch, re-built on the new head when the push is rejected. */
  private async commitToBranch(
    fabric: FabricDefinition,
    gitPath: string,
    content: string,
    change: TreeChange,
    message: string,
    isNew: boolean,
  ): Promise<string | undefined> {
    const baseRef = `refs/heads/${fabric.git.branch}`;
    return this.withRepo(fabric, async repo => {
      for (let attempt = 1; ; attempt++) {
        const remote = await repo.lsRemote([baseRef]);
        if (!remote.has(baseRef)) throw new ConflictError(`the branch ${fabric.git.branch} of ${fabric.git.url} does not exist`);
        const head = (await repo.fetch([baseRef])).get(baseRef)!;
        if (await this.holds(repo, fabric, head, gitPath, content, isNew)) return undefined;
        const commit = await repo.commit(head, fabric.git.path, change, message);
        if ((await repo.push(commit, fabric.git.branch)) === 'pushed') return commit;
        if (attempt >= this.deps.options.git.maxPushAttempts) {
          throw new ConflictError(`the branch ${fabric.git.branch} kept moving; nothing was adopted, try again`);
        }
      }
    });
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private async client(ref: GitHubRepoRef): Promise<GitHubRepoClient> {
    if (!this.api) throw new ServiceUnavailableError('the GitHub integration is not available (no integrations config)');
    return this.api.forRepo(ref);
  }

  private async withRepo<T>(fabric: FabricDefinition, fn: (repo: BranchRepository) => Promise<T>): Promise<T> {
    const { options, credentials } = this.deps;
    const creds = await credentials.forUrl(fabric.git.url);
    try {
      return await BranchRepository.use(
        {
          cacheDir: options.workingDirectory,
          url: fabric.git.url,
          credentials: creds,
          author: options.git.author,
          timeoutMs: options.git.timeoutMs,
        },
        fn,
      );
    } catch (e) {
      // The remote failed (network, credentials, a refused push): not the caller's fault.
      if (e instanceof GitCommandError) throw new ServiceUnavailableError(e.message);
      throw e;
    }
  }
}

function publicPull(fabric: FabricDefinition, p: PullRequestInfo): FabricPullRequest {
  return {
    number: p.number,
    title: p.title,
    url: p.url,
    branch: p.branch,
    updatedAt: p.updatedAt,
    purpose: p.branch === reviewBranch(fabric.name) ? 'sync' : 'adopt',
  };
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
