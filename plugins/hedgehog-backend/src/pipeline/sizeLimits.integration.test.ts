import { TestDatabases } from '@backstage/backend-test-utils';
import { commitGeneratedFile, createBareRepo, pushFiles, readRemoteFile, readRemoteTree } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { parse } from 'yaml';
import { BranchRepository } from '../git/BranchRepository';
import { GitWorkspace } from '../git/GitWorkspace';
import { closeObjectReaders } from '../git/ObjectReader';
import { ParseCache } from '../gitops/ParseCache';
import { DEFAULT_PARSE_LIMITS } from '../gitops/parse';
import { createTestService, testFabric } from '../__testUtils__/harness';
import { BlobSource, readParsed } from './readParsed';

jest.setTimeout(240_000);

/** 256 MiB of one YAML line repeated: git stores it in a few hundred kB. */
const HUGE_BYTES = 256 * 1024 * 1024;
const VPC = 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: vpc-1\nspec:\n  subnets:\n    default:\n      subnet: 10.0.1.0/24\n      vlan: 1001\n';
const AUTHOR = { name: 'T', email: 't@example.com' };

/**
 * A raw file over the size limit (10 MiB) is never read into the backend: its size
 * comes from Git first, and the sync moves it to unmanaged/ by its blob id. The
 * memory bound is what fails when the blob is read whole (the reader's chunks and
 * their copy: twice its size).
 */
describe('files over the size limit are never read', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  let dir: string;
  let url: string;
  let huge: { blobId: string };

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-size-'));
    dir = await createBareRepo(path.join(root, 'fabric.git'));
    url = `file://${dir}`;
    await pushFiles(url, { 'fabrics/lab/raw/vpc.yaml': VPC });
    huge = await commitGeneratedFile(dir, 'fabrics/lab/raw/huge.yaml', `yes 'vlan: 1000' | head -c ${HUGE_BYTES}`);
  });
  afterAll(async () => {
    closeObjectReaders();
    await fs.rm(root, { recursive: true, force: true });
  });

  /** readParsed over a source: what the huge and the small file read as, how many blobs it read, the RSS it added. */
  async function readBoth(source: BlobSource, entries: Array<{ path: string; mode: string; blobId: string }>) {
    global.gc?.();
    const before = process.memoryUsage().rss;
    const { parsed, read } = await readParsed(source, new ParseCache(), entries);
    const grown = process.memoryUsage().rss - before;
    const byPath = (p: string) => parsed(entries.find(e => e.path === p)!);
    return { grown, huge: byPath('raw/huge.yaml'), small: byPath('raw/vpc.yaml'), read };
  }

  const sizeOnly = {
    huge: {
      ok: false,
      tooLarge: true,
      reason: `file is ${HUGE_BYTES} bytes; files over ${DEFAULT_PARSE_LIMITS.maxFileBytes} bytes are not parsed`,
    },
    small: expect.objectContaining({ ok: true }),
    read: 1,
  };

  it('in a sync: the fabric workspace reads its size only (object reader, and its fallback)', async () => {
    const ws = await GitWorkspace.open({
      cacheDir: path.join(root, 'ws'),
      url,
      branch: 'main',
      dirPath: 'fabrics/lab',
      author: AUTHOR,
      timeoutMs: 60_000,
    });
    const entries = await ws.listTree(await ws.fetch());
    const { grown, ...result } = await readBoth(ws, entries);
    expect(grown).toBeLessThan(96 * 1024 * 1024);
    expect(result).toEqual(sizeOnly);
    // the fallback when the reader cannot answer: one cat-file --batch-check, then --batch of what fits
    closeObjectReaders();
    const fallback = await (ws as any).catFileBatch([huge.blobId], DEFAULT_PARSE_LIMITS.maxFileBytes);
    expect(fallback.blobs.size).toBe(0);
    expect([...fallback.tooLarge]).toEqual([[huge.blobId, HUGE_BYTES]]);
  });

  it('in pull-request validation and adoption: the branch repository reads its size only', async () => {
    const { grown, ...result } = await BranchRepository.use(
      { cacheDir: path.join(root, 'branches'), url, author: AUTHOR, timeoutMs: 60_000 },
      async repo => {
        const head = (await repo.fetch(['refs/heads/main'])).get('refs/heads/main')!;
        return readBoth(repo, await repo.listTree(head, 'fabrics/lab'));
      },
    );
    expect(grown).toBeLessThan(96 * 1024 * 1024);
    expect(result).toEqual(sizeOnly);
  });

  it('a sync keeps it in unmanaged/ by its blob id, with a reason that says it is over the limit', async () => {
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)], timeoutMs: 120_000 });
    try {
      const run = await env.sync();
      expect([run.status, run.error]).toEqual(['succeeded', undefined]);
      const tree = await readRemoteTree(dir);
      expect(tree.has('fabrics/lab/raw/huge.yaml')).toBe(false);
      expect(tree.get('fabrics/lab/unmanaged/huge.yaml')?.blobId).toBe(huge.blobId);
      expect(tree.has('fabrics/lab/managed/vpcs/vpc-1.yaml')).toBe(true);
      const reason = parse((await readRemoteFile(dir, 'fabrics/lab/unmanaged/huge.yaml.reason.yaml')).toString());
      expect(reason).toEqual({
        source: 'raw/huge.yaml',
        reasons: [{ rule: 'too-large', message: `file is ${HUGE_BYTES} bytes; files over ${DEFAULT_PARSE_LIMITS.maxFileBytes} bytes are not parsed` }],
      });
      const plan = run.stages.find(s => s.name === 'plan')!;
      expect(plan.counts).toMatchObject({ filesRead: 1 });
      const kept = await env.store.listUnmanaged('lab');
      expect(kept.items.find(i => i.path === 'unmanaged/huge.yaml')?.reasons[0].message).toMatch(/over 10485760 bytes/);
    } finally {
      await env.cleanup();
    }
  });
});
