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
  const open = (idleMs = 60_000) => {
    const reader = new ObjectReader(dir, { timeoutMs: 30_000, idleMs });
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
      ids.map((id, i) => reader.read(i % 7 === 0 ? [id, missing, id] : [id])),
    );
    const blob = (i: number) => ({ id: ids[i], type: 'blob', content: Buffer.from(contents[i]) });
    expect(answers).toEqual(ids.map((_, i) => (i % 7 === 0 ? [blob(i), undefined, blob(i)] : [blob(i)])));
    expect(await reader.read([])).toEqual([]);
  });

  it('reads a large object that arrives in many chunks, bytes intact', async () => {
    const big = randomBytes(3 * 1024 * 1024 + 17);
    const id = write(dir, big);
    const small = write(dir, 'small\n');
    const [a, b] = await open().read([id, small]);
    expect(a!.content.equals(big)).toBe(true);
    expect(b!.content.toString()).toBe('small\n');
  });

  it('finds objects that arrived after it started, in new packs and loose', async () => {
    const reader = open();
    const first = write(dir, 'first\n');
    expect((await reader.read([first]))[0]!.content.toString()).toBe('first\n');
    // a pack written by another process (as a fetch does), then a loose object
    const packed = write(dir, 'packed later\n');
    git(dir, ['repack', '-a', '-d', '-q']);
    const loose = write(dir, 'loose later\n');
    const [p, l] = await reader.read([packed, loose]);
    expect(p!.content.toString()).toBe('packed later\n');
    expect(l!.content.toString()).toBe('loose later\n');
  });

  it('resolves revision expressions to the object and its id', async () => {
    const blob = write(dir, 'in a tree\n');
    const tree = git(dir, ['mktree'], `100644 blob ${blob}\ta.yaml\n`);
    const commit = git(dir, ['commit-tree', tree, '-m', 'one'], '');
    const [t, missing] = await open().read([`${commit}^{tree}`, `${'e'.repeat(40)}^{tree}`]);
    expect(t).toMatchObject({ id: tree, type: 'tree' });
    expect(missing).toBeUndefined();
  });

  it('fails the requests under way when git ends, and starts again on the next one', async () => {
    const reader = open();
    const id = write(dir, 'again\n');
    await reader.read([id]);
    const pid = reader.pid!;
    process.kill(pid, 'SIGKILL');
    await new Promise(resolve => setTimeout(resolve, 200));
    expect(reader.pid).toBeUndefined();
    expect((await reader.read([id]))[0]!.content.toString()).toBe('again\n');

    const pending = reader.read([id, id]);
    reader.close('closed by the test');
    await expect(pending).rejects.toThrow('closed by the test');
    expect((await reader.read([id]))[0]!.content.toString()).toBe('again\n');
  });

  it('ends its process when idle', async () => {
    const reader = open(100);
    await reader.read([write(dir, 'idle\n')]);
    expect(reader.pid).toBeDefined();
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(reader.pid).toBeUndefined();
  });

  it('refuses names git would read as two requests', async () => {
    await expect(open().read(['abc\ndef'])).rejects.toThrow(/line break/);
    await expect(open().read([''])).rejects.toThrow(/empty/);
  });

  it('fails a request of a folder that is no repository, with git\'s reason', async () => {
    const reader = new ObjectReader(path.join(dir, 'no-such-folder'), { timeoutMs: 30_000, idleMs: 60_000 });
    readers.push(reader);
    await expect(reader.read(['a'.repeat(40)])).rejects.toThrow(/git cat-file/);
  });
});
