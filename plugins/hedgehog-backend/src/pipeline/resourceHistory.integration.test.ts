import { TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { execFileSync } from 'child_process';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';
import { HISTORY_MAX_DIFF_BYTES } from './ResourceHistoryReader';

jest.setTimeout(120_000);

/*
 * A resource's history (`GET /fabrics/:fabric/resources/:kind/:name/history`) from
 * the fabric's cached clone of a real Git repository: the commits that changed its
 * managed file, newest first, each with its diff, bounded.
 */
describe('resource history', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-history-it-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  const sg = (n: string, team: string, extra = '') =>
    `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${n}\n  labels:\n    team: ${team}\n${extra}spec: {}\n`;
  const file = 'fabrics/lab/managed/switchgroups/sg-1.yaml';

  it('lists the commits that changed the managed file, newest first, with their diffs, up to the limit', async () => {
    const bare = await createBareRepo(path.join(root, 'h.git'));
    const url = `file://${bare}`;
    const managed = (p: string) => execFileSync('git', ['--git-dir', bare, 'show', `main:${p}`], { encoding: 'utf8' });
    await pushFiles(url, { 'fabrics/lab/raw/sg.yaml': [sg('sg-1', 'net'), sg('sg-2', 'net')].join('---\n') }, { message: 'add two groups' });
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    try {
      expect((await env.sync('lab')).status).toBe('succeeded');
      const ingested = (await env.store.getFabricState('lab'))!.lastSyncedCommit!;
      // an edit of the managed file, and a commit that touches only another file
      const edit = await pushFiles(url, { [file]: managed(file).replace('team: net', 'team: ops') }, { message: 'sg-1 goes to ops\n\nasked by the NOC' });
      await pushFiles(url, { 'fabrics/lab/managed/switchgroups/sg-2.yaml': managed('fabrics/lab/managed/switchgroups/sg-2.yaml').replace('team: net', 'team: ops') }, { message: 'sg-2 too' });
      expect((await env.sync('lab')).status).toBe('succeeded');

      const history = await env.service.resourceHistory('lab', 'SwitchGroup', 'sg-1', 20);
      expect(history.more).toBe(false);
      expect(history.items.map(i => i.commit)).toEqual([edit, ingested]);
      const [last, first] = history.items;
      expect(last).toMatchObject({ message: 'sg-1 goes to ops\n\nasked by the NOC', path: 'managed/switchgroups/sg-1.yaml' });
      expect(last.changes).toContain('-    team: net\n+    team: ops\n');
      expect(last.changes).toMatch(/^diff --git a\/fabrics\/lab\/managed\/switchgroups\/sg-1.yaml/);
      expect(last.url).toBeUndefined(); // a file:// repository has no web page
      expect(new Date(last.date).getTime()).toBeGreaterThanOrEqual(new Date(first.date).getTime());
      // the plugin's own commit, which wrote the file from raw/
      expect(first.author).toBe('Hedgehog Test');
      expect(first.changes).toContain('new file mode');
      expect(first.changes).toContain('+  name: sg-1\n');
      expect(first.truncated).toBeUndefined();

      // bounded: the limit, and a diff larger than the bound is cut at a line
      expect(await env.service.resourceHistory('lab', 'SwitchGroup', 'sg-1', 1)).toMatchObject({ items: [{ commit: edit }], more: true });
      const big = Array.from({ length: 2000 }, (_, i) => `    note-${i}: x${'x'.repeat(20)}\n`).join('');
      const bigCommit = await pushFiles(url, { [file]: managed(file).replace('  labels:\n', `  labels:\n${big}`) }, { message: 'many notes' });
      await env.sync('lab');
      const [cut] = (await env.service.resourceHistory('lab', 'SwitchGroup', 'sg-1', 5)).items;
      expect(cut).toMatchObject({ commit: bigCommit, truncated: true });
      expect(Buffer.byteLength(cut.changes)).toBeLessThanOrEqual(HISTORY_MAX_DIFF_BYTES);
      expect(cut.changes.endsWith('\n')).toBe(true);

      await expect(env.service.resourceHistory('lab', 'SwitchGroup', 'nope', 5)).rejects.toMatchObject({ name: 'NotFoundError' });
    } finally {
      await env.cleanup();
    }
  });
});
