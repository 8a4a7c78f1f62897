/*
 * Checks the GitHub API test server against the shapes GitHub uses, beside a
 * real loopback Git server serving the same bare repositories.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBareRepo, pushFiles, remoteHead, runGit } from '../servers/gitRepos';
import { startGitHttpServer } from '../servers/gitHttpServer';
import { GitHubApiServer, signWebhook, startGitHubApiServer } from './githubApiServer';

jest.setTimeout(60_000);

const TOKEN = 'ghp_selftest_token_123456';

describe('GitHub API test server', () => {
  let root: string;
  let git: Awaited<ReturnType<typeof startGitHttpServer>>;
  let github: GitHubApiServer;
  let env: Record<string, string>;
  const dir = () => path.join(root, 'acme', 'repo.git');

  beforeAll(async () => {
    root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'github-api-test-'));
    git = await startGitHttpServer({ projectRoot: root, username: 'x-access-token', password: TOKEN });
    github = await startGitHubApiServer({ repoRoot: root, webBaseUrl: `http://127.0.0.1:${git.port}`, tokens: [TOKEN] });
    const askpass = path.join(root, 'askpass.sh');
    await fs.promises.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo x-access-token;; *) echo "$T_PASS";; esac\n', { mode: 0o700 });
    env = { GIT_ASKPASS: askpass, T_PASS: TOKEN };
    await createBareRepo(dir());
    await pushFiles(git.url('acme/repo.git'), { 'README.md': 'hi\n' }, { env });
    await runGit([`--git-dir=${dir()}`, 'update-ref', 'refs/heads/feature/x', await remoteHead(dir())]);
    await pushFiles(git.url('acme/repo.git'), { 'a.txt': 'a\n' }, { env, branch: 'feature/x' });
  });

  afterAll(async () => {
    await github?.stop();
    await git?.stop();
    await fs.promises.rm(root, { recursive: true, force: true });
  });

  const call = async (method: string, p: string, body?: unknown, token = TOKEN) => {
    const res = await fetch(`${github.url}/api/v3${p}`, {
      method,
      headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any, link: res.headers.get('link') };
  };

  it('checks tokens like GitHub', async () => {
    expect(await call('GET', '/repos/acme/repo', undefined, 'wrong')).toMatchObject({ status: 401, body: { message: 'Bad credentials' } });
    const anonymous = await fetch(`${github.url}/repos/acme/repo`);
    expect(anonymous.status).toBe(401);
    github.revokeToken(TOKEN);
    expect((await call('GET', '/repos/acme/repo')).status).toBe(401);
    github.addToken(TOKEN);
  });

  it('serves repositories and branch refs from the bare repository', async () => {
    const repo = await call('GET', '/repos/acme/repo');
    expect(repo).toMatchObject({
      status: 200,
      body: { full_name: 'acme/repo', default_branch: 'main', clone_url: git.url('acme/repo.git'), html_url: `http://127.0.0.1:${git.port}/acme/repo` },
    });
    expect((await call('GET', '/repos/acme/nope')).status).toBe(404);
    const sha = await remoteHead(dir(), 'feature/x');
    for (const ref of ['heads/feature/x', 'heads%2Ffeature%2Fx']) {
      expect((await call('GET', `/repos/acme/repo/git/ref/${ref}`)).body).toMatchObject({ ref: 'refs/heads/feature/x', object: { sha, type: 'commit' } });
    }
    expect((await call('GET', '/repos/acme/repo/git/ref/heads/none')).status).toBe(404);
  });

  it('opens, lists, updates pull requests and keeps refs/pull/<n>/head', async () => {
    const created = await call('POST', '/repos/acme/repo/pulls', { title: 'X', head: 'acme:feature/x', base: 'main', body: 'b' });
    expect(created).toMatchObject({ status: 201, body: { number: 1, state: 'open', head: { ref: 'feature/x', label: 'acme:feature/x' }, base: { ref: 'main' } } });
    const again = await call('POST', '/repos/acme/repo/pulls', { title: 'X', head: 'feature/x', base: 'main' });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].message).toBe('A pull request already exists for acme:feature/x.');
    expect((await call('POST', '/repos/acme/repo/pulls', { title: 'X', head: 'nope', base: 'main' })).body.errors).toEqual([
      { resource: 'PullRequest', field: 'head', code: 'invalid' },
    ]);
    expect((await call('GET', '/repos/acme/repo/pulls?state=open&head=acme:feature/x')).body).toHaveLength(1);
    expect((await call('GET', '/repos/acme/repo/pulls?head=acme:other')).body).toHaveLength(0);

    // a push to the head branch moves the pull request's head, as on GitHub
    const before = created.body.head.sha;
    await pushFiles(git.url('acme/repo.git'), { 'b.txt': 'b\n' }, { env, branch: 'feature/x' });
    const after = await remoteHead(dir(), 'feature/x');
    expect((await call('GET', '/repos/acme/repo/pulls/1')).body.head.sha).toBe(after);
    expect(after).not.toBe(before);
    expect((await runGit([`--git-dir=${dir()}`, 'rev-parse', 'refs/pull/1/head'])).stdout.toString().trim()).toBe(after);

    const patched = await call('PATCH', '/repos/acme/repo/pulls/1', { title: 'Y', state: 'closed' });
    expect(patched.body).toMatchObject({ title: 'Y', state: 'closed', body: 'b' });
    expect((await call('GET', '/repos/acme/repo/pulls')).body).toHaveLength(0);
    expect((await call('GET', '/repos/acme/repo/pulls?state=all&per_page=1')).link).toBeNull();
  });

  it('records commit statuses of existing commits', async () => {
    const sha = await remoteHead(dir());
    const ok = await call('POST', `/repos/acme/repo/statuses/${sha}`, { state: 'success', context: 'ci/x', description: 'fine' });
    expect(ok).toMatchObject({ status: 201, body: { state: 'success', context: 'ci/x', description: 'fine' } });
    expect(github.statuses('acme', 'repo', sha)).toEqual([expect.objectContaining({ state: 'success', sha })]);
    expect((await call('POST', `/repos/acme/repo/statuses/${'0'.repeat(40)}`, { state: 'success' })).status).toBe(422);
    expect((await call('POST', `/repos/acme/repo/statuses/${sha}`, { state: 'great' })).status).toBe(422);
    expect((await call('POST', `/repos/acme/repo/statuses/${sha}`, { state: 'success', description: 'x'.repeat(141) })).status).toBe(422);
  });

  it('adds, lists (paged) and edits the comments of a pull request, refusing what GitHub refuses', async () => {
    const pr = await call('POST', '/repos/acme/repo/pulls', { title: 'C', head: 'feature/x', base: 'main' });
    const n = pr.body.number;
    const first = await call('POST', `/repos/acme/repo/issues/${n}/comments`, { body: 'one' });
    expect(first).toMatchObject({ status: 201, body: { body: 'one', issue_url: `${github.url}/repos/acme/repo/issues/${n}`, user: { login: 'hedgehog-bot' } } });
    await call('POST', `/repos/acme/repo/issues/${n}/comments`, { body: 'two' });
    expect((await call('GET', `/repos/acme/repo/issues/${n}/comments?per_page=1&page=2`)).body.map((c: any) => c.body)).toEqual(['two']);
    const edited = await call('PATCH', `/repos/acme/repo/issues/comments/${first.body.id}`, { body: 'one, edited' });
    expect(edited).toMatchObject({ status: 200, body: { id: first.body.id, body: 'one, edited' } });
    expect(github.comments('acme', 'repo', n).map(c => c.body)).toEqual(['one, edited', 'two']);
    expect((await call('POST', `/repos/acme/repo/issues/${n}/comments`, { body: 'x'.repeat(65537) })).status).toBe(422);
    expect((await call('POST', `/repos/acme/repo/issues/${n}/comments`, {})).status).toBe(422);
    expect((await call('POST', '/repos/acme/repo/issues/999/comments', { body: 'x' })).status).toBe(404);
    expect((await call('PATCH', '/repos/acme/repo/issues/comments/1', { body: 'x' })).status).toBe(404);
  });

  it('builds webhook payloads and signatures', async () => {
    const main = await remoteHead(dir());
    await pushFiles(git.url('acme/repo.git'), { 'README.md': 'changed\n', 'c/d.txt': 'd\n' }, { env });
    const push = await github.pushEvent('acme', 'repo', { branch: 'main', before: main });
    expect(push).toMatchObject({ ref: 'refs/heads/main', before: main, after: await remoteHead(dir()), repository: { full_name: 'acme/repo' } });
    expect((push.commits as any[]).map(c => [c.added, c.modified, c.removed])).toEqual([[['c/d.txt'], ['README.md'], []]]);
    expect(signWebhook('It\'s a Secret to Everybody', 'Hello, World!')).toBe(
      'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });
});
