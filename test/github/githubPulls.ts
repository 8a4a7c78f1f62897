/*
 * Pull requests of the GitHub API test server, in memory: opened, listed,
 * updated and merged as GitHub does; they follow pushes to their head and base
 * branches, and `refs/pull/<n>/head` is kept in the bare repository.
 */
import http from 'node:http';
import { GitHubApiStore } from './githubApiStore';
import { gitOk, gitText, nodeId, notFound, validationFailed } from './githubHttp';
import { GitHubRepositories } from './githubRepositories';
import { GitHubPullRequest } from './githubTypes';

export type GitHubPulls = ReturnType<typeof createGitHubPulls>;

export function createGitHubPulls(store: GitHubApiStore, repos: GitHubRepositories) {
  const { web, login, pullsByRepo, now } = store;
  const { userJson, gitDirOf, branchSha, refJson } = repos;

  /** Follows pushes to head and base branches, like GitHub does, and keeps refs/pull/<n>/head. */
  const refresh = async (owner: string, repo: string) => {
    const list = pullsByRepo.get(`${owner}/${repo}`) ?? [];
    for (const pr of list) {
      if (pr.state !== 'open') continue;
      const head = await branchSha(owner, repo, pr.head.ref);
      if (head && head !== pr.head.sha) {
        pr.head.sha = head;
        pr.updated_at = now();
        await gitText(gitDirOf(owner, repo), ['update-ref', `refs/pull/${pr.number}/head`, head]);
      }
      const base = await branchSha(owner, repo, pr.base.ref);
      if (base) pr.base.sha = base;
    }
    return list;
  };

  const createPull = async (owner: string, repo: string, input: Record<string, any>): Promise<GitHubPullRequest> => {
    const list = await refresh(owner, repo);
    if (typeof input.title !== 'string' || input.title === '') {
      throw validationFailed([{ resource: 'PullRequest', field: 'title', code: 'missing_field' }]);
    }
    if (typeof input.head !== 'string' || typeof input.base !== 'string') {
      throw validationFailed([{ resource: 'PullRequest', field: typeof input.head !== 'string' ? 'head' : 'base', code: 'missing_field' }]);
    }
    const [headOwner, headBranch] = input.head.includes(':') ? input.head.split(':', 2) : [owner, input.head];
    const headSha = headOwner.toLowerCase() === owner.toLowerCase() ? await branchSha(owner, repo, headBranch) : undefined;
    if (!headSha) throw validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
    const baseSha = await branchSha(owner, repo, input.base);
    if (!baseSha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
    if (list.some(p => p.state === 'open' && p.head.ref === headBranch && p.base.ref === input.base)) {
      throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${owner}:${headBranch}.` }]);
    }
    const ahead = Number(await gitText(gitDirOf(owner, repo), ['rev-list', '--count', `${baseSha}..${headSha}`]));
    if (ahead === 0) {
      throw validationFailed([{ resource: 'PullRequest', code: 'custom', message: `No commits between ${input.base} and ${headBranch}` }]);
    }
    const number = list.length === 0 ? 1 : Math.max(...list.map(p => p.number)) + 1;
    const id = store.nextId++;
    const time = now();
    const base = `${store.apiUrl}/repos/${owner}/${repo}`;
    const pr: GitHubPullRequest = {
      url: `${base}/pulls/${number}`,
      id,
      node_id: nodeId('PR', id),
      html_url: `${web}/${owner}/${repo}/pull/${number}`,
      diff_url: `${web}/${owner}/${repo}/pull/${number}.diff`,
      patch_url: `${web}/${owner}/${repo}/pull/${number}.patch`,
      issue_url: `${base}/issues/${number}`,
      number,
      state: 'open',
      locked: false,
      title: input.title,
      user: userJson(login, 'Bot'),
      body: typeof input.body === 'string' ? input.body : null,
      created_at: time,
      updated_at: time,
      closed_at: null,
      merged_at: null,
      merge_commit_sha: null,
      draft: Boolean(input.draft),
      head: await refJson(owner, repo, headBranch, headSha),
      base: await refJson(owner, repo, input.base, baseSha),
      author_association: 'CONTRIBUTOR',
      merged: false,
      maintainer_can_modify: Boolean(input.maintainer_can_modify ?? true),
    };
    await gitText(gitDirOf(owner, repo), ['update-ref', `refs/pull/${number}/head`, headSha]);
    list.push(pr);
    pullsByRepo.set(`${owner}/${repo}`, list);
    return pr;
  };

  const findPull = async (owner: string, repo: string, number: number) => {
    const pr = (await refresh(owner, repo)).find(p => p.number === number);
    if (!pr) throw notFound();
    return pr;
  };

  const updatePull = async (owner: string, repo: string, number: number, input: Record<string, any>) => {
    const pr = await findPull(owner, repo, number);
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed') {
      throw validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }]);
    }
    if (typeof input.base === 'string' && input.base !== pr.base.ref) {
      const sha = await branchSha(owner, repo, input.base);
      if (!sha) throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
      pr.base = await refJson(owner, repo, input.base, sha);
    }
    if (typeof input.title === 'string') pr.title = input.title;
    if (typeof input.body === 'string') pr.body = input.body;
    if (input.state === 'closed' && pr.state === 'open') {
      pr.state = 'closed';
      pr.closed_at = now();
    } else if (input.state === 'open' && pr.state === 'closed' && !pr.merged) {
      pr.state = 'open';
      pr.closed_at = null;
    }
    pr.updated_at = now();
    return pr;
  };

  const listPulls = async (owner: string, repo: string, query: URLSearchParams, res: http.ServerResponse) => {
    const state = query.get('state') ?? 'open';
    const head = query.get('head');
    const baseRef = query.get('base');
    let list = [...(await refresh(owner, repo))].filter(p => state === 'all' || p.state === state);
    if (head) {
      const [o, b] = head.includes(':') ? head.split(':', 2) : [head, undefined];
      list = list.filter(p => p.head.label.split(':')[0].toLowerCase() === o.toLowerCase() && (b === undefined || p.head.ref === b));
    }
    if (baseRef) list = list.filter(p => p.base.ref === baseRef);
    const direction = query.get('direction') ?? 'desc';
    list.sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const links: string[] = [];
    const link = (p: number, rel: string) => {
      const q = new URLSearchParams(query);
      q.set('page', String(p));
      q.set('per_page', String(perPage));
      links.push(`<${store.apiUrl}/repos/${owner}/${repo}/pulls?${q}>; rel="${rel}"`);
    };
    if (page < last) {
      link(page + 1, 'next');
      link(last, 'last');
    }
    if (page > 1) {
      link(page - 1, 'prev');
      link(1, 'first');
    }
    if (links.length) res.setHeader('Link', links.join(', '));
    return list.slice((page - 1) * perPage, page * perPage);
  };

  /**
   * Merges a pull request as GitHub's merge button does: a merge commit on the
   * base branch (or a fast-forward when `fastForward`), then closes it.
   */
  const mergePull = async (owner: string, repo: string, number: number, mergeOpts: { fastForward?: boolean } = {}) => {
    const pr = await findPull(owner, repo, number);
    if (pr.state !== 'open') throw new Error(`pull request #${number} is not open`);
    const dir = gitDirOf(owner, repo);
    let merged: string;
    if (mergeOpts.fastForward) {
      const ff = await gitOk(dir, ['merge-base', '--is-ancestor', pr.base.sha, pr.head.sha]);
      if (ff === undefined) throw new Error(`pull request #${number} cannot be fast-forwarded`);
      merged = pr.head.sha;
    } else {
      const tree = await gitText(dir, ['merge-tree', '--write-tree', pr.base.sha, pr.head.sha]);
      merged = await gitText(dir, [
        'commit-tree', tree.split('\n')[0], '-p', pr.base.sha, '-p', pr.head.sha,
        '-m', `Merge pull request #${number} from ${pr.head.label.replace(':', '/')}\n\n${pr.title}`,
      ]);
    }
    await gitText(dir, ['update-ref', `refs/heads/${pr.base.ref}`, merged, pr.base.sha]);
    const time = now();
    Object.assign(pr, { state: 'closed', merged: true, merged_at: time, closed_at: time, updated_at: time, merge_commit_sha: merged });
    return merged;
  };

  return { refresh, createPull, findPull, updatePull, listPulls, mergePull };
}
