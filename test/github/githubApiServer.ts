/*
 * A small GitHub REST API on loopback for integration tests, beside the
 * loopback Git server (test/servers/gitHttpServer.ts): repositories are the
 * bare repositories `<repoRoot>/<owner>/<repo>.git` that the Git server serves,
 * so branches pushed with git are visible here. Pull requests and commit
 * statuses live in memory. Requests and responses follow GitHub's shapes for
 * the endpoints it serves:
 *
 *   GET   /repos/{owner}/{repo}
 *   GET   /repos/{owner}/{repo}/pulls            (?state, head=owner:branch, base, per_page, page)
 *   POST  /repos/{owner}/{repo}/pulls
 *   GET   /repos/{owner}/{repo}/pulls/{number}
 *   PATCH /repos/{owner}/{repo}/pulls/{number}
 *   POST  /repos/{owner}/{repo}/statuses/{sha}
 *   GET   /repos/{owner}/{repo}/git/ref/heads/{branch}
 *
 * Every path may also carry the `/api/v3` prefix of GitHub Enterprise Server.
 * Tokens (`Authorization: token <t>` or `Bearer <t>`) are checked against a set
 * a test can change; a bad one gets 401 `{"message":"Bad credentials"}`. Like
 * GitHub, the server keeps `refs/pull/<n>/head` of every pull request in the
 * repository, and builds `push` and `pull_request` webhook payloads.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import {
  DOCS,
  HttpError,
  ZERO_SHA,
  gitOk,
  gitText,
  nodeId,
  notFound,
  parseJson,
  readBody,
  stableId,
  validationFailed,
} from './githubHttp';
import { pushEventPayload } from './pushEventPayload';
import {
  GitHubApiServer,
  GitHubApiServerOptions,
  GitHubCommitStatus,
  GitHubPullRequest,
  GitHubRef,
  GitHubUser,
  RecordedRequest,
} from './githubTypes';

export * from './githubTypes';
export { signWebhook, webhookHeaders } from './webhookSigning';

/** Starts the API on a free loopback port. */
export async function startGitHubApiServer(opts: GitHubApiServerOptions): Promise<GitHubApiServer> {
  const repoRoot = path.resolve(opts.repoRoot);
  const web = opts.webBaseUrl.replace(/\/+$/, '');
  const webHost = new URL(web).host;
  const tokens = new Set(opts.tokens);
  const login = opts.login ?? 'hedgehog-bot';
  const requests: RecordedRequest[] = [];
  const pullsByRepo = new Map<string, GitHubPullRequest[]>();
  const statuses: GitHubCommitStatus[] = [];
  let nextId = 1000;
  let lastTime = 0;
  let apiUrl = '';

  /** Strictly increasing timestamps, one second apart at least, as GitHub's are whole seconds. */
  const now = () => {
    lastTime = Math.max(Math.floor(Date.now() / 1000) * 1000, lastTime + 1000);
    return new Date(lastTime).toISOString().replace(/\.\d{3}Z$/, 'Z');
  };

  const userJson = (name: string, type: GitHubUser['type'] = 'User'): GitHubUser => {
    const id = stableId(`user:${name}`);
    return { login: name, id, node_id: nodeId('U', id), type, site_admin: false, html_url: `${web}/${name}`, url: `${apiUrl}/users/${name}` };
  };

  const gitDirOf = (owner: string, repo: string) => path.join(repoRoot, owner, `${repo}.git`);

  const repoExists = (owner: string, repo: string) =>
    /^[A-Za-z0-9_.-]+$/.test(owner) && /^[A-Za-z0-9_.-]+$/.test(repo) && fs.existsSync(path.join(gitDirOf(owner, repo), 'HEAD'));

  const repoJson = async (owner: string, repo: string) => {
    const id = stableId(`repo:${owner}/${repo}`);
    const head = await gitOk(gitDirOf(owner, repo), ['symbolic-ref', '--short', 'HEAD']);
    return {
      id,
      node_id: nodeId('R', id),
      name: repo,
      full_name: `${owner}/${repo}`,
      private: true,
      owner: userJson(owner, 'Organization'),
      html_url: `${web}/${owner}/${repo}`,
      description: null,
      fork: false,
      url: `${apiUrl}/repos/${owner}/${repo}`,
      pulls_url: `${apiUrl}/repos/${owner}/${repo}/pulls{/number}`,
      statuses_url: `${apiUrl}/repos/${owner}/${repo}/statuses/{sha}`,
      git_url: `git://${webHost}/${owner}/${repo}.git`,
      ssh_url: `git@${webHost}:${owner}/${repo}.git`,
      clone_url: `${web}/${owner}/${repo}.git`,
      default_branch: head ?? 'main',
      visibility: 'private',
      archived: false,
      disabled: false,
      permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    };
  };

  const branchSha = (owner: string, repo: string, branch: string) =>
    gitOk(gitDirOf(owner, repo), ['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`]);

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

  const refJson = async (owner: string, repo: string, branch: string, sha: string): Promise<GitHubRef> => ({
    label: `${owner}:${branch}`,
    ref: branch,
    sha,
    user: userJson(owner, 'Organization'),
    repo: await repoJson(owner, repo),
  });

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
    const id = nextId++;
    const time = now();
    const base = `${apiUrl}/repos/${owner}/${repo}`;
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

  const postStatus = async (owner: string, repo: string, sha: string, input: Record<string, any>) => {
    const states = ['error', 'failure', 'pending', 'success'];
    if (!states.includes(input.state)) {
      throw validationFailed([{ resource: 'Status', field: 'state', code: 'custom', message: `state is not included in the list` }]);
    }
    if (typeof input.description === 'string' && input.description.length > 140) {
      throw validationFailed([{ resource: 'Status', field: 'description', code: 'custom', message: 'description is too long (maximum is 140 characters)' }]);
    }
    const full = /^[0-9a-f]{40}$/.test(sha) ? await gitOk(gitDirOf(owner, repo), ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`]) : undefined;
    if (!full) throw new HttpError(422, { message: `No commit found for SHA: ${sha}`, documentation_url: DOCS, status: '422' });
    const id = nextId++;
    const time = now();
    const status: GitHubCommitStatus = {
      url: `${apiUrl}/repos/${owner}/${repo}/statuses/${sha}`,
      avatar_url: null,
      id,
      node_id: nodeId('SC', id),
      state: input.state,
      description: typeof input.description === 'string' ? input.description : null,
      target_url: typeof input.target_url === 'string' ? input.target_url : null,
      context: typeof input.context === 'string' && input.context ? input.context : 'default',
      created_at: time,
      updated_at: time,
      creator: userJson(login, 'Bot'),
      sha,
    };
    statuses.push(status);
    const { sha: _omit, ...response } = status;
    return { ...response, repository: `${owner}/${repo}` } as Record<string, unknown>;
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
      links.push(`<${apiUrl}/repos/${owner}/${repo}/pulls?${q}>; rel="${rel}"`);
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

  const route = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string, query: URLSearchParams) => {
    const method = req.method ?? 'GET';
    const body = method === 'GET' ? {} : parseJson(await readBody(req));
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
    if (!m) throw notFound();
    const [, owner, repo, rest = ''] = m;
    if (!repoExists(owner, repo)) throw notFound();
    let match: RegExpExecArray | null;
    if (rest === '' && method === 'GET') return [200, await repoJson(owner, repo)] as const;
    if (rest === '/pulls' && method === 'GET') return [200, await listPulls(owner, repo, query, res)] as const;
    if (rest === '/pulls' && method === 'POST') return [201, await createPull(owner, repo, body)] as const;
    if ((match = /^\/pulls\/(\d+)$/.exec(rest))) {
      if (method === 'GET') return [200, await findPull(owner, repo, Number(match[1]))] as const;
      if (method === 'PATCH') return [200, await updatePull(owner, repo, Number(match[1]), body)] as const;
    }
    if ((match = /^\/statuses\/([^/]+)$/.exec(rest)) && method === 'POST') {
      return [201, await postStatus(owner, repo, match[1], body)] as const;
    }
    if ((match = /^\/git\/ref\/(.+)$/.exec(rest)) && method === 'GET') {
      // Clients send `heads/a/b` or, URL-encoded, `heads%2Fa%2Fb`: GitHub accepts both.
      const ref = decodeURIComponent(match[1]);
      if (!ref.startsWith('heads/')) throw notFound();
      const branch = ref.slice('heads/'.length);
      const sha = await branchSha(owner, repo, branch);
      if (!sha) throw notFound();
      const refUrl = `${apiUrl}/repos/${owner}/${repo}/git/refs/heads/${branch}`;
      return [
        200,
        {
          ref: `refs/heads/${branch}`,
          node_id: nodeId('REF', stableId(`${owner}/${repo}/${branch}`)),
          url: refUrl,
          object: { sha, type: 'commit', url: `${apiUrl}/repos/${owner}/${repo}/git/commits/${sha}` },
        },
      ] as const;
    }
    throw notFound();
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const pathname = url.pathname.replace(/^\/api\/v3(?=\/)/, '').replace(/\/+$/, '');
    const record: RecordedRequest = { method: req.method ?? 'GET', path: `${pathname}${url.search}`, status: 0, authenticated: false };
    requests.push(record);
    const send = (status: number, payload: unknown) => {
      record.status = status;
      const text = JSON.stringify(payload);
      res.writeHead(status, {
        'Content-Type': 'application/json; charset=utf-8',
        'X-GitHub-Media-Type': 'github.v3; format=json',
        'X-GitHub-Request-Id': crypto.randomUUID(),
      });
      res.end(text);
    };
    const auth = /^(?:token|bearer)\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!auth) {
      req.resume();
      send(401, { message: 'Requires authentication', documentation_url: DOCS, status: '401' });
      return;
    }
    if (!tokens.has(auth[1])) {
      req.resume();
      send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
      return;
    }
    record.authenticated = true;
    route(req, res, pathname, url.searchParams).then(
      ([status, payload]) => send(status, payload),
      err => {
        if (err instanceof HttpError) send(err.status, err.body);
        else send(500, { message: `test server error: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', s => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  apiUrl = `http://127.0.0.1:${port}`;

  const strip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

  return {
    url: apiUrl,
    port,
    requests,
    stop: () =>
      new Promise<void>(resolve => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
    addToken: t => void tokens.add(t),
    revokeToken: t => void tokens.delete(t),
    pulls: async (owner, repo) => strip(await refresh(owner, repo)),
    statuses: (owner, repo, sha) =>
      strip(statuses.filter(s => s.url.startsWith(`${apiUrl}/repos/${owner}/${repo}/`) && (!sha || s.sha === sha))),
    createPull: async (owner, repo, input) => strip(await createPull(owner, repo, input)),
    async mergePull(owner, repo, number, mergeOpts = {}) {
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
    },
    async pushEvent(owner, repo, input) {
      const repository = await repoJson(owner, repo);
      const after = input.after ?? (await branchSha(owner, repo, input.branch)) ?? ZERO_SHA;
      return pushEventPayload({ dir: gitDirOf(owner, repo), web, owner, repo, login, repository, sender: userJson(login) }, { ...input, after });
    },
    async pullRequestEvent(owner, repo, number, action) {
      const pr = await findPull(owner, repo, number);
      return {
        action,
        number,
        pull_request: strip(pr),
        repository: await repoJson(owner, repo),
        sender: userJson(login),
      };
    },
  };
}
