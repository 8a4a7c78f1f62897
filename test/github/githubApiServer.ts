/*
 * A small GitHub REST API on loopback for integration tests, beside the
 * loopback Git server (test/servers/gitHttpServer.ts): repositories are the
 * bare repositories `<repoRoot>/<owner>/<repo>.git` that the Git server serves,
 * so branches pushed with git are visible here. Pull requests, commit
 * statuses and comments live in memory. Requests and responses follow GitHub's shapes for
 * the endpoints it serves:
 *
 *   GET   /repos/{owner}/{repo}
 *   GET   /repos/{owner}/{repo}/pulls            (?state, head=owner:branch, base, per_page, page)
 *   POST  /repos/{owner}/{repo}/pulls
 *   GET   /repos/{owner}/{repo}/pulls/{number}
 *   PATCH /repos/{owner}/{repo}/pulls/{number}
 *   GET   /repos/{owner}/{repo}/issues/{number}/comments
 *   POST  /repos/{owner}/{repo}/issues/{number}/comments
 *   PATCH /repos/{owner}/{repo}/issues/comments/{id}
 *   POST  /repos/{owner}/{repo}/statuses/{sha}
 *   GET   /repos/{owner}/{repo}/git/ref/heads/{branch}
 *
 * Every path may also carry the `/api/v3` prefix of GitHub Enterprise Server.
 * Tokens (`Authorization: token <t>` or `Bearer <t>`) are checked against a set
 * a test can change; a bad one gets 401 `{"message":"Bad credentials"}`. Like
 * GitHub, the server keeps `refs/pull/<n>/head` of every pull request in the
 * repository, and builds `push` and `pull_request` webhook payloads.
 *
 * This file starts the HTTP server (authentication, answers, requests log) and
 * builds the handle tests use; the store, repositories, pull requests, commit
 * statuses, comments and routes are in the githubApiStore, githubRepositories,
 * githubPulls, githubStatuses, githubComments and githubRoutes files beside it.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { createGitHubApiStore } from './githubApiStore';
import { createGitHubComments } from './githubComments';
import { DOCS, HttpError, ZERO_SHA } from './githubHttp';
import { createGitHubPulls } from './githubPulls';
import { createGitHubRepositories } from './githubRepositories';
import { createGitHubRouter } from './githubRoutes';
import { createGitHubStatuses } from './githubStatuses';
import { pushEventPayload } from './pushEventPayload';
import { GitHubApiServer, GitHubApiServerOptions, RecordedRequest } from './githubTypes';

export * from './githubTypes';
export { signWebhook, webhookHeaders } from './webhookSigning';

/** Starts the API on a free loopback port. */
export async function startGitHubApiServer(opts: GitHubApiServerOptions): Promise<GitHubApiServer> {
  const store = createGitHubApiStore(opts);
  const { web, tokens, login, requests, statuses } = store;
  const repos = createGitHubRepositories(store);
  const pulls = createGitHubPulls(store, repos);
  const route = createGitHubRouter(store, repos, pulls, createGitHubStatuses(store, repos), createGitHubComments(store, repos, pulls));
  const { userJson, gitDirOf, repoJson, branchSha } = repos;
  const { refresh, createPull, findPull, mergePull } = pulls;

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
  store.apiUrl = `http://127.0.0.1:${port}`;

  const strip = <T>(value: T): T => JSON.parse(JSON.stringify(value));

  return {
    url: store.apiUrl,
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
      strip(statuses.filter(s => s.url.startsWith(`${store.apiUrl}/repos/${owner}/${repo}/`) && (!sha || s.sha === sha))),
    comments: (owner, repo, number) =>
      strip(store.comments.filter(c => c.issue_url === `${store.apiUrl}/repos/${owner}/${repo}/issues/${number}`)),
    createPull: async (owner, repo, input) => strip(await createPull(owner, repo, input)),
    mergePull,
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
