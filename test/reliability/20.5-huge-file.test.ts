/*
 * Section 20.5 — a multi-GB raw file does not exhaust the backend's memory.
 *
 * A backend in its own process (lib/childBackend.ts, action "sync") syncs a
 * repository on loopback (file://) whose raw/ holds a 2 GiB file of one YAML line
 * repeated — git stores it in a few MB, so anybody can push it — next to a valid
 * VPC. The file is made by git from a stream (`yes | head -c | git hash-object`,
 * test/servers/generatedFiles.ts), so this process never holds it either. The
 * backend's RSS is sampled from /proc/<pid>/status all along, and the child
 * prints its peak (getrusage) before it exits. The sync must end, the file must be
 * in unmanaged/ under the same blob with a reason saying it is over the limit,
 * and the peak must stay far below the file's size. Before the fix the backend
 * read the blob whole (the object reader's chunks, then their copy) before the
 * size limit was checked.
 */
import { commitGeneratedFile, createBareRepo, pushFiles, readRemoteFile, runGit } from '@internal/fabric-gitops-test';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { Child, spawnChild, stopChildren } from './lib/children';
import { fabricTree } from './lib/repo';
import { startRssSampler } from './lib/rssSampler';
import { SectionSummary } from './lib/summary';

jest.setTimeout(600_000);

const summary = new SectionSummary('section 20.5 (memory: a 2 GiB raw file is kept in unmanaged/ without being read)');
const HUGE_BYTES = 2 * 1024 ** 3;
/** The backend's peak RSS may not exceed this (it was above the file's size before the fix). */
const RSS_BOUND = 400 * 1024 ** 2;
const VPC = 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n';

let root: string;
let repo: string;
let huge: { blobId: string };
let child: Child | undefined;
let done: string | undefined;
let peak = { sampled: 0, samples: 0, rusage: 0 };
let syncMs = 0;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-huge-'));
  repo = await createBareRepo(path.join(root, 'fabric.git'));
  // zlib's fastest level for what the fetch packs: the test's time goes to git, not to the backend
  await runGit([`--git-dir=${repo}`, 'config', 'pack.compression', '1']);
  await pushFiles(`file://${repo}`, { 'fabric/raw/vpc.yaml': VPC });
  huge = await commitGeneratedFile(repo, 'fabric/raw/huge.yaml', `yes 'vlan: 1000' | head -c ${HUGE_BYTES}`);

  const t0 = Date.now();
  child = spawnChild({
    action: 'sync',
    db: { sqlite: path.join(root, 'hedgehog.sqlite') },
    workingDirectory: path.join(root, 'work'),
    fabrics: [{ name: 'big', url: `file://${repo}` }],
    timeoutMs: 300_000,
  });
  const rss = startRssSampler(child.proc.pid!);
  try {
    done = await child.waitFor(/^DONE /, 540_000);
    const maxRss = await child.waitFor(/^MAXRSS /, 10_000);
    peak.rusage = Number(maxRss.split(' ')[1]) * 1024;
  } finally {
    const sampled = rss.stop();
    peak = { ...peak, sampled: sampled.maxBytes, samples: sampled.samples };
    syncMs = Date.now() - t0;
  }
});

afterAll(async () => {
  await stopChildren([child]);
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 20.5: a huge raw file', () => {
  it(
    'the sync ends, and the file is in unmanaged/ under the same blob with a reason saying it is over the limit',
    summary.track('sync ends, file kept by blob id with its reason', async () => {
      expect(done).toMatch(/^DONE \S+ succeeded$/);
      const tree = await fabricTree(repo, 'fabric');
      expect(tree.has('raw/huge.yaml')).toBe(false);
      expect(tree.get('unmanaged/huge.yaml')?.blobId).toBe(huge.blobId);
      expect(tree.has('managed/vpcs/vpc-1.yaml')).toBe(true);
      const reason = parse((await readRemoteFile(repo, 'fabric/unmanaged/huge.yaml.reason.yaml')).toString());
      expect(reason).toEqual({
        source: 'raw/huge.yaml',
        reasons: [{ rule: 'too-large', message: `file is ${HUGE_BYTES} bytes; files over 10485760 bytes are not parsed` }],
      });
    }),
  );

  it(
    `the backend's RSS stayed below ${RSS_BOUND / 1024 ** 2} MB (the file is ${HUGE_BYTES / 1024 ** 2} MB)`,
    summary.track('backend RSS bounded', async () => {
      // eslint-disable-next-line no-console
      console.log(
        `[reliability] section 20.5: sync of a ${HUGE_BYTES / 1024 ** 2} MB raw file took ${syncMs} ms; backend peak RSS ${Math.round(peak.rusage / 1024 ** 2)} MB (getrusage), largest of ${peak.samples} /proc samples ${Math.round(peak.sampled / 1024 ** 2)} MB`,
      );
      expect(peak.samples).toBeGreaterThan(10);
      expect(peak.sampled).toBeLessThan(RSS_BOUND);
      expect(peak.rusage).toBeLessThan(RSS_BOUND);
    }),
  );
});
