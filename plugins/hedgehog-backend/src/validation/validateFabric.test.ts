import { TEST_CONFIG, asFile, baseFabric, get, indexOf, resource, VPC_API } from './__testUtils__/fabric';
import { validateFabric } from './validateFabric';

type Obj = Record<string, any>;
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe('validateFabric', () => {
  it('warns about documents that are not managed kinds and validates the rest', () => {
    const { valid, findings } = validateFabric([
      { file: 'a.yaml', document: 0, object: ['a', 'list'] },
      { file: 'a.yaml', document: 1, object: 'text' },
      { file: 'a.yaml', document: 2, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } },
      { file: 'a.yaml', document: 3, object: { apiVersion: 'example.com/v1', kind: 'VPC', metadata: { name: 'x' } } },
      { file: 'a.yaml', document: 4, object: { kind: 'VPC', metadata: { name: 'x' }, spec: { subnets: { default: { subnet: '10.0.0.0/24', vlan: 1 } } } } },
    ]);
    expect(findings.map(f => [f.severity, f.rule, f.document, f.path])).toEqual([
      ['warning', 'document.unmanaged', 0, ''],
      ['warning', 'document.unmanaged', 1, ''],
      ['warning', 'document.unmanaged', 2, 'kind'],
      ['warning', 'document.unmanaged', 3, 'kind'],
      ['error', 'schema.api-version', 4, 'apiVersion'],
    ]);
    expect(valid).toBe(false);
  });

  it('reports a missing spec through its required fields, and a missing name', () => {
    const { findings } = validateFabric([
      { file: 'a.yaml', document: 0, object: { apiVersion: VPC_API, kind: 'VPC', metadata: {} } },
      { file: 'a.yaml', document: 1, object: { apiVersion: VPC_API, kind: 'VPCAttachment', metadata: { name: 'a' }, spec: null } },
    ]);
    expect(findings.map(f => [f.rule, f.document, f.path])).toEqual([
      ['schema.required', 0, 'spec.subnets'],
      ['metadata.name', 0, 'metadata.name'],
      ['schema.required', 1, 'spec.subnet'],
      ['schema.required', 1, 'spec.connection'],
    ]);
  });

  it('reports every problem of one document, not only the first', () => {
    const docs = baseFabric();
    const vpc = get(docs, 'VPC/vpc-1');
    vpc.metadata.name = 'Vpc_Number_One';
    vpc.spec.subnets.default.vlan = 'x';
    vpc.spec.subnets.default.gateway = '10.9.9.9';
    vpc.spec.subnets.default.dhcp.range.end = '10.0.2.5';
    vpc.spec.colour = 'blue';
    const { findings } = validateFabric(asFile(docs), { config: TEST_CONFIG });
    const at = indexOf(docs, 'VPC/Vpc_Number_One');
    expect(findings.filter(f => f.document === at).map(f => [f.rule, f.path])).toEqual([
      ['schema.type', 'spec.subnets.default.vlan'],
      ['schema.unknown-field', 'spec.colour'],
      ['metadata.name-length', 'metadata.name'],
      ['metadata.name', 'metadata.name'],
      ['vpc.subnet-gateway', 'spec.subnets.default.gateway'],
      ['vpc.dhcp-range', 'spec.subnets.default.dhcp.range.end'],
    ]);
  });

  it('never throws on documents of any shape', () => {
    const garbage: unknown[] = [null, 'x', -1, 1.5, true, [], {}, [null], { a: 1 }];
    const base = baseFabric();
    const leaves = (o: unknown, path: Array<string | number> = []): Array<Array<string | number>> =>
      o !== null && typeof o === 'object'
        ? [path, ...Object.entries(o as Obj).flatMap(([k, v]) => leaves(v, [...path, Array.isArray(o) ? Number(k) : k]))]
        : [path];
    let runs = 0;
    base.forEach((doc, i) => {
      for (const path of leaves(doc).filter(p => p.length > 0)) {
        for (const value of garbage) {
          const docs = clone(base);
          let o: any = docs[i];
          for (const seg of path.slice(0, -1)) o = o[seg];
          o[path[path.length - 1]] = value;
          expect(() => validateFabric(asFile(docs), { config: TEST_CONFIG })).not.toThrow();
          runs++;
        }
      }
    });
    expect(runs).toBeGreaterThan(1000);
  });

  it('orders findings by the input order of the documents', () => {
    const docs = baseFabric();
    get(docs, 'VPC/vpc-2').spec.subnets.default.vlan = 1001; // reused: reported on vpc-1 and vpc-2
    get(docs, 'Switch/spine-1').spec.profile = 'custom';
    const { findings } = validateFabric(
      docs.map((object, i) => ({ file: i % 2 ? 'b.yaml' : 'a.yaml', document: i, object })),
      { config: TEST_CONFIG },
    );
    expect(findings.map(f => f.document)).toEqual([indexOf(docs, 'Switch/spine-1'), indexOf(docs, 'VPC/vpc-1'), indexOf(docs, 'VPC/vpc-2')]);
  });

  describe('context: the fabric\'s other resources', () => {
    const posted = (object: Obj) => [{ file: 'raw/new.yaml', document: 0, object }];

    it('resolves references to and checks against the context, reporting only about the documents', () => {
      const context = baseFabric();
      const vpc = resource(VPC_API, 'VPC', 'vpc-3', { subnets: { default: { subnet: '10.0.1.0/26', vlan: 1001 } } });
      const { findings } = validateFabric(posted(vpc), { context, config: TEST_CONFIG });
      expect(findings.map(f => [f.rule, f.file, f.path])).toEqual([
        ['fabric.vpc-subnet-overlap', 'raw/new.yaml', 'spec.subnets.default.subnet'],
        ['fabric.vpc-vlan-reused', 'raw/new.yaml', 'spec.subnets.default.vlan'],
      ]);
      // the context's resource is named with its managed file
      for (const f of findings) expect(f.message).toMatch(/managed\/vpcs\/vpc-1\.yaml/);
      for (const f of findings) expect(f.message).not.toMatch(/\(\)|\(, /);
      const attachment = resource(VPC_API, 'VPCAttachment', 'vpc-2--server-1', { subnet: 'vpc-2/default', connection: 'server-1--unbundled--leaf-1' });
      expect(validateFabric(posted(attachment), { context, config: TEST_CONFIG }).findings).toEqual([]);
    });

    it('a document replaces the context object of the same kind/name', () => {
      const context = baseFabric();
      const vpc = clone(get(context, 'VPC/vpc-1'));
      vpc.spec.subnets.default.vlan = 1500;
      expect(validateFabric(posted(vpc), { context, config: TEST_CONFIG }).findings).toEqual([]);
      // the edited object is what the others are checked against
      vpc.spec.subnets.default.vlan = 1002;
      expect(validateFabric(posted(vpc), { context, config: TEST_CONFIG }).findings.map(f => f.rule)).toEqual(['fabric.vpc-vlan-reused']);
    });
  });

  describe('live objects: references to kinds the fabric\'s Git does not hold', () => {
    const vpcOnly = () => [get(baseFabric(), 'VPC/vpc-1'), get(baseFabric(), 'VPCAttachment/vpc-1--server-1')];
    const live = ['VLANNamespace/default', 'IPv4Namespace/default', 'Connection/server-1--unbundled--leaf-1', 'Switch/leaf-1'].map(k =>
      get(baseFabric(), k),
    );

    it('offline, a reference is a warning; implied default namespaces are not reported', () => {
      const { valid, findings } = validateFabric(asFile(vpcOnly()), { config: TEST_CONFIG });
      expect(valid).toBe(true);
      expect(findings.map(f => [f.severity, f.rule, f.path])).toEqual([['warning', 'reference.unverified', 'spec.connection']]);
    });

    it('with live objects, references resolve against them, and checks use them', () => {
      expect(validateFabric(asFile(vpcOnly()), { config: TEST_CONFIG, live }).findings).toEqual([]);
      const docs = vpcOnly();
      docs[0].spec.subnets.default.vlan = 3500; // outside the live VLANNamespace
      docs[1].spec.connection = 'gone';
      const { findings } = validateFabric(asFile(docs), { config: TEST_CONFIG, live });
      expect(findings.map(f => [f.severity, f.rule, f.document, f.path])).toEqual([
        ['error', 'fabric.vpc-vlan-outside-namespace', 0, 'spec.subnets.default.vlan'],
        ['error', 'reference.missing', 1, 'spec.connection'],
      ]);
      expect(findings[1].message).toContain('neither in the fabric\'s Git nor in the cluster');
    });

    it('an implied default namespace missing from the cluster is an error', () => {
      const { findings } = validateFabric(asFile(vpcOnly()), { config: TEST_CONFIG, live: live.slice(2) });
      expect(findings.map(f => [f.rule, f.path])).toEqual([
        ['reference.missing', 'spec.ipv4Namespace'],
        ['reference.missing', 'spec.vlanNamespace'],
      ]);
      expect(findings[0].message).toContain('the default, as spec.ipv4Namespace is not set');
    });

    it('live objects of kinds the fabric holds in Git are not used', () => {
      const docs = baseFabric().filter(d => d.kind !== 'VPCPeering');
      get(docs, 'VPCAttachment/vpc-1--server-1').spec.subnet = 'vpc-9/default';
      const vpc9 = resource(VPC_API, 'VPC', 'vpc-9', { subnets: { default: { subnet: '10.0.9.0/24', vlan: 1009 } } });
      const { findings } = validateFabric(asFile(docs), { config: TEST_CONFIG, live: [vpc9] });
      expect(findings.map(f => [f.rule, f.path])).toEqual([['reference.missing', 'spec.subnet']]);
    });
  });

  it('rejects what the earlier NetBox plugin got wrong: subnets as a list, VLAN ranges with start/end', () => {
    const docs = baseFabric();
    const vpc = get(docs, 'VPC/vpc-2');
    vpc.spec.subnets = [{ name: 'default', subnet: '10.0.2.0/24', vlan: 1002 }];
    get(docs, 'VLANNamespace/default').spec.ranges = [{ start: 1000, end: 2999 }];
    const { findings } = validateFabric(asFile(docs), { config: TEST_CONFIG });
    const at = [0, indexOf(docs, 'VPC/vpc-2')];
    expect(findings.filter(f => at.includes(f.document!)).map(f => [f.rule, f.document, f.path])).toEqual([
      ['schema.required', 0, 'spec.ranges[0].from'],
      ['schema.unknown-field', 0, 'spec.ranges[0].start'],
      ['schema.unknown-field', 0, 'spec.ranges[0].end'],
      ['schema.type', indexOf(docs, 'VPC/vpc-2'), 'spec.subnets'],
    ]);
  });

  it('formats paths of keys that are not identifiers with brackets', () => {
    const docs = baseFabric();
    get(docs, 'Switch/spine-1').spec.portFECs = { 'E1/1': 'fast' };
    const { findings } = validateFabric(asFile(docs), { config: TEST_CONFIG });
    expect(findings.map(f => f.path)).toEqual(['spec.portFECs["E1/1"]']);
  });
});
