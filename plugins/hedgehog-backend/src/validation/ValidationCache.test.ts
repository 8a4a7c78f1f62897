import { sampleDocuments } from './__testUtils__/samples';
import { ValidationCache } from './ValidationCache';
import { FabricDocument, validateFabric } from './validateFabric';

const SAMPLES = [
  '01-demo-gitops-env1-pre-demo.yaml',
  '02-demo-gitops-env1-demo.yaml',
  '03-demo-gitops-env1-demo.reset.yaml',
  '04-hnp-vlab-prepop.yaml',
  '05-docs-sample-wiring-diagram.yaml',
  '07-nvidia-air-demo-include.yaml',
];

describe('ValidationCache', () => {
  it.each(SAMPLES)('gives what validateFabric gives for %s, cold and warm', file => {
    const docs = sampleDocuments(file);
    const cache = new ValidationCache();
    const full = validateFabric(docs);
    expect(cache.validate(docs)).toEqual(full);
    expect(cache.validate(docs)).toEqual(full);
  });

  it('gives what validateFabric gives for all samples together, after validating them apart', () => {
    const cache = new ValidationCache();
    const all: FabricDocument[] = [];
    for (const file of SAMPLES) {
      const docs = sampleDocuments(file);
      cache.validate(docs);
      all.push(...docs);
    }
    const full = validateFabric(all);
    expect(full.findings.some(f => f.rule.startsWith('reference.'))).toBe(true);
    expect(cache.validate(all)).toEqual(full);
  });

  it('locates findings where the document is now, not where it was first validated', () => {
    const cache = new ValidationCache();
    const broken = { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'v' }, spec: { subnets: { s: { subnet: 'nope', vlan: 'x' } } } };
    const first = cache.validate([{ file: 'raw/a.yaml', document: 3, object: broken }]);
    expect(first.findings.length).toBeGreaterThan(0);
    expect(first.findings.every(f => f.file === 'raw/a.yaml' && f.document === 3)).toBe(true);
    const moved = cache.validate([{ file: 'managed/vpcs/v.yaml', document: 0, object: broken }]);
    expect(moved).toEqual(validateFabric([{ file: 'managed/vpcs/v.yaml', document: 0, object: broken }]));
    expect(moved.findings.every(f => f.file === 'managed/vpcs/v.yaml' && f.document === 0)).toBe(true);
  });

  it('validates again with other options of the per-document layers', () => {
    const docs = sampleDocuments('07-nvidia-air-demo-include.yaml');
    const cache = new ValidationCache();
    cache.validate(docs);
    const options = { config: { leafASNStart: 64001, leafASNEnd: 64002 } };
    // (the options change what the per-document layers find, so a stale entry would show)
    expect(validateFabric(docs, options).findings).not.toEqual(validateFabric(docs).findings);
    expect(cache.validate(docs, options)).toEqual(validateFabric(docs, options));
    expect(cache.validate(docs)).toEqual(validateFabric(docs));
  });
});
