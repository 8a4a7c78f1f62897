import { TestDatabases } from '@backstage/backend-test-utils';
import { commitCount, createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';
import { pushAttempts } from './RunExecutor';

jest.setTimeout(120_000);

const group = (name: string) => `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\nspec: {}\n`;

describe('fabrics in folders of one repository and branch', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-shared-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('sync at the same time through one clone: a push rejected because a sibling pushed is committed again on the new head', async () => {
    const repo = await createBareRepo(path.join(root, 'shared.git'));
    const url = `file://${repo}`;
    const names = ['a', 'b', 'c', 'd'];
    await pushFiles(url, Object.fromEntries(names.map(n => [`fabrics/${n}/raw/base.yaml`, group(`${n}-base`)])));
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({
      knex,
      fabrics: names.map(n => testFabric(url, { name: n, git: { url, branch: 'main', path: `fabrics/${n}`, writeMode: 'push' } })),
    });
    try {
      for (let round = 0; round < 3; round++) {
        await pushFiles(url, Object.fromEntries(names.map(n => [`fabrics/${n}/raw/r${round}.yaml`, group(`${n}-r${round}`)])));
        await Promise.all(names.map(n => env.service.requestSync(n, 'api').then(() => env.service.coordinator.drain(n))));
      }
      const runs = await knex('hedgehog_runs').select('fabric', 'status', 'error', 'stages');
      expect(runs.filter(r => r.status !== 'succeeded').map(r => `${r.fabric}: ${r.error}`)).toEqual([]);
      // the user's commit and one per fabric, each round
      expect(await commitCount(repo)).toBe(1 + 3 * (1 + names.length));
      const attempts = runs.map(r => JSON.parse(r.stages).find((s: any) => s.name === 'commit').counts.attempts as number);
      // all four planned on the same head: three pushes were rejected by a sibling's and went again
      expect(Math.max(...attempts)).toBeGreaterThan(1);
      expect(env.logs.filter(l => /committing again on the new head/.test(l)).length).toBeGreaterThan(0);
      // the siblings changed other folders: nothing had to be planned again
      expect(env.logs.filter(l => /planning again/.test(l))).toEqual([]);
      for (const n of names) {
        const rows = await knex('hedgehog_resources').where({ fabric: n }).orderBy('name').pluck('name');
        expect(rows).toEqual([`${n}-base`, `${n}-r0`, `${n}-r1`, `${n}-r2`]);
      }
    } finally {
      await env.cleanup();
    }
  });
});

describe('pushAttempts', () => {
  const fabric = (name: string, url: string, branch = 'main') =>
    testFabric(url, { name, git: { url, branch, path: name, writeMode: 'push' } });

  it('adds one attempt per other fabric of the same repository and branch', () => {
    const all = [fabric('a', 'u1'), fabric('b', 'u1'), fabric('c', 'u1'), fabric('d', 'u1', 'other'), fabric('e', 'u2')];
    expect(pushAttempts(3, all[0], all)).toBe(5);
    expect(pushAttempts(3, all[3], all)).toBe(3);
    expect(pushAttempts(3, all[4], all)).toBe(3);
  });
});
