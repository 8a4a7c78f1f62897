import { TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

const vpc = (name: string, vlan: unknown, subnet = '10.0.1.0/24') =>
  [
    'apiVersion: vpc.githedgehog.com/v1beta1',
    'kind: VPC',
    'metadata:',
    `  name: ${name}`,
    'spec:',
    '  subnets:',
    '    default:',
    `      subnet: ${subnet}`,
    `      vlan: ${typeof vlan === 'string' ? JSON.stringify(vlan) : vlan}`,
    '',
  ].join('\n');

/**
 * A fabric's status is its health now (what its Git holds open and how its last
 * sync ended), not the outcome of the last sync alone: a sync that finds nothing
 * new never turns a fabric with open errors or conflicts green.
 */
describe('fabric health', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-health-it-'));
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  async function setup(name: string, files: Record<string, string>) {
    const dir = await createBareRepo(path.join(root, `${name}.git`));
    const url = `file://${dir}`;
    await pushFiles(url, files, { message: 'user: add raw wiring' });
    const env = await createTestService({ knex: await databases.init('SQLITE_3'), fabrics: [testFabric(url)] });
    return { url, env };
  }

  it('stays open through no-op syncs while errors remain, and turns synced once they are fixed in Git', async () => {
    const { url, env } = await setup('errors', {
      'fabrics/lab/raw/vpcs.yaml': `${vpc('vpc-1', 'x')}---\n${vpc('vpc-2', 1002, '10.0.2.0/24')}`,
    });
    try {
      const first = await env.sync();
      expect(first.status).toBe('partial');
      let fabric = await env.service.getFabric('lab');
      expect(fabric).toMatchObject({ status: 'partial', findings: { errors: 1 }, conflicts: 0 });
      expect(fabric.error).toMatch(/1 error finding open/);

      // syncs that find nothing new keep what is open; a forced one finds it again
      for (const [options, outcome] of [[{}, 'succeeded'], [{}, 'succeeded'], [{ force: true }, 'partial']] as const) {
        const run = await env.sync('lab', options);
        expect(run.status).toBe(outcome);
        fabric = await env.service.getFabric('lab');
        expect(fabric).toMatchObject({ status: 'partial', findings: { errors: 1 } });
      }
      expect((await env.service.listFabrics())[0].status).toBe('partial');

      // fixed in Git: the next sync imports the fix and the fabric is synced
      await pushFiles(url, { 'fabrics/lab/managed/vpcs/vpc-1.yaml': vpc('vpc-1', 1001) }, { message: 'user: fix the VLAN' });
      expect((await env.sync()).status).toBe('succeeded');
      fabric = await env.service.getFabric('lab');
      expect(fabric).toMatchObject({ status: 'in_sync', findings: { errors: 0 }, conflicts: 0 });
      expect(fabric.error).toBeUndefined();
    } finally {
      await env.cleanup();
    }
  });

  it("records on a no-op sync's run the fabric's open findings, unchanged since the run that imported them", async () => {
    const { env } = await setup('noop-totals', {
      'fabrics/lab/raw/vpcs.yaml': `${vpc('vpc-1', 'x')}---\n${vpc('vpc-2', 1002, '10.0.2.0/24')}`,
    });
    try {
      const first = await env.sync();
      expect(first.findingTotals).toMatchObject({ errors: 1 });
      expect(first.findingTotals?.unchangedSince).toBeUndefined();
      const { lastSyncedCommit } = await env.service.getFabric('lab');

      // nothing new in Git: the run imports nothing, and says what is open as of it
      const noop = await env.sync();
      expect(noop.status).toBe('succeeded');
      expect(noop.findingTotals).toEqual({
        errors: 1,
        warnings: first.findingTotals!.warnings,
        unchangedSince: { run: first.id, commit: lastSyncedCommit },
      });
      // the runs list says the same
      const listed = await env.store.listRuns('lab', 0, 10);
      expect(listed.items.find(r => r.id === noop.id)?.findingTotals?.unchangedSince).toEqual({ run: first.id, commit: lastSyncedCommit });
    } finally {
      await env.cleanup();
    }
  });

  it('counts a raw file held back by a conflict until the conflict is resolved', async () => {
    const { url, env } = await setup('conflicts', {
      'fabrics/lab/raw/a.yaml': vpc('vpc-1', 1001),
      'fabrics/lab/raw/b.yaml': vpc('vpc-1', 1002),
    });
    try {
      await env.sync();
      let fabric = await env.service.getFabric('lab');
      expect(fabric.status).toBe('partial');
      expect(fabric.conflicts).toBeGreaterThan(0);
      expect(fabric.error).toMatch(/conflict/);
      await env.sync();
      expect((await env.service.getFabric('lab')).status).toBe('partial');

      await pushFiles(url, { 'fabrics/lab/raw/b.yaml': null }, { message: 'user: drop the duplicate' });
      await env.sync();
      fabric = await env.service.getFabric('lab');
      expect(fabric).toMatchObject({ status: 'in_sync', conflicts: 0, findings: { errors: 0 } });
    } finally {
      await env.cleanup();
    }
  });

  it('says the last sync failed, whatever was open before', async () => {
    const { env } = await setup('failed', { 'fabrics/lab/raw/vpcs.yaml': vpc('vpc-1', 1001) });
    try {
      await env.sync();
      expect((await env.service.getFabric('lab')).status).toBe('in_sync');
      // the repository goes away: the sync fails
      await fs.rm(path.join(root, 'failed.git'), { recursive: true, force: true });
      expect((await env.sync()).status).toBe('failed');
      const fabric = await env.service.getFabric('lab');
      expect(fabric.status).toBe('error');
      expect(fabric.error).toBeTruthy();
    } finally {
      await env.cleanup();
    }
  });
});
