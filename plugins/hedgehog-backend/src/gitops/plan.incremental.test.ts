/*
 * A sync plans and validates with what earlier syncs left in the process: the
 * parse cache (parsed files by blob id, with the planner's memo of each managed
 * file, seeded with the files a commit wrote) and the validation cache (findings of
 * the per-document layers by document). Over sequences of changes, the result must
 * be exactly the one a fresh process gets by parsing and validating everything.
 */
import path from 'path';
import { stringify } from 'yaml';
import * as common from '@fabric-gitops/plugin-hedgehog-common';
import { FakeFabric, readSample } from './__testUtils__/fakeFabric';
import { ParseCache } from './ParseCache';
import { ParsedFile, parseYamlFile } from './parse';
import { IngestPlan, planIngestion } from './plan';
import { seedParseCache } from './seedCache';
import * as schema from '../validation/schema';
import { ValidationCache } from '../validation/ValidationCache';
import { validateFabric } from '../validation/validateFabric';

// Pass-through wrappers, to count how often the per-document work runs.
jest.mock('@fabric-gitops/plugin-hedgehog-common', () => {
  const actual = jest.requireActual('@fabric-gitops/plugin-hedgehog-common');
  return { ...actual, classifyDocument: jest.fn(actual.classifyDocument) };
});
jest.mock('../validation/schema', () => {
  const actual = jest.requireActual('../validation/schema');
  return { ...actual, checkSchema: jest.fn(actual.checkSchema) };
});

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');

/** What a running backend keeps between syncs of a fabric. */
class WarmProcess {
  readonly cache = new ParseCache();
  readonly validation = new ValidationCache();
  parsedFiles = 0;

  plan(fabric: FakeFabric): IngestPlan {
    return planIngestion({
      fabricName: fabric.name,
      entries: fabric.entries(),
      parsed: entry => {
        let hit: ParsedFile | undefined = this.cache.get(entry.blobId);
        if (!hit) {
          hit = parseYamlFile(fabric.blobs.get(entry.blobId)!);
          this.cache.set(entry.blobId, hit);
          this.parsedFiles++;
        }
        return hit;
      },
    });
  }
}

const documentsOf = (plan: IngestPlan) =>
  plan.resources.map(r => ({ file: r.gitPath, document: 0, object: r.object }));

/**
 * One sync: the warm process's plan and validation must equal a fresh process's;
 * then the plan is carried out (and the parse cache seeded, as after a push).
 */
function sync(fabric: FakeFabric, warm: WarmProcess) {
  const incremental = warm.plan(fabric);
  const full = fabric.plan();
  expect(incremental).toEqual(full);
  const findings = warm.validation.validate(documentsOf(incremental)).findings;
  expect(findings).toEqual(validateFabric(documentsOf(full)).findings);
  const entries = fabric.entries();
  fabric.apply(incremental);
  seedParseCache(warm.cache, incremental, entries);
  return { plan: incremental, findings };
}

const vpc = (name: string, subnet: string, vlan: number) =>
  stringify({
    apiVersion: 'vpc.githedgehog.com/v1beta1',
    kind: 'VPC',
    metadata: { name },
    spec: { subnets: { default: { subnet, vlan } } },
  });

const attachment = (name: string, vpcName: string) =>
  stringify({
    apiVersion: 'vpc.githedgehog.com/v1beta1',
    kind: 'VPCAttachment',
    metadata: { name },
    spec: { connection: 'server-su00-n00-r0-leaf-su00-r0', subnet: `${vpcName}/default` },
  });

describe('incremental planning and validation (warm caches) equal the full ones', () => {
  const sample = readSample(SAMPLES, '07');

  function started() {
    const fabric = new FakeFabric('lab').add(`raw/${sample.name}`, sample.bytes);
    const warm = new WarmProcess();
    const first = sync(fabric, warm);
    expect(first.plan.counts.resourcesCreated).toBeGreaterThan(100);
    return { fabric, warm };
  }

  it('over a sequence of raw and managed changes', () => {
    const { fabric, warm } = started();
    const rules = (findings: Array<{ rule: string; file: string }>, file: string) =>
      findings.filter(f => f.file === file).map(f => f.rule);

    // add a raw file: a new VPC and an attachment to it
    fabric.add('raw/new/vpc-new.yaml', `${vpc('vpc-new', '10.200.0.0/24', 1500)}---\n${attachment('att-new', 'vpc-new')}`);
    let r = sync(fabric, warm);
    expect(r.plan.counts.resourcesCreated).toBe(2);
    expect(fabric.has('managed/vpcs/vpc-new.yaml')).toBe(true);

    // a raw file that conflicts with a managed resource (other subnet): stays in raw/
    fabric.add('raw/conflict.yaml', vpc('vpc-new', '10.201.0.0/24', 1500));
    r = sync(fabric, warm);
    expect(r.plan.conflicts.map(c => c.name)).toEqual(['vpc-new']);
    expect(fabric.has('raw/conflict.yaml')).toBe(true);

    // rename the raw file: still a conflict, under its new name
    fabric.add('raw/renamed.yaml', fabric.bytes('raw/conflict.yaml'));
    fabric.files.delete('raw/conflict.yaml');
    r = sync(fabric, warm);
    expect(r.plan.conflicts[0].files).toContain('raw/renamed.yaml');

    // edit the raw file to the managed content: the conflict is resolved, the raw file goes
    fabric.add('raw/renamed.yaml', vpc('vpc-new', '10.200.0.0/24', 1500));
    r = sync(fabric, warm);
    expect(r.plan.conflicts).toEqual([]);
    expect(fabric.has('raw/renamed.yaml')).toBe(false);

    // delete the managed VPC: the attachment in another file now refers to nothing
    fabric.files.delete('managed/vpcs/vpc-new.yaml');
    r = sync(fabric, warm);
    expect(rules(r.findings, 'managed/vpcattachments/att-new.yaml')).toContain('reference.missing');

    // write it back by hand, not in canonical form: normalized, the reference resolves again
    fabric.add('managed/vpcs/vpc-new.yaml', vpc('vpc-new', '10.200.0.0/24', 1500));
    r = sync(fabric, warm);
    expect(r.plan.log).toContain('normalized managed/vpcs/vpc-new.yaml');
    expect(rules(r.findings, 'managed/vpcattachments/att-new.yaml')).not.toContain('reference.missing');

    // a managed file at the wrong path moves back
    fabric.add('managed/vpcs/elsewhere.yaml', fabric.bytes('managed/vpcs/vpc-1.yaml'));
    fabric.files.delete('managed/vpcs/vpc-1.yaml');
    r = sync(fabric, warm);
    expect(r.plan.log).toContain('moved managed/vpcs/elsewhere.yaml to managed/vpcs/vpc-1.yaml');

    // an edit in place that breaks the schema: found in that file only
    fabric.add('managed/vpcs/vpc-new.yaml', vpc('vpc-new', '10.200.0.0/24', 1500).replace('vlan: 1500', 'vlan: lots'));
    r = sync(fabric, warm);
    expect(rules(r.findings, 'managed/vpcs/vpc-new.yaml').length).toBeGreaterThan(0);

    // two managed files defining one resource: a conflict, then resolved by deleting one
    fabric.add('managed/vpcs/copy.yaml', vpc('vpc-0', '10.0.0.0/13', 1000));
    r = sync(fabric, warm);
    expect(r.plan.conflicts.map(c => c.name)).toEqual(['vpc-0']);
    fabric.files.delete('managed/vpcs/copy.yaml');
    r = sync(fabric, warm);
    expect(r.plan.conflicts).toEqual([]);

    // nothing changed: an empty plan, and nothing parsed again
    const parsedBefore = warm.parsedFiles;
    r = sync(fabric, warm);
    expect(r.plan.writes).toEqual([]);
    expect(r.plan.deletes).toEqual([]);
    expect(warm.parsedFiles).toBe(parsedBefore);
  });

  it('classifies and validates per document only what changed', () => {
    const { fabric, warm } = started();
    const classified = common.classifyDocument as jest.Mock;
    const schemaChecked = schema.checkSchema as jest.Mock;
    classified.mockClear();
    schemaChecked.mockClear();
    {
      fabric.add('raw/one.yaml', vpc('vpc-one', '10.210.0.0/24', 1600));
      const plan = warm.plan(fabric);
      warm.validation.validate(documentsOf(plan));
      // the new document only; not every managed file of the fabric
      expect(classified.mock.calls.length).toBe(1);
      expect(schemaChecked.mock.calls.length).toBe(1);

      classified.mockClear();
      schemaChecked.mockClear();
      const fresh = new WarmProcess();
      const full = fresh.plan(fabric);
      fresh.validation.validate(documentsOf(full));
      expect(full.resources.length).toBeGreaterThan(100);
      expect(classified.mock.calls.length).toBeGreaterThanOrEqual(full.resources.length);
      expect(schemaChecked.mock.calls.length).toBeGreaterThanOrEqual(full.resources.length);
    }
  });

  it('validates again what the config of the validation changes', () => {
    const { fabric, warm } = started();
    const plan = warm.plan(fabric);
    const config = { config: { leafASNStart: 64001, leafASNEnd: 64002 } };
    const before = warm.validation.validate(documentsOf(plan));
    expect(before.findings).toEqual(validateFabric(documentsOf(plan)).findings);
    expect(validateFabric(documentsOf(plan), config).findings).not.toEqual(before.findings);
    expect(warm.validation.validate(documentsOf(plan), config).findings).toEqual(
      validateFabric(documentsOf(plan), config).findings,
    );
  });
});
