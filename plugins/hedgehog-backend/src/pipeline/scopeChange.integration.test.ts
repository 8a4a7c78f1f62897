import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles, remoteHead } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const vpc = 'apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: v1\nspec:\n  subnets:\n    default: {subnet: 10.0.1.0/24, vlan: 1001}\n';
const sw = 'apiVersion: wiring.githedgehog.com/v1beta1\nkind: Switch\nmetadata:\n  name: leaf-1\nspec:\n  role: server-leaf\n';

/*
 * The kinds a fabric manages, when app-config changes them between two syncs of
 * the same commit: the second sync plans the fabric again (it is not "nothing
 * changed"), and the import records them.
 */
describe('a fabric whose kinds change in app-config', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-scope-change-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is planned again at the same commit, and its import records the manifest\'s scope and the kinds it managed', async () => {
    const repo = await createBareRepo(path.join(root, 'f.git'));
    const url = `file://${repo}`;
    await pushFiles(url, { 'fabrics/lab/raw/a.yaml': `${vpc}---\n${sw}` });
    const knex = await databases.init('SQLITE_3');

    const day2 = await createTestService({ knex, fabrics: [testFabric(url, { kinds: 'day2' })] });
    try {
      expect((await day2.sync()).status).toBe('succeeded');
      expect((await day2.store.getFabricState('lab'))?.kindScope).toEqual({
        imported: ['VPC', 'External', 'VPCAttachment', 'VPCPeering', 'ExternalAttachment', 'ExternalPeering', 'GatewayPeering'],
      });
      expect((await day2.store.listResources('lab', { offset: 0, limit: 10 })).items.map(r => r.kind)).toEqual(['VPC']);
      // the API says which kinds it manages, and where that was given
      const kinds = { source: 'app-config', preset: 'day2', list: ['VPC', 'External', 'VPCAttachment', 'VPCPeering', 'ExternalAttachment', 'ExternalPeering', 'GatewayPeering'] };
      expect((await day2.service.getFabric('lab')).kinds).toEqual(kinds);
      expect((await day2.service.listFabrics())[0].kinds).toEqual(kinds);
      // unchanged: nothing to plan
      const again = await day2.sync();
      expect(again.stages.find(s => s.name === 'plan')?.message).toMatch(/nothing changed/);
    } finally {
      await day2.cleanup();
    }

    const head = await remoteHead(repo);
    const all = await createTestService({ knex, fabrics: [testFabric(url)] });
    try {
      const run = await all.sync();
      const plan = run.stages.find(s => s.name === 'plan')!;
      expect(plan.message ?? '').not.toMatch(/nothing changed/);
      // the folders of the kinds it manages now are laid out: one commit on the same head
      expect(run.commitBefore).toBe(head);
      expect(run.commitAfter).not.toBe(head);
      expect((await all.store.getFabricState('lab'))?.kindScope?.imported).toHaveLength(HEDGEHOG_KINDS.length);
      const kinds = (await all.service.getFabric('lab')).kinds;
      expect(kinds).toMatchObject({ source: 'default', preset: 'all' });
      expect(kinds?.list).toHaveLength(HEDGEHOG_KINDS.length);

      // the fabric directory's manifest names the kinds: the next import reads them from it
      await pushFiles(url, { 'fabrics/lab/.gitops/manifest.yaml': 'scope: [VPC, VPCAttachment]\n' }, { message: 'user: only VPCs' });
      await all.sync();
      expect((await all.service.getFabric('lab')).kinds).toEqual({ source: 'manifest', list: ['VPC', 'VPCAttachment'] });
    } finally {
      await all.cleanup();
    }
  });
});
