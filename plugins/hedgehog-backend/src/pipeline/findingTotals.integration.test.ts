import { TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

jest.setTimeout(120_000);

/** The demo fabric's raw files: wiring and VPCs, and 4 documents or files that are kept in unmanaged/ with a warning each. */
const DEMO_RAW = path.resolve(__dirname, '../../../../examples/demo-fabric/raw');

/** A VPC whose subnet has no VLAN: an error on its resource. */
const VPC_WITHOUT_VLAN = [
  'apiVersion: vpc.githedgehog.com/v1beta1',
  'kind: VPC',
  'metadata:',
  '  name: vpc-novlan',
  'spec:',
  '  subnets:',
  '    default:',
  '      subnet: 10.9.1.0/24',
  '',
].join('\n');

/** A valid VPC: no finding. */
const VPC_WITH_VLAN = VPC_WITHOUT_VLAN.replace('vpc-novlan', 'vpc-more').replace('10.9.1.0/24', '10.0.90.0/24\n      vlan: 1090');

/**
 * The totals of a fabric's findings agree wherever they are shown: the run that
 * imported them, the fabric, the findings summary and list, and the resources
 * list plus the findings on files that are no resource (which the fabric and the
 * summary count apart, since the resources list cannot show them).
 */
describe('finding totals of a fabric', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-totals-it-'));
  });

  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())('agree between the run, the fabric, the findings and the resources on %p', async databaseId => {
    const dir = await createBareRepo(path.join(root, `${databaseId}.git`));
    const url = `file://${dir}`;
    const files: Record<string, string> = { 'fabrics/lab/raw/extra.yaml': VPC_WITHOUT_VLAN };
    for (const f of ['wiring.yaml', 'vpcs.yaml', 'broken.yaml', 'notes/README.txt']) {
      files[`fabrics/lab/raw/${f}`] = await fs.readFile(path.join(DEMO_RAW, f), 'utf8');
    }
    await pushFiles(url, files, { message: 'user: the demo fabric and a VPC without a VLAN' });
    const env = await createTestService({ knex: await databases.init(databaseId), fabrics: [testFabric(url)] });
    try {
      const run = await env.sync();
      expect(run.status).toBe('partial');

      // the fabric: errors (on the VPC), 4 warnings, all 4 on raw files kept in unmanaged/
      const fabric = await env.service.getFabric('lab');
      const errors = fabric.findings.errors;
      expect(errors).toBeGreaterThan(0);
      expect(fabric.findings).toEqual({ errors, warnings: 4, outsideResources: { errors: 0, warnings: 4 } });

      // the findings summary and list: the same totals, the same findings outside resources
      const scope = (await env.store.currentFindings('lab'))!;
      const summary = await env.store.summarizeFindings(scope, {}, 10);
      expect(summary.totals).toMatchObject({ errors, warnings: 4 });
      expect(summary.outsideResources).toEqual({ errors: 0, warnings: 4 });
      expect(summary.byFile.items.map(g => g.key).sort()).toEqual(['managed/vpcs/vpc-novlan.yaml', 'raw/broken.yaml', 'raw/notes/README.txt']);
      expect((await env.store.summarizeFindings(scope, { severity: 'warning' }, 10)).outsideResources).toEqual({ errors: 0, warnings: 4 });
      expect((await env.store.summarizeFindings(scope, { severity: 'error' }, 10)).outsideResources).toEqual({ errors: 0, warnings: 0 });
      expect((await env.store.listFindings(scope, {}, 0, 1)).totals).toMatchObject({ errors, warnings: 4 });

      // the run that imported them
      const record = await env.service.getRun(run.id);
      expect(record.findingTotals).toMatchObject({ errors, warnings: 4 });
      expect(record.findingCount).toBe(errors + 4);
      expect(record.stages.find(s => s.name === 'validate')?.counts).toMatchObject({ errors, warnings: 4 });
      const runScope = (await env.store.runFindings((await env.store.getRun(run.id))!))!;
      expect(runScope).toBeDefined();
      expect((await env.store.listFindings(runScope, {}, 0, 1)).totals).toMatchObject({ errors, warnings: 4 });

      // the resources: their findings plus those outside resources are the fabric's totals
      const resources = await env.store.listResources('lab', { offset: 0, limit: 1000 });
      const onResources = resources.items.reduce(
        (sum, r) => ({ errors: sum.errors + r.errors, warnings: sum.warnings + r.warnings }),
        { errors: 0, warnings: 0 },
      );
      expect(onResources).toEqual({
        errors: fabric.findings.errors - fabric.findings.outsideResources!.errors,
        warnings: fabric.findings.warnings - fabric.findings.outsideResources!.warnings,
      });
      expect((await env.store.listResources('lab', { findings: 'errors', offset: 0, limit: 10 })).items.map(r => r.name)).toEqual(['vpc-novlan']);
      expect((await env.store.listResources('lab', { findings: 'warnings', offset: 0, limit: 10 })).totalItems).toBe(0);

      // a sync that finds nothing new keeps the fabric's totals and their split
      expect((await env.sync()).status).toBe('succeeded');
      expect((await env.service.getFabric('lab')).findings).toEqual(fabric.findings);

      // syncs that plan again (forced, or after an unrelated commit) keep the warnings of
      // the files kept in unmanaged/: they come from the files' reasons, not from the move
      const keptFindings = async () => {
        const now = (await env.store.currentFindings('lab'))!;
        const page = await env.store.listFindings(now, { severity: 'warning' }, 0, 100);
        return page.items.map(f => [f.rule, f.file, f.document, f.message]).sort();
      };
      const kept = await keptFindings();
      expect(kept).toHaveLength(4);
      expect((await env.sync('lab', { force: true })).status).toBe('partial');
      expect((await env.service.getFabric('lab')).findings).toEqual(fabric.findings);
      expect(await keptFindings()).toEqual(kept);
      await pushFiles(url, { 'fabrics/lab/raw/more.yaml': VPC_WITH_VLAN }, { message: 'user: one more VPC' });
      expect((await env.sync()).status).toBe('partial');
      expect((await env.store.listResources('lab', { kind: 'VPC', q: 'vpc-more', offset: 0, limit: 10 })).totalItems).toBe(1);
      expect((await env.service.getFabric('lab')).findings).toEqual(fabric.findings);
      expect(await keptFindings()).toEqual(kept);
    } finally {
      await env.cleanup();
    }
  });
});
