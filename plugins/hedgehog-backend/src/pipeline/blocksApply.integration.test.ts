import { TestDatabases } from '@backstage/backend-test-utils';
import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { stringify } from 'yaml';
import { createTestService, testFabric } from '../__testUtils__/harness';
import { recordedRunFindings } from '../service/findingsRoutes';
import { breakFabric } from '../validation/bench/breakFabric';
import { generateFabric } from '../validation/bench/generateFabric';

jest.setTimeout(120_000);

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: notes\ndata:\n  a: b\n';

/** Each finding's rule and whether it blocks, one pair per rule (the first finding of each). */
function byRule(findings: Array<Pick<Finding, 'rule' | 'blocksApply'>>) {
  const out: Record<string, boolean | undefined> = {};
  for (const f of findings) if (!(f.rule in out)) out[f.rule] = f.blocksApply;
  return out;
}

/**
 * Every finding a run records, the findings API lists and a resource shows says
 * whether it blocks an apply: errors and non-hydrated wiring do, other warnings
 * not; records written before the field was kept get it on read.
 */
describe('findings carry blocksApply', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });
  let root: string;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-blocks-apply-'));
  });
  afterAll(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it.each(databases.eachSupportedId())('in the run record, the findings routes and the resources (%p)', async id => {
    const dir = await createBareRepo(path.join(root, `${id}.git`));
    // one VPC without a VLAN (error), switches and links not hydrated (warnings that block),
    // a ConfigMap kept in unmanaged/ (a warning that does not)
    const fabric = breakFabric(generateFabric({ spines: 1, leaves: 2, serversPerLeaf: 1, vpcs: 2 }), {
      vpcsWithoutVlan: 1,
      unhydrated: true,
    });
    await pushFiles(`file://${dir}`, {
      'fabrics/lab/raw/fabric.yaml': fabric.map(o => stringify(o)).join('---\n'),
      'fabrics/lab/raw/notes.yaml': CONFIG_MAP,
    });
    const knex = await databases.init(id);
    const env = await createTestService({ knex, fabrics: [testFabric(`file://${dir}`)] });
    try {
      const run = await env.sync();
      const expected = {
        'vpc.subnet-vlan': true,
        'hydration.switch': true,
        'hydration.link': true,
        'unmanaged.not-hedgehog': false,
      };
      const record = (await env.store.getRun(run.id))!;
      expect(byRule(record.findings)).toEqual(expected);
      expect(record.findings.every(f => typeof f.blocksApply === 'boolean')).toBe(true);

      // the findings API: each listed with it, and filtered by it
      const scope = (await env.store.currentFindings('lab'))!;
      const all = await env.store.listFindings(scope, {}, 0, 500);
      expect(byRule(all.items)).toEqual(expected);
      const blocking = await env.store.listFindings(scope, { blocksApply: true }, 0, 500);
      const notBlocking = await env.store.listFindings(scope, { blocksApply: false }, 0, 500);
      expect(blocking.totalItems + notBlocking.totalItems).toBe(all.totalItems);
      expect(blocking.items.every(f => f.blocksApply)).toBe(true);
      expect(new Set(blocking.items.map(f => f.rule))).toEqual(new Set(['vpc.subnet-vlan', 'hydration.switch', 'hydration.link']));
      expect(notBlocking.items.map(f => [f.rule, f.blocksApply])).toEqual([['unmanaged.not-hedgehog', false]]);
      // a run's own record, filtered the same way
      const recorded = recordedRunFindings(record, { blocksApply: false }, 0, 50);
      expect(recorded.items.map(f => [f.rule, f.blocksApply])).toEqual([['unmanaged.not-hedgehog', false]]);

      const vpc = (await env.store.getResource('lab', 'VPC', 'vpc-0'))!;
      expect(vpc.findings.map(f => [f.rule, f.blocksApply])).toEqual([['vpc.subnet-vlan', true]]);

      // rows written before findings carried the field: filled on read
      const strip = (json: string) => JSON.stringify(JSON.parse(json).map(({ blocksApply: _b, ...f }: Finding) => f));
      const runRow = await knex('hedgehog_runs').where({ id: run.id }).first('findings');
      expect(runRow.findings).toContain('"blocksApply":true');
      await knex('hedgehog_runs').where({ id: run.id }).update({ findings: strip(runRow.findings) });
      const resourceRow = await knex('hedgehog_resources').where({ fabric: 'lab', kind: 'VPC', name: 'vpc-0' }).first('findings');
      await knex('hedgehog_resources').where({ fabric: 'lab', kind: 'VPC', name: 'vpc-0' }).update({ findings: strip(resourceRow.findings) });
      expect((await knex('hedgehog_runs').where({ id: run.id }).first('findings')).findings).not.toContain('blocksApply');
      expect(byRule((await env.store.getRun(run.id))!.findings)).toEqual(expected);
      expect((await env.store.getResource('lab', 'VPC', 'vpc-0'))!.findings).toEqual([
        expect.objectContaining({ rule: 'vpc.subnet-vlan', blocksApply: true }),
      ]);
    } finally {
      await env.cleanup();
    }
  });
});
