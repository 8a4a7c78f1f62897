/* eslint jest/no-standalone-expect: ["error", { "additionalTestBlockFunctions": ["rootOnly"] }] */
/*
 * Section 20.10 — the working directory and the askpass helper are private.
 *
 * git runs the plugin's askpass helper with the Git credentials in its
 * environment, and the cached repositories live beside it. On a shared host
 * another user could pre-create the working directory (its default name is
 * predictable) and swap the helper. The real plugin (startTestBackend) is
 * started on working directories another user owns (`nobody`, as root can set
 * up), that are group- or world-writable, or whose repos/ or branches/ folder
 * is: it must refuse to start, saying why. While it runs, the helper is in a
 * folder private to the process: a process running as `nobody` can neither
 * change nor replace it, and a helper changed behind the plugin's back is
 * refused rather than run. The default location is private as well.
 */
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBareRepo, GitHttpServer, pushFiles, startGitHttpServer } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { sg } from './lib/corpus';
import { SectionSummary } from './lib/summary';

jest.setTimeout(180_000);

const summary = new SectionSummary('section 20.10 (private working directory and askpass helper)');
const CANARY = `canary${crypto.randomBytes(12).toString('hex')}`;
const NOBODY = 65534;
/** Cases that need another user run as root only: only root can give a folder to `nobody` or run as it. */
const asRoot = process.getuid?.() === 0;
const rootOnly = asRoot ? it : it.skip;

let root: string;
let git: GitHttpServer;
let repoUrl: string;
const started: TestBackend[] = [];

/** Runs a shell command as `nobody`; returns its exit code. */
function asNobody(script: string): number {
  const r = spawnSync('sh', ['-c', script], { uid: NOBODY, gid: NOBODY, stdio: 'ignore', timeout: 10_000 });
  return r.status ?? -1;
}

/** A fabric on the authenticated Git server, its password the canary (through the askpass helper). */
const hedgehogConfig = (workingDirectory?: string) => ({
  ...(workingDirectory ? { workingDirectory } : {}),
  git: { timeoutSeconds: 20 },
  fabrics: [{ name: 'lab', git: { url: repoUrl, branch: 'main', path: 'fabric' } }],
});
const integrations = () => ({ gitea: [{ host: `127.0.0.1:${git.port}`, username: 'hedgehog', password: CANARY }] });

async function start(workingDirectory?: string, extra: object = {}): Promise<TestBackend> {
  const backend = await startHedgehogBackend(hedgehogConfig(workingDirectory), {
    extraConfig: { integrations: integrations(), ...extra },
  });
  started.push(backend);
  return backend;
}

async function sync(backend: TestBackend) {
  const res = await backend.post('/fabrics/lab/sync', {});
  expect(res.status).toBe(202);
  return backend.waitForRun(res.body.runId, 60_000);
}

/** A script that records the password it is asked for in `capture`, then answers as the real helper does. */
const thief = (capture: string) =>
  `#!/bin/sh\nprintf '%s\\n' "$HEDGEHOG_GIT_PASSWORD" >> '${capture}'\ncase "$1" in Username*) printf '%s\\n' "$HEDGEHOG_GIT_USERNAME" ;; *) printf '%s\\n' "$HEDGEHOG_GIT_PASSWORD" ;; esac\n`;

const exists = (p: string) => fs.access(p).then(() => true, () => false);

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-workdir-'));
  // other users may pass through (not list) the test folder, as through /tmp
  await fs.chmod(root, 0o711);
  git = await startGitHttpServer({ projectRoot: path.join(root, 'git'), username: 'hedgehog', password: CANARY });
  await createBareRepo(path.join(root, 'git', 'lab.git'));
  repoUrl = git.url('lab.git');
  const askpass = path.join(root, 'push-askpass.sh');
  await fs.writeFile(askpass, '#!/bin/sh\ncase "$1" in Username*) echo hedgehog;; *) echo "$P";; esac\n', { mode: 0o700 });
  await pushFiles(repoUrl, { 'fabric/raw/groups.yaml': sg('workdir-a') }, { env: { GIT_ASKPASS: askpass, P: CANARY } });
}, 60_000);

afterAll(async () => {
  for (const b of started) await b.stop().catch(() => undefined);
  await git?.stop();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 20.10: a working directory another user controls is refused at start', () => {
  rootOnly(
    'pre-created by another user who keeps swapping in its own askpass helper: refused, the credentials never reach the script',
    summary.track('pre-created by another user, helper swapped', async () => {
      const wd = path.join(root, 'attacker');
      const capture = path.join(wd, 'captured');
      await fs.mkdir(wd, { mode: 0o755 });
      await fs.writeFile(path.join(wd, 'evil.sh'), thief(capture), { mode: 0o755 });
      await fs.chown(wd, NOBODY, NOBODY);
      await fs.chown(path.join(wd, 'evil.sh'), NOBODY, NOBODY);
      // the other user swaps its script in wherever a helper may be, every few ms
      const swap = `while :; do for f in '${wd}/git-askpass.sh' '${wd}'/askpass-*/git-askpass.sh; do cp '${wd}/evil.sh' '${wd}/.s' 2>/dev/null && mv -f '${wd}/.s' "$f" 2>/dev/null; done; sleep 0.005; done`;
      const swapper = spawn('sh', ['-c', swap], { uid: NOBODY, gid: NOBODY, stdio: 'ignore' });
      try {
        let refused: Error | undefined;
        let backend: TestBackend | undefined;
        try {
          backend = await start(wd);
        } catch (e) {
          refused = e as Error;
        }
        if (backend) for (let i = 0; i < 3; i++) await sync(backend);
        expect(await exists(capture)).toBe(false);
        expect(refused?.message).toMatch(
          new RegExp(`the hedgehog working directory \\(hedgehog\\.workingDirectory\\) ${wd} is not private to this process's user: it is owned by another user \\(uid ${NOBODY}; this process runs as uid 0\\)`),
        );
      } finally {
        swapper.kill('SIGKILL');
      }
    }),
  );

  const shared: Array<[string, number, RegExp]> = [
    ['world-writable', 0o777, /it is writable by every user \(mode 777\)/],
    ['group-writable', 0o775, /it is writable by its group \(mode 775\)/],
  ];
  shared.forEach(([what, mode, reason]) =>
    it(
      `${what}: refused`,
      summary.track(`${what} working directory`, async () => {
        const wd = path.join(root, `shared-${mode.toString(8)}`);
        await fs.mkdir(wd);
        await fs.chmod(wd, mode);
        await expect(start(wd)).rejects.toThrow(reason);
        // nothing was written there
        expect(await fs.readdir(wd)).toEqual([]);
      }),
    ),
  );

  rootOnly(
    'its repos/ or branches/ folder owned by another user or world-writable: refused',
    summary.track('repos/ and branches/ folders', async () => {
      const wd = path.join(root, 'sub');
      await fs.mkdir(path.join(wd, 'repos'), { recursive: true, mode: 0o700 });
      await fs.chown(path.join(wd, 'repos'), NOBODY, NOBODY);
      await expect(start(wd)).rejects.toThrow(/the folder repos\/ of the hedgehog working directory .* is owned by another user/);
      await fs.chown(path.join(wd, 'repos'), 0, 0);
      await fs.mkdir(path.join(wd, 'branches'));
      await fs.chmod(path.join(wd, 'branches'), 0o777);
      await expect(start(wd)).rejects.toThrow(/the folder branches\/ of the hedgehog working directory .* is writable by every user/);
    }),
  );
});

describe('section 20.10: while the backend runs, the askpass helper is private to it', () => {
  rootOnly(
    'another user can neither change nor replace the helper; a changed helper is refused, never run',
    summary.track('askpass helper private', async () => {
      const wd = path.join(root, 'work');
      const backend = await start(wd);
      // the helper answers git: the sync fetched through the authenticated server
      expect((await sync(backend)).status).toMatch(/^(succeeded|partial)$/);
      expect((await fs.stat(wd)).mode & 0o777).toBe(0o700);
      const folders = (await fs.readdir(wd)).filter(n => n.startsWith(`askpass-${process.pid}-`));
      expect(folders).toHaveLength(1);
      const folder = path.join(wd, folders[0]);
      const helper = path.join(folder, 'git-askpass.sh');
      expect((await fs.stat(folder)).mode & 0o777).toBe(0o700);
      expect((await fs.lstat(helper)).mode & 0o777).toBe(0o700);
      const capture = path.join(root, 'captured-by-nobody');
      await fs.writeFile(path.join(root, 'evil.sh'), thief(capture), { mode: 0o755 });
      for (const attempt of [
        `printf 'exit 0' > '${helper}'`,
        `cp '${root}/evil.sh' '${folder}/x' && mv -f '${folder}/x' '${helper}'`,
        `rm -f '${helper}'`,
        `mkdir '${wd}/askpass-1-x'`,
        `ln -s '${root}/evil.sh' '${wd}/repos/evil'`,
      ]) {
        expect([attempt, asNobody(attempt) === 0]).toEqual([attempt, false]);
      }
      expect((await fs.readFile(helper, 'utf8')).includes('HEDGEHOG_GIT_PASSWORD')).toBe(true);

      // changed behind the plugin's back (e.g. by a process of the same user): not run
      await fs.writeFile(helper, thief(capture));
      const run = await sync(backend);
      expect(run.status).toBe('failed');
      expect(JSON.stringify(run)).toMatch(/the git askpass helper .* is not the one this process wrote \(its content changed\); refusing to hand it credentials/);
      expect(await exists(capture)).toBe(false);
    }),
  );

  it(
    "by default: hedgehog/ in backend.workingDirectory, else a folder of the temporary directory named after the user, mode 0700",
    summary.track('default working directory', async () => {
      const backstageWd = path.join(root, 'backstage-wd');
      await fs.mkdir(backstageWd, { mode: 0o755 });
      await start(undefined, { backend: { workingDirectory: backstageWd } });
      expect((await fs.stat(path.join(backstageWd, 'hedgehog'))).mode & 0o777).toBe(0o700);

      // (os.tmpdir() reads the process's real environment: the folder is the machine's, shared by its tests)
      await start(undefined);
      const uid = process.getuid?.() ?? os.userInfo().username;
      const own = await fs.stat(path.join(os.tmpdir(), `backstage-hedgehog-${uid}`));
      expect([own.isDirectory(), own.mode & 0o777, own.uid]).toEqual([true, 0o700, process.getuid?.() ?? own.uid]);
    }),
  );
});
