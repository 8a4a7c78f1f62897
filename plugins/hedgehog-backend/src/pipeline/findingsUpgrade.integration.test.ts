import { TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const vpcWithoutVlan = (name: string, subnet: string) =>
  ['apiVersion: vpc.githedgehog.com/v1beta1', 'kind: VPC', 'metadata:', `  name: ${name}`, 'spec:', '  subnets:', '    default:', `      subnet: ${subnet}`, ''].join('\n');

/**
 * A fabric imported before findings were kept (an upgrade): the next sync plans
 * it in full once, though Git did not change, to record them; none is marked new.
 */
describe('findings of a fabric imported before they were kept', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-findings-upgrade-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('records them with the next sync, then skips unchanged syncs again', async () => {
    const dir = await createBareRepo(path.join(root, 'lab.git'));
    await pushFiles(`file://${dir}`, { 'fabrics/lab/raw/vpcs.yaml': `${vpcWithoutVlan('vpc-1', '10.0.1.0/24')}---\n${vpcWithoutVlan('vpc-2', '10.0.2.0/24')}` });
    const knex = await databases.init('SQLITE_3');
    const env = await createTestService({ knex, fabrics: [testFabric(`file://${dir}`)] });
    try {
      await env.sync();
      // as the database was before findings were kept
      await knex('hedgehog_findings').delete();
      await knex('hedgehog_fabrics').update({ findings_generation: null });
      expect(await env.store.currentFindings('lab')).toBeUndefined();

      const upgrade = await env.sync();
      expect(upgrade.stages.find(s => s.name === 'plan')?.message).toBeUndefined();
      expect(upgrade.stages.map(s => s.name)).toContain('import');
      const scope = (await env.store.currentFindings('lab'))!;
      const page = await env.store.listFindings(scope, {}, 0, 10);
      expect(page.totals).toEqual({ errors: 2, warnings: 0, new: 0 });
      expect(page.items.map(f => f.file).sort()).toEqual(['managed/vpcs/vpc-1.yaml', 'managed/vpcs/vpc-2.yaml']);

      const next = await env.sync();
      expect(next.stages.find(s => s.name === 'plan')?.message).toMatch(/^nothing changed/);
    } finally {
      await env.cleanup();
    }
  });
});
