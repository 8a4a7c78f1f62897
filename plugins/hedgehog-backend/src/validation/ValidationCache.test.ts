import { sampleDocuments } from './__testUtils__/samples';
import { generateFabric } from './bench/generateFabric';
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

  // What the fabric-wide layer derives from a spec (connection models, link IPs,
  // subnets, namespaces) is kept per spec object: a changed object is derived anew.
  type Obj = Record<string, any>;
  const mutations: Array<[string, string, (objects: Obj[]) => Obj[]]> = [
    ['a Connection that becomes external', 'vpcattachment.connection-type', objects => replace(objects, o => o.kind === 'Connection' && o.spec.unbundled, o => ({ ...o, spec: { external: { link: { switch: { port: o.spec.unbundled.link.switch.port } } } } }))],
    ['a VPC subnet that overlaps another VPC', 'fabric.vpc-subnet-overlap', objects => {
      const first = objects.find(o => o.kind === 'VPC')!;
      return replace(objects, o => o.kind === 'VPC' && o !== first, o => ({ ...o, spec: { ...o.spec, subnets: { default: { ...o.spec.subnets.default, subnet: first.spec.subnets.default.subnet } } } }));
    }],
    ['an IPv4Namespace that no longer holds the subnets', 'fabric.vpc-subnet-outside-namespace', objects => replace(objects, o => o.kind === 'IPv4Namespace', o => ({ ...o, spec: { subnets: ['192.168.0.0/16'] } }))],
    ['a Switch without the VLANNamespace of the VPCs', 'vpcattachment.vlan-namespace', objects => {
      const extra = { apiVersion: 'wiring.githedgehog.com/v1beta1', kind: 'VLANNamespace', metadata: { name: 'other' }, spec: { ranges: [{ from: 3000, to: 3100 }] } };
      return [...replace(objects, o => o.kind === 'Switch' && o.spec.role !== 'spine', o => ({ ...o, spec: { ...o.spec, vlanNamespaces: ['other'] } })), extra];
    }],
  ];
  function replace(objects: Obj[], which: (o: Obj) => boolean, by: (o: Obj) => Obj): Obj[] {
    const i = objects.findIndex(which);
    return objects.map((o, j) => (j === i ? by(o) : o));
  }
  const asDocs = (objects: Obj[]): FabricDocument[] =>
    objects.map(o => ({ file: `managed/${o.kind}/${o.metadata.name}.yaml`, document: 0, object: o }));

  it.each(mutations)('derives anew from a changed object: %s', (_what, rule, mutate) => {
    const objects = generateFabric();
    const cache = new ValidationCache();
    // derived values are kept for objects validated before (the second run on)
    expect(cache.validate(asDocs(objects))).toEqual(validateFabric(asDocs(objects)));
    expect(cache.validate(asDocs(objects))).toEqual(validateFabric(asDocs(objects)));
    const changed = mutate(objects);
    const full = validateFabric(asDocs(changed));
    expect(full.findings.map(f => f.rule)).toContain(rule);
    expect(cache.validate(asDocs(changed))).toEqual(full);
    expect(cache.validate(asDocs(objects))).toEqual(validateFabric(asDocs(objects)));
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
