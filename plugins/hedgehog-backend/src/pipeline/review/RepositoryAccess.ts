import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, ServiceUnavailableError } from '@backstage/errors';
import { ScmIntegrationRegistry } from '@backstage/integration';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { BranchRepository } from '../../git/BranchRepository';
import { GitCredentialsResolver } from '../../git/credentials';
import { TreeChange } from '../../git/GitWorkspace';
import { GitCommandError } from '../../git/runGit';
import { GitHubApi, GitHubRepoClient, GitHubRepoRef, PullRequestInfo, gitHubRepoOf } from '../../github/GitHubApi';
import { PipelineOptions } from '../options';
import { fabricPagePath } from '../fabricPage';

export interface RepositoryAccessDeps {
  integrations?: ScmIntegrationRegistry;
  credentials: GitCredentialsResolver;
  options: PipelineOptions;
  logger: LoggerService;
}

/**
 * What every review feature of the plugin needs: the GitHub repository of a
 * fabric, an API client with the integration's credentials, a scratch Git
 * repository of the fabric's remote, and the branch + pull request delivery of a
 * change.
 */
export class RepositoryAccess {
  private readonly api?: GitHubApi;

  constructor(private readonly deps: RepositoryAccessDeps) {
    if (deps.integrations) {
      this.api = new GitHubApi(deps.integrations, deps.logger, Math.min(deps.options.git.timeoutMs, 60_000));
    }
  }

  /** The GitHub repository of a fabric; undefined when its URL is not on a GitHub integration. */
  repoOf(fabric: FabricDefinition): GitHubRepoRef | undefined {
    return this.deps.integrations ? gitHubRepoOf(this.deps.integrations, fabric.git.url) : undefined;
  }

  async client(ref: GitHubRepoRef): Promise<GitHubRepoClient> {
    if (!this.api) throw new ServiceUnavailableError('the GitHub integration is not available (no integrations config)');
    return this.api.forRepo(ref);
  }

  /** Runs `fn` on a scratch repository of the fabric's remote (credentials through askpass). */
  async withRepo<T>(fabric: FabricDefinition, fn: (repo: BranchRepository) => Promise<T>): Promise<T> {
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

  /**
   * Builds the commit on `base` and force-pushes it to a review branch (with a
   * lease on the value just read). A branch that already holds the same change on
   * the same base is left alone.
   */
  async pushReviewCommit(
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
      // Only what this clone lacks crosses the network (an adoption has just fetched the base).
      const lacking = await Promise.all([...remote].map(async ([ref, sha]) => ((await repo.has(sha)) ? undefined : ref)));
      await repo.fetch(lacking.filter((ref): ref is string => ref !== undefined));
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
    if (result.pushed) await waitForBranch(client, branch, result.commit);
    return result;
  }

  /** Opens the pull request of a branch, or updates the open one. */
  async ensurePullRequest(
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

  /** The fabric's page in Backstage: `${app.baseUrl}/catalog/<namespace>/resource/<name>/hedgehog`. */
  fabricPageUrl(fabric: FabricDefinition): string | undefined {
    const base = this.deps.options.appBaseUrl?.replace(/\/+$/, '');
    if (!base) return undefined;
    return `${base}${fabricPagePath(fabric)}`;
  }
}

/** GitHub may see a pushed branch a moment later than git does; a pull request needs it. */
async function waitForBranch(client: GitHubRepoClient, branch: string, commit: string) {
  for (let attempt = 0; attempt < 10; attempt++) {
    if ((await client.branchSha(branch)) === commit) return;
    await new Promise(r => setTimeout(r, 100 * (attempt + 1)));
  }
}
