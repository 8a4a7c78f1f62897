import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, ServiceUnavailableError } from '@backstage/errors';
import { DefaultGithubCredentialsProvider, ScmIntegrationRegistry } from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import { redact } from '../git/runGit';

/** A repository on a GitHub host of `integrations.github` (github.com or GitHub Enterprise). */
export interface GitHubRepoRef {
  /** The Git URL the fabric uses. */
  url: string;
  host: string;
  owner: string;
  repo: string;
  apiBaseUrl: string;
}

/** A pull request as the plugin uses it. */
export interface PullRequestInfo {
  number: number;
  title: string;
  body: string;
  url: string;
  state: 'open' | 'closed';
  /** The head branch. */
  branch: string;
  headSha: string;
  /** Whether the head lives in this repository (not a fork). */
  sameRepository: boolean;
  base: string;
  updatedAt: string;
  author?: string;
}

/** At most this many pages of 100 pull requests are read. */
const MAX_PAGES = 10;

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

/**
 * Finds the GitHub repository of a Git URL: the `integrations.github` entry of
 * its host gives the API base URL (GitHub Enterprise too); the path gives owner
 * and name. Undefined when the host is not a GitHub integration.
 */
export function gitHubRepoOf(integrations: ScmIntegrationRegistry, url: string): GitHubRepoRef | undefined {
  if (!/^(https?|ssh|git):\/\//i.test(url)) return undefined;
  const integration = integrations.github.byUrl(url);
  if (!integration) return undefined;
  const { host, apiBaseUrl } = integration.config;
  const segments = new URL(url).pathname.split('/').filter(Boolean);
  if (segments.length !== 2) {
    throw new InputError(`${url} is not a GitHub repository URL of the form https://${host}/<owner>/<repo>`);
  }
  if (!apiBaseUrl) {
    throw new InputError(`integrations.github for host ${host} has no apiBaseUrl; set it (GitHub Enterprise: https://${host}/api/v3)`);
  }
  return { url, host, owner: segments[0], repo: segments[1].replace(/\.git$/, ''), apiBaseUrl };
}

/** The GitHub REST calls for one repository (see GitHubApi.forRepo). */
export class GitHubRepoClient {
  constructor(
    private readonly octokit: Octokit,
    readonly ref: GitHubRepoRef,
    private readonly token: string,
  ) {}

  /** The repository; proves the credentials work before anything is pushed. */
  async repository(): Promise<{ fullName: string; defaultBranch: string; htmlUrl: string }> {
    const { owner, repo } = this.ref;
    const { data } = await this.call('reading the repository', () => this.octokit.repos.get({ owner, repo }));
    return { fullName: data.full_name, defaultBranch: data.default_branch, htmlUrl: data.html_url };
  }

  /** The commit a branch points at, as GitHub sees it (undefined when the branch does not exist). */
  async branchSha(branch: string): Promise<string | undefined> {
    const { owner, repo } = this.ref;
    try {
      const { data } = await this.octokit.git.getRef({ owner, repo, ref: `heads/${branch}` });
      return data.object.sha;
    } catch (e) {
      if ((e as { status?: number }).status === 404) return undefined;
      throw this.error(e, `reading branch ${branch}`);
    }
  }

  /** Open pull requests, optionally only those of one head branch of this repository and one base. */
  async openPulls(filter: { head?: string; base?: string } = {}): Promise<PullRequestInfo[]> {
    const { owner, repo } = this.ref;
    const items: PullRequestInfo[] = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await this.call('listing pull requests', () =>
        this.octokit.pulls.list({
          owner,
          repo,
          state: 'open',
          per_page: 100,
          page,
          ...(filter.head ? { head: `${owner}:${filter.head}` } : {}),
          ...(filter.base ? { base: filter.base } : {}),
        }),
      );
      items.push(...data.map(p => this.info(p)));
      if (data.length < 100) break;
    }
    return items;
  }

  async createPull(input: { head: string; base: string; title: string; body: string }): Promise<PullRequestInfo> {
    const { owner, repo } = this.ref;
    const { data } = await this.call(`opening a pull request from ${input.head}`, () =>
      this.octokit.pulls.create({ owner, repo, ...input, maintainer_can_modify: true }),
    );
    return this.info(data);
  }

  async updatePull(number: number, patch: { title?: string; body?: string; state?: 'open' | 'closed' }): Promise<PullRequestInfo> {
    const { owner, repo } = this.ref;
    const { data } = await this.call(`updating pull request #${number}`, () =>
      this.octokit.pulls.update({ owner, repo, pull_number: number, ...patch }),
    );
    return this.info(data);
  }

  async setStatus(sha: string, status: { state: CommitState; context: string; description: string; targetUrl?: string }) {
    const { owner, repo } = this.ref;
    await this.call(`setting the status ${status.context} of commit ${sha.slice(0, 12)}`, () =>
      this.octokit.repos.createCommitStatus({
        owner,
        repo,
        sha,
        state: status.state,
        context: status.context,
        description: truncate(status.description, 140),
        ...(status.targetUrl ? { target_url: status.targetUrl } : {}),
      }),
    );
  }

  /**
   * Writes the comment of a pull request that starts with `marker`: updates the first
   * such comment (when its text changed), else adds it. Returns what it did.
   */
  async upsertComment(number: number, marker: string, body: string): Promise<{ id: number; action: 'created' | 'updated' | 'unchanged' }> {
    const { owner, repo } = this.ref;
    let found: { id: number; body?: string | null } | undefined;
    for (let page = 1; page <= MAX_PAGES && !found; page++) {
      const { data } = await this.call(`listing the comments of pull request #${number}`, () =>
        this.octokit.issues.listComments({ owner, repo, issue_number: number, per_page: 100, page }),
      );
      found = data.find(c => (c.body ?? '').startsWith(marker));
      if (data.length < 100) break;
    }
    if (!found) {
      const { data } = await this.call(`commenting on pull request #${number}`, () =>
        this.octokit.issues.createComment({ owner, repo, issue_number: number, body }),
      );
      return { id: data.id, action: 'created' };
    }
    if ((found.body ?? '').replace(/\r\n/g, '\n') === body) return { id: found.id, action: 'unchanged' };
    const id = found.id;
    await this.call(`updating comment ${id} of pull request #${number}`, () =>
      this.octokit.issues.updateComment({ owner, repo, comment_id: id, body }),
    );
    return { id, action: 'updated' };
  }

  private info(p: any): PullRequestInfo {
    return {
      number: p.number,
      title: p.title,
      body: p.body ?? '',
      url: p.html_url,
      state: p.state,
      branch: p.head?.ref,
      headSha: p.head?.sha,
      sameRepository:
        String(p.head?.repo?.full_name ?? '').toLowerCase() === `${this.ref.owner}/${this.ref.repo}`.toLowerCase(),
      base: p.base?.ref,
      updatedAt: p.updated_at,
      author: p.user?.login,
    };
  }

  private async call<T>(what: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw this.error(e, what);
    }
  }

  /** A Backstage error for a failed call, naming what failed and why, never the token. */
  error(e: unknown, what: string): Error {
    const { host, owner, repo, apiBaseUrl } = this.ref;
    const status = (e as { status?: number }).status;
    const data = (e as { response?: { data?: any } }).response?.data;
    const reason = String(data?.message ?? (e instanceof Error ? e.message : e));
    const details = Array.isArray(data?.errors)
      ? data.errors.map((x: any) => x?.message ?? [x?.field, x?.code].filter(Boolean).join(' ')).filter(Boolean).join('; ')
      : '';
    const why = `${reason}${details ? `: ${details}` : ''}`;
    const clean = (m: string) => redact(m, [this.token]);
    const where = `${owner}/${repo} on ${host}`;
    if (status === 401) {
      return new ServiceUnavailableError(
        clean(`GitHub rejected the credentials while ${what} in ${where} (401 ${why}): the token or GitHub App configured in integrations.github for host ${host} is invalid, expired or revoked`),
      );
    }
    if (status === 403) {
      return new ServiceUnavailableError(
        clean(`GitHub refused ${what} in ${where} (403 ${why}): the credentials of integrations.github for host ${host} lack a permission, or a rate limit was hit`),
      );
    }
    if (status === 404) {
      return new ServiceUnavailableError(
        clean(`GitHub found nothing while ${what} in ${where} (404): the repository does not exist or the credentials of integrations.github for host ${host} cannot see it`),
      );
    }
    if (status === 409 || status === 422) {
      return new ConflictError(clean(`GitHub refused ${what} in ${where} (${status} ${why})`));
    }
    if (status && status < 500) {
      return new ServiceUnavailableError(clean(`GitHub answered ${status} while ${what} in ${where}: ${why}`));
    }
    return new ServiceUnavailableError(clean(`the GitHub API at ${apiBaseUrl} failed while ${what} in ${where}: ${why}`));
  }
}

/**
 * The GitHub REST calls of the plugin for one repository, with the credentials of
 * `integrations.github` (token or GitHub App, through DefaultGithubCredentialsProvider).
 * Errors are Backstage errors with clear messages that never contain a token.
 */
export class GitHubApi {
  private readonly credentials: DefaultGithubCredentialsProvider;

  constructor(
    integrations: ScmIntegrationRegistry,
    private readonly logger: LoggerService,
    private readonly timeoutMs: number,
  ) {
    this.credentials = DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  }

  /** A client for one repository; fails clearly when no credentials are configured. */
  async forRepo(ref: GitHubRepoRef): Promise<GitHubRepoClient> {
    let token: string | undefined;
    try {
      token = (await this.credentials.getCredentials({ url: `https://${ref.host}/${ref.owner}/${ref.repo}` })).token;
    } catch (e) {
      throw new ServiceUnavailableError(
        `no GitHub credentials for ${ref.owner}/${ref.repo} on ${ref.host}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (!token) {
      throw new ServiceUnavailableError(
        `no GitHub credentials for ${ref.owner}/${ref.repo}: configure a token or a GitHub App in integrations.github for host ${ref.host}`,
      );
    }
    const timeoutMs = this.timeoutMs;
    const logger = this.logger;
    const octokit = new Octokit({
      auth: token,
      baseUrl: ref.apiBaseUrl,
      userAgent: 'backstage-plugin-hedgehog',
      log: {
        debug: () => {},
        info: () => {},
        warn: (m: string) => logger.warn(`hedgehog: GitHub: ${redact(m, [token!])}`),
        error: (m: string) => logger.error(`hedgehog: GitHub: ${redact(m, [token!])}`),
      },
      request: {
        fetch: (url: string, init: RequestInit) => fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) }),
      },
    });
    return new GitHubRepoClient(octokit, ref, token);
  }
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
