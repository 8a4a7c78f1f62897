import { execFileSync } from 'child_process';
import { randomBytes } from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { ObjectReader } from './ObjectReader';

jest.setTimeout(60_000);

const git = (cwd: string, args: string[], input?: Buffer | string) =>
  execFileSync('git', args, { cwd, input, encoding: 'utf8' }).trim();
const write = (cwd: string, content: Buffer | string) => git(cwd, ['hash-object', '-w', '--stdin'], content);

describe('ObjectReader', () => {
  let dir: string;
  const readers: ObjectReader[] = [];
  const ALL = Number.POSITIVE_INFINITY;
  const open = (idleMs = 60_000, legacy?: boolean) => {
    const reader = new ObjectReader(dir, { timeoutMs: 30_000, idleMs, legacy });
    readers.push(reader);
    return reader;
  };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-objects-'));
    git(dir, ['init', '--quiet', '--bare']);
  });
  afterEach(() => readers.splice(0).forEach(r => r.close()));
  afterAll(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('answers pipelined requests in order, missing objects as undefined', async () => {
    const contents = Array.from({ length: 50 }, (_, i) => `object ${i}\n${'x'.repeat(i * 37)}`);
    const ids = contents.map(c => write(dir, c));
    const reader = open();
    const missing = 'f'.repeat(40);
    // many requests at once, of different sizes, with a missing object inside
    const answers = await Promise.all(
      ids.map((id, i) => reader.read(i % 7 === 0 ? [id, missing, id] : [id], i % 2 ? ALL : 10_000)),
    );
    const blob = (i: number) => ({ id: ids[i], type: 'blob', size: Buffer.byteLength(contents[i]), content: Buffer.from(contents[i]) });
    expect(answers).toEqual(ids.map((_, i) => (i % 7 === 0 ? [blob(i), undefined, blob(i)] : [blob(i)])));
    expect(await reader.read([], ALL)).toEqual([]);
  });

  it('reads a large object that arrives in many chunks, bytes intact', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const id = write(dir, big);
    const small = write(dir, 'small\n');
    const [a, b] = await open().read([id, small], big.length);
    expect(a!.content!.equals(big)).toBe(true);
    expect(b!.content!.toString()).toBe('small\n');
  });

  describe.each([
    ['git cat-file --batch-command: sizes first, content only within the limit', false],
    ['git cat-file --batch (git before 2.36): content over the limit skipped as it arrives', true],
  ])('%s', (_title, legacy) => {
    it('answers an object over the limit with its size and without content, in order with the others', async () => {
      const big = randomBytes(2 * 1024 * 1024 + 5);
      const id = write(dir, big);
      const small = write(dir, 'small and within\n');
      const reader = open(60_000, legacy);
      const missing = 'd'.repeat(40);
      // pipelined with reads of other limits, before and after
      const [first, limited, after] = await Promise.all([
        reader.read([small], ALL),
        reader.read([small, id, missing, small], 1024),
        reader.read([id, small], big.length),
      ]);
      expect(first[0]!.content!.toString()).toBe('small and within\n');
      expect(limited).toEqual([
        { id: small, type: 'blob', size: 17, content: Buffer.from('small and within\n') },
        { id, type: 'blob', size: big.length },
        undefined,
        { id: small, type: 'blob', size: 17, content: Buffer.from('small and within\n') },
      ]);
      expect(after[0]!.content!.equals(big)).toBe(true);
      expect(after[1]!.content!.toString()).toBe('small and within\n');
      // still in step
      expect((await reader.read([small], 0))[0]).toEqual({ id: small, type: 'blob', size: 17 });
    });
  });

  it('never holds an object over the limit: a 512 MB blob of zeros is answered by its size, at no cost in memory', async () => {
    // written by git from a stream (this process never holds it either)
    const id = execFileSync('sh', ['-c', 'head -c 536870912 /dev/zero | git hash-object -w --stdin'], { cwd: dir, encoding: 'utf8' }).trim();
    const before = process.memoryUsage().rss;
    const reader = open();
    const t0 = Date.now();
    const [o] = await reader.read([id], 10 * 1024 * 1024);
    expect(o).toEqual({ id, type: 'blob', size: 536870912 });
    // git sent its size only (no 512 MB through the pipe): well under the time to inflate it
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('finds objects that arrived after it started, in new packs and loose', async () => {
    const reader = open();
    const first = write(dir, 'first\n');
    expect((await reader.read([first], ALL))[0]!.content!.toString()).toBe('first\n');
    // a pack written by another process (as a fetch does), then a loose object
    const packed = write(dir, 'packed later\n');
    git(dir, ['repack', '-a', '-d', '-q']);
    const loose = write(dir, 'loose later\n');
    const [p, l] = await reader.read([packed, loose], 1024);
    expect(p!.content!.toString()).toBe('packed later\n');
    expect(l!.content!.toString()).toBe('loose later\n');
  });

  it('resolves revision expressions to the object and its id', async () => {
    const blob = write(dir, 'in a tree\n');
    const tree = git(dir, ['mktree'], `100644 blob ${blob}\ta.yaml\n`);
    const commit = git(dir, ['commit-tree', tree, '-m', 'one'], '');
    for (const limit of [ALL, 1024, 0]) {
      const [t, missing] = await open().read([`${commit}^{tree}`, `${'e'.repeat(40)}^{tree}`], limit);
      expect(t).toMatchObject({ id: tree, type: 'tree' });
      expect(Boolean(t!.content)).toBe(limit > 0);
      expect(missing).toBeUndefined();
    }
  });

  it('fails the requests under way when git ends, and starts again on the next one', async () => {
    const reader = open();
    const id = write(dir, 'again\n');
    await reader.read([id], ALL);
    const pid = reader.pid!;
    process.kill(pid, 'SIGKILL');
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(reader.pid).toBeUndefined();
    expect((await reader.read([id], ALL))[0]!.content!.toString()).toBe('again\n');

    const pending = reader.read([id, id], 1024);
    reader.close('closed by the test');
    await expect(pending).rejects.toThrow('closed by the test');
    expect((await reader.read([id], 1024))[0]!.content!.toString()).toBe('again\n');
  });

  it('ends its process when idle', async () => {
    const reader = open(100);
    await reader.read([write(dir, 'idle\n')], ALL);
    expect(reader.pid).toBeDefined();
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(reader.pid).toBeUndefined();
  });

  it('refuses names git would read as two requests', async () => {
    await expect(open().read(['abc\ndef'], ALL)).rejects.toThrow(/line break/);
    await expect(open().read([''], ALL)).rejects.toThrow(/empty/);
  });

  it('fails a request of a folder that is no repository, with git\'s reason', async () => {
    const reader = new ObjectReader(path.join(dir, 'no-such-folder'), { timeoutMs: 30_000, idleMs: 60_000 });
    readers.push(reader);
    await expect(reader.read(['a'.repeat(40)], ALL)).rejects.toThrow(/git cat-file/);
  });
});
