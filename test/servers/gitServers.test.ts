/*
 * Checks the loopback Git servers end to end with the real git CLI:
 * push through the server, clone back, authentication, latency and hangs.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  commitCount,
  createBareRepo,
  pushFiles,
  readRemoteFile,
  readRemoteTree,
  remoteHead,
  runGit,
  startGitDaemon,
  startGitHttpServer,
} from './index';

jest.setTimeout(60_000);

let tmp: string;
let cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'git-servers-test-'));
});

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  await fs.promises.rm(tmp, { recursive: true, force: true });
});

/** Writes a GIT_ASKPASS helper that answers from TEST_GIT_USERNAME/PASSWORD. */
async function writeAskpass(dir: string): Promise<string> {
  const file = path.join(dir, 'askpass.sh');
  await fs.promises.writeFile(
    file,
    [
      '#!/bin/sh',
      'case "$1" in',
      '  Username*) printf \'%s\\n\' "$TEST_GIT_USERNAME" ;;',
      '  *) printf \'%s\\n\' "$TEST_GIT_PASSWORD" ;;',
      'esac',
      '',
    ].join('\n'),
    { mode: 0o755 },
  );
  return file;
}

const BINARY = Buffer.from([0, 1, 2, 0x0d, 0x0a, 253, 254, 255]);

/** Pushes two commits through `url`, checks the bare repo and a clone. */
async function roundTrip(url: string, repoDir: string, env: NodeJS.ProcessEnv) {
  const sha1 = await pushFiles(
    url,
    { 'README.md': 'hello\n', 'dir/data.bin': BINARY },
    { env, message: 'first' },
  );
  expect(sha1).toMatch(/^[0-9a-f]{40}$/);
  expect(await remoteHead(repoDir)).toBe(sha1);
  expect(await commitCount(repoDir)).toBe(1);

  const sha2 = await pushFiles(
    url,
    { 'README.md': null, 'dir/new.yaml': 'a: 1\n' },
    { env, message: 'second', symlinks: { link: 'dir/new.yaml' } },
  );
  expect(await remoteHead(repoDir)).toBe(sha2);
  expect(await commitCount(repoDir)).toBe(2);

  // What the bare repository holds.
  const tree = await readRemoteTree(repoDir);
  expect([...tree.keys()].sort()).toEqual([
    'dir/data.bin',
    'dir/new.yaml',
    'link',
  ]);
  expect(tree.get('link')!.mode).toBe('120000');
  expect(tree.get('dir/new.yaml')!.mode).toBe('100644');
  expect(await readRemoteFile(repoDir, 'dir/data.bin')).toEqual(BINARY);
  expect((await readRemoteFile(repoDir, 'link')).toString()).toBe(
    'dir/new.yaml',
  );

  // Clone it back through the server.
  const clone = path.join(tmp, 'clone');
  await runGit(['clone', '--quiet', url, clone], { env });
  expect(fs.existsSync(path.join(clone, 'README.md'))).toBe(false);
  expect(await fs.promises.readFile(path.join(clone, 'dir/data.bin'))).toEqual(
    BINARY,
  );
  expect(
    await fs.promises.readFile(path.join(clone, 'dir/new.yaml'), 'utf8'),
  ).toBe('a: 1\n');
  expect(await fs.promises.readlink(path.join(clone, 'link'))).toBe(
    'dir/new.yaml',
  );
  const { stdout } = await runGit(['rev-parse', 'HEAD'], { cwd: clone });
  expect(stdout.toString().trim()).toBe(sha2);
}

/** Minimal HTTP request helper (body optional) for protocol-level checks. */
function request(
  url: string,
  opts: {
    method?: string;
    headers?: http.OutgoingHttpHeaders;
    body?: Buffer;
  } = {},
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: opts.method ?? 'GET', headers: opts.headers, agent: false },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const basic = (user: string, pass: string) =>
  `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;

describe('git daemon', () => {
  it('pushes and clones over git://', async () => {
    const repo = await createBareRepo(path.join(tmp, 'repos', 'demo.git'));
    const daemon = await startGitDaemon(path.join(tmp, 'repos'));
    cleanups.push(daemon.stop);
    expect(daemon.url('demo.git')).toBe(
      `git://127.0.0.1:${daemon.port}/demo.git`,
    );

    await roundTrip(daemon.url('demo.git'), repo, {});

    // Unknown repositories are refused.
    await expect(
      runGit(['ls-remote', daemon.url('missing.git')]),
    ).rejects.toThrow(/not exported|does not appear|No such/i);
  });

  it('stops cleanly', async () => {
    await fs.promises.mkdir(path.join(tmp, 'repos'));
    const daemon = await startGitDaemon(path.join(tmp, 'repos'));
    await daemon.stop();
    await daemon.stop(); // idempotent
    await expect(runGit(['ls-remote', daemon.url('x.git')])).rejects.toThrow();
  });
});

describe('git smart HTTP server', () => {
  const USER = 'alice';
  const PASS = 'correct horse';

  async function setup(opts: { delayMs?: number } = {}) {
    const root = path.join(tmp, 'repos');
    const repo = await createBareRepo(path.join(root, 'demo.git'));
    const server = await startGitHttpServer({
      projectRoot: root,
      username: USER,
      password: PASS,
      ...opts,
    });
    cleanups.push(server.stop);
    const askpass = await writeAskpass(tmp);
    const env = (user: string, pass: string): NodeJS.ProcessEnv => ({
      GIT_ASKPASS: askpass,
      TEST_GIT_USERNAME: user,
      TEST_GIT_PASSWORD: pass,
    });
    return { repo, server, env };
  }

  it('pushes and clones with Basic auth', async () => {
    const { repo, server, env } = await setup();
    const url = server.url('demo.git');
    expect(url).toBe(`http://127.0.0.1:${server.port}/demo.git`);
    await roundTrip(url, repo, env(USER, PASS));
    expect(server.requests).toBeGreaterThan(0);
  });

  it('rejects wrong or missing credentials', async () => {
    const { server, env } = await setup();
    const url = server.url('demo.git');
    await expect(
      runGit(['ls-remote', url], { env: env(USER, 'wrong') }),
    ).rejects.toThrow(/Authentication failed/);
    await expect(
      pushFiles(url, { a: 'a' }, { env: env('mallory', PASS) }),
    ).rejects.toThrow(/Authentication failed/);
    // No askpass and prompts disabled: git cannot ask for a username.
    await expect(runGit(['ls-remote', url])).rejects.toThrow(
      /terminal prompts disabled|could not read Username/,
    );

    // Rotating credentials takes effect immediately.
    server.setCredentials('bob', 'new-secret');
    await expect(
      runGit(['ls-remote', url], { env: env(USER, PASS) }),
    ).rejects.toThrow(/Authentication failed/);
    await runGit(['ls-remote', url], { env: env('bob', 'new-secret') });
  });

  it('speaks CGI correctly (401 challenge, headers, gzip bodies)', async () => {
    const { repo, server, env } = await setup();
    const sha = await pushFiles(
      server.url('demo.git'),
      { f: 'x' },
      { env: env(USER, PASS) },
    );
    const infoRefs = `${server.url(
      'demo.git',
    )}/info/refs?service=git-upload-pack`;

    const denied = await request(infoRefs);
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="git"');

    const ok = await request(infoRefs, {
      headers: { authorization: basic(USER, PASS) },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe(
      'application/x-git-upload-pack-advertisement',
    );
    expect(ok.body.toString('latin1')).toContain(sha);

    const missing = await request(
      `${server.url('nope.git')}/info/refs?service=git-upload-pack`,
      {
        headers: { authorization: basic(USER, PASS) },
      },
    );
    expect(missing.status).toBe(404);

    // A gzip-compressed upload-pack request (protocol v0) yields a pack.
    const pkt = (s: string) =>
      `${(s.length + 4).toString(16).padStart(4, '0')}${s}`;
    const body = zlib.gzipSync(
      Buffer.from(`${pkt(`want ${sha}\n`)}0000${pkt('done\n')}`),
    );
    const pack = await request(`${server.url('demo.git')}/git-upload-pack`, {
      method: 'POST',
      headers: {
        authorization: basic(USER, PASS),
        'content-type': 'application/x-git-upload-pack-request',
        'content-encoding': 'gzip',
        'content-length': body.length,
      },
      body,
    });
    expect(pack.status).toBe(200);
    expect(pack.headers['content-type']).toBe(
      'application/x-git-upload-pack-result',
    );
    expect(pack.body.toString('latin1')).toMatch(/^0008NAK\nPACK/);
    expect(await commitCount(repo)).toBe(1);
  });

  it('delays responses by delayMs', async () => {
    const { server, env } = await setup({ delayMs: 400 });
    const started = Date.now();
    await runGit(['ls-remote', server.url('demo.git')], {
      env: env(USER, PASS),
    });
    // At least the 401 challenge and the authenticated retry.
    expect(server.requests).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it('hangs when asked to, so clients time out', async () => {
    const server = await startGitHttpServer({ projectRoot: tmp, hang: true });
    cleanups.push(server.stop);
    const started = Date.now();
    await expect(
      runGit(['ls-remote', server.url('demo.git')], {
        env: { GIT_HTTP_LOW_SPEED_LIMIT: '1000', GIT_HTTP_LOW_SPEED_TIME: '2' },
        timeoutMs: 15_000,
      }),
    ).rejects.toThrow(/too slow|timed out/i);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1500);
    expect(elapsed).toBeLessThan(10_000);
    expect(server.requests).toBe(1);
  });
});
