import { DocumentClass, classifyDocument, isPlainObject } from './classifyDocument';
import { CONTROLLER_KINDS, HEDGEHOG_KINDS, apiVersionOf, findControllerKind } from './kinds';

const WIRING = 'wiring.githedgehog.com/v1beta1';
const VPC = 'vpc.githedgehog.com/v1beta1';

const vpc = (extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  apiVersion: VPC,
  kind: 'VPC',
  metadata: { name: 'vpc-1', namespace: 'default', ...metadata },
  spec: { subnets: { default: { subnet: '10.0.1.0/24', vlan: 1001 } } },
  ...extra,
});

function rejected(cls: DocumentClass) {
  if (cls.type !== 'unmanaged') throw new Error(`expected an unmanaged document, got ${cls.type}`);
  return cls;
}

describe('classifyDocument', () => {
  describe('valid documents', () => {
    /** A minimal valid document of every kind (names within each kind's length limit). */
    const examples: Record<string, Record<string, unknown>> = {
      VLANNamespace: { ranges: [{ from: 1000, to: 2999 }] },
      IPv4Namespace: { subnets: ['10.0.0.0/16'] },
      SwitchGroup: {},
      Switch: { role: 'server-leaf', profile: 'vs', boot: { mac: '0c:20:12:ff:00:00' } },
      Server: { description: 'server 1' },
      Connection: { unbundled: { link: { server: { port: 'server-1/enp2s1' }, switch: { port: 'leaf-1/E1/1' } } } },
      VPC: { subnets: { default: { subnet: '10.0.1.0/24', vlan: 1001 } } },
      External: { inboundCommunity: '65102:5000', outboundCommunity: '50000:50001', ipv4Namespace: 'default' },
      VPCAttachment: { connection: 'server-1--unbundled--leaf-1', subnet: 'vpc-1/default' },
      VPCPeering: { permit: [{ 'vpc-1': {}, 'vpc-2': {} }] },
      ExternalAttachment: { connection: 'leaf-1--external--ext', external: 'ext', switch: { ip: '10.1.0.1/24', vlan: 100 } },
      GatewayGroup: {},
      Gateway: { protocolIP: '172.30.8.2/32', vtepIP: '172.30.12.2/32', vtepMAC: 'ca:fe:ba:be:00:01', asn: 65534 },
      GatewayPeering: { peering: { 'vpc-1': { expose: [{ ips: [{ vpcSubnet: 'default' }] }] }, 'vpc-2': { expose: [{ default: true }] } } },
      ExternalPeering: { permit: { vpc: { name: 'vpc-1', subnets: ['default'] }, external: { name: 'ext', prefixes: [{ prefix: '0.0.0.0/0' }] } } },
    };

    it('has an example for each of the 15 kinds', () => {
      expect(HEDGEHOG_KINDS).toHaveLength(15);
      expect(Object.keys(examples).sort()).toEqual(HEDGEHOG_KINDS.map(k => k.kind).sort());
    });

    it.each(HEDGEHOG_KINDS.map(k => [k.kind, k] as const))('accepts a valid %s', (_, kind) => {
      const object = {
        apiVersion: apiVersionOf(kind),
        kind: kind.kind,
        metadata: { name: 'res-1', namespace: 'default' },
        spec: examples[kind.kind],
      };
      const cls = classifyDocument(object);
      expect(cls).toEqual({ type: 'managed', kind, name: 'res-1', object });
    });

    it('accepts documents without namespace, with a null namespace, without spec or with a null spec', () => {
      expect(classifyDocument(vpc({}, { namespace: undefined })).type).toBe('managed');
      expect(classifyDocument(vpc({}, { namespace: null })).type).toBe('managed');
      const { spec, ...noSpec } = vpc();
      expect(spec).toBeDefined();
      expect(classifyDocument(noSpec).type).toBe('managed');
      expect(classifyDocument(vpc({ spec: null })).type).toBe('managed');
    });

    it('accepts a status block (it is dropped later) and string labels and annotations', () => {
      const cls = classifyDocument(
        vpc({ status: { applied: {} } }, { labels: { a: 'b' }, annotations: { 'x.io/y': '1' } }),
      );
      expect(cls.type).toBe('managed');
    });

    it('accepts names with dots and dashes and a VPC name of exactly 11 characters', () => {
      expect(classifyDocument(vpc({}, { name: 'a.b-c.d' })).type).toBe('managed');
      expect(classifyDocument(vpc({}, { name: 'abcdefghijk' })).type).toBe('managed');
    });

    it('accepts 253-character names for kinds without a shorter limit', () => {
      const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
      expect(name).toHaveLength(253);
      const object = { apiVersion: WIRING, kind: 'Connection', metadata: { name }, spec: {} };
      expect(classifyDocument(object).type).toBe('managed');
      const tooLong = { ...object, metadata: { name: `${name}x` } };
      expect(rejected(classifyDocument(tooLong)).rule).toBe('invalid-name');
    });
  });

  describe('empty documents', () => {
    it.each([[null], [undefined]])('classifies %p as empty', value => {
      expect(classifyDocument(value)).toEqual({ type: 'empty' });
    });
  });

  describe('rejections', () => {
    it.each([
      ['a list', [vpc()], /a list/],
      ['a string', 'kind: VPC', /a string/],
      ['a number', 42, /a number/],
      ['a boolean', true, /a boolean/],
      ['binary data', Buffer.from('x'), /not a Kubernetes object/],
    ])('rejects %s as not-an-object', (_, value, message) => {
      const cls = rejected(classifyDocument(value));
      expect(cls).toEqual({ type: 'unmanaged', rule: 'not-an-object', path: '', message: expect.stringMatching(message) });
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['not a string', 1],
    ])('rejects an apiVersion that is %s', (_, apiVersion) => {
      const cls = rejected(classifyDocument(vpc({ apiVersion })));
      expect(cls.rule).toBe('missing-api-version');
      expect(cls.path).toBe('apiVersion');
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['not a string', ['VPC']],
    ])('rejects a kind that is %s', (_, kind) => {
      const cls = rejected(classifyDocument(vpc({ kind })));
      expect(cls.rule).toBe('missing-kind');
      expect(cls.path).toBe('kind');
    });

    it.each([
      ['v1', 'ConfigMap'],
      ['apps/v1', 'Deployment'],
      ['example.com/v1beta1', 'VPC'],
      ['vpc.githedgehog.com.evil.io/v1beta1', 'VPC'],
      ['notgithedgehog.com/v1beta1', 'VPC'],
    ])('rejects %s %s as not-hedgehog', (apiVersion, kind) => {
      const cls = rejected(classifyDocument({ apiVersion, kind, metadata: { name: 'x' } }));
      expect(cls.rule).toBe('not-hedgehog');
      expect(cls.message).toContain(kind);
    });

    it.each([
      ['fabricator.githedgehog.com/v1beta1', 'Fabricator'],
      ['vpc.githedgehog.com/v1beta1', 'vpc'],
      ['wiring.githedgehog.com/v1beta1', 'ServerProfile'],
      // a controller-made kind's name in another group is just unknown
      ['vpc.githedgehog.com/v1beta1', 'VPCInfo'],
    ])('rejects %s %s as unknown-kind', (apiVersion, kind) => {
      const cls = rejected(classifyDocument({ apiVersion, kind, metadata: { name: 'x', namespace: 'fab' } }));
      expect(cls).toEqual({ type: 'unmanaged', rule: 'unknown-kind', path: 'kind', message: expect.stringContaining(`kind ${kind}`) });
      expect(cls.message).toContain(`not one of the ${HEDGEHOG_KINDS.length} kinds managed through GitOps`);
    });

    it.each([
      ['gateway.githedgehog.com/v1alpha1', 'VPCInfo', 'one per VPC and External'],
      ['gwint.githedgehog.com/v1alpha1', 'GatewayAgent', 'one per Gateway'],
      ['agent.githedgehog.com/v1beta1', 'Agent', 'one per Switch'],
      ['agent.githedgehog.com/v1beta1', 'Catalog', 'one per Switch'],
      ['dhcp.githedgehog.com/v1beta1', 'DHCPSubnet', 'one per VPC subnet'],
      ['wiring.githedgehog.com/v1beta1', 'SwitchProfile', 'the built-in switch profiles'],
    ])('rejects %s %s as made by Hedgehog\'s controller', (apiVersion, kind, from) => {
      // whatever else is wrong with it (namespace fab, no spec)
      const cls = rejected(classifyDocument({ apiVersion, kind, metadata: { name: 'x', namespace: 'fab' } }));
      expect(cls).toEqual({ type: 'unmanaged', rule: 'controller-kind', path: 'kind', message: expect.any(String) });
      expect(cls.message.startsWith(`kind ${kind} (${apiVersion}) is created by Hedgehog's controller (${from}`)).toBe(true);
      expect(cls.message.endsWith('); it is not managed through GitOps')).toBe(true);
      expect(findControllerKind(apiVersion, kind)?.kind).toBe(kind);
    });

    it('keeps the controller-made kinds and the managed kinds apart', () => {
      for (const k of CONTROLLER_KINDS) {
        expect(HEDGEHOG_KINDS.find(m => m.kind === k.kind && m.group === k.group)).toBeUndefined();
      }
      expect(new Set(CONTROLLER_KINDS.map(k => `${k.group}/${k.kind}`)).size).toBe(CONTROLLER_KINDS.length);
    });

    it('rejects a kind in the wrong group', () => {
      const cls = rejected(classifyDocument(vpc({ apiVersion: WIRING })));
      expect(cls).toEqual(
        expect.objectContaining({ rule: 'wrong-group', path: 'apiVersion', message: expect.stringContaining('vpc.githedgehog.com') }),
      );
      expect(rejected(classifyDocument({ apiVersion: VPC, kind: 'Switch', metadata: { name: 'a' } })).rule).toBe('wrong-group');
    });

    it.each(['v1alpha2', 'v1', 'v1beta2', ''])('rejects version %p as unsupported-version', version => {
      const cls = rejected(classifyDocument(vpc({ apiVersion: `vpc.githedgehog.com/${version}` })));
      expect(cls.rule).toBe('unsupported-version');
      expect(cls.message).toContain(VPC);
    });

    it('rejects an apiVersion with more than one slash', () => {
      const cls = rejected(classifyDocument(vpc({ apiVersion: `${VPC}/extra` })));
      expect(cls.rule).toBe('unsupported-version');
    });

    it.each([
      ['missing', undefined],
      ['null', null],
      ['a string', 'vpc-1'],
      ['a list', [{ name: 'vpc-1' }]],
    ])('rejects metadata that is %s', (_, metadata) => {
      const cls = rejected(classifyDocument(vpc({ metadata })));
      expect(cls).toEqual(expect.objectContaining({ rule: 'missing-metadata', path: 'metadata' }));
    });

    it.each([
      ['missing', undefined],
      ['empty', ''],
      ['a number', 123],
      ['upper case', 'VPC-1'],
      ['with an underscore', 'vpc_1'],
      ['starting with a dash', '-vpc'],
      ['ending with a dash', 'vpc-'],
      ['with a space', 'vpc 1'],
      ['with a slash', 'a/b'],
      ['non-ASCII', 'vpc-ü'],
      ['12 characters long (VPC limit is 11)', 'abcdefghijkl'],
    ])('rejects a VPC name that is %s', (_, name) => {
      const cls = rejected(classifyDocument(vpc({}, { name })));
      expect(cls).toEqual(expect.objectContaining({ rule: 'invalid-name', path: 'metadata.name', message: expect.stringMatching(/^VPC: /) }));
    });

    it.each([
      ['missing', undefined, 'VPC: metadata.name is required'],
      ['empty', '', 'VPC: metadata.name is empty'],
      ['a number (name: 123 in YAML)', 123, 'VPC: metadata.name is the number 123, not a string; quote it ("123") if that is the name'],
      ['a boolean', true, 'VPC: metadata.name is the boolean true, not a string; quote it ("true") if that is the name'],
      ['a list', ['a'], 'VPC: metadata.name must be a string, not a list'],
      ['a mapping', { a: 1 }, 'VPC: metadata.name must be a string, not a mapping'],
      ['binary (!!binary in YAML)', new Uint8Array([1]), 'VPC: metadata.name must be a string, not binary data (a !!binary value)'],
    ])('says what a name that is %s is', (_, name, message) => {
      expect(rejected(classifyDocument(vpc({}, { name })))).toEqual(expect.objectContaining({ rule: 'invalid-name', message }));
    });

    it('applies the 11-character limit to IPv4Namespace and External as well', () => {
      for (const kind of ['IPv4Namespace', 'External']) {
        const ok = classifyDocument({ apiVersion: VPC, kind, metadata: { name: 'a'.repeat(11) } });
        const long = classifyDocument({ apiVersion: VPC, kind, metadata: { name: 'a'.repeat(12) } });
        expect(ok.type).toBe('managed');
        expect(rejected(long).message).toMatch(/12 characters long; at most 11/);
      }
    });

    it('accepts an empty namespace as the default one, as kubectl does', () => {
      expect(classifyDocument(vpc({}, { namespace: '' })).type).toBe('managed');
    });

    it.each(['fab', 'kube-system', 1])('rejects namespace %p', namespace => {
      const cls = rejected(classifyDocument(vpc({}, { namespace })));
      expect(cls).toEqual(expect.objectContaining({ rule: 'namespace', path: 'metadata.namespace', message: expect.stringContaining('"default"') }));
    });

    it.each([
      ['labels', 'a number', { 'x.io/a': 1 }],
      ['labels', 'a boolean', { enabled: true }],
      ['labels', 'null', { a: null }],
      ['annotations', 'a mapping', { 'x.io/a': { b: 'c' } }],
      ['annotations', 'a list', { 'x.io/a': ['b'] }],
      ['annotations', 'a number', { 'x.io/a': 1.5 }],
    ])('rejects %s with a value that is %s', (field, _, map) => {
      const cls = rejected(classifyDocument(vpc({}, { [field]: map })));
      expect(cls.rule).toBe('invalid-metadata');
      expect(cls.path).toBe(`metadata.${field}.${Object.keys(map)[0]}`);
      expect(cls.message).toMatch(/must be a string/);
    });

    it.each(['labels', 'annotations'])('rejects %s that are not a mapping', field => {
      const cls = rejected(classifyDocument(vpc({}, { [field]: ['a=b'] })));
      expect(cls).toEqual(expect.objectContaining({ rule: 'invalid-metadata', path: `metadata.${field}` }));
    });

    it('rejects unknown top-level fields and names all of them', () => {
      const cls = rejected(classifyDocument(vpc({ data: {}, items: [] })));
      expect(cls).toEqual(expect.objectContaining({ rule: 'unknown-field', path: 'data', message: expect.stringContaining('data, items') }));
    });

    it.each([
      ['a list', [{ a: 1 }]],
      ['a string', 'subnets'],
      ['a number', 0],
    ])('rejects a spec that is %s', (_, spec) => {
      const cls = rejected(classifyDocument(vpc({ spec })));
      expect(cls).toEqual(expect.objectContaining({ rule: 'invalid-spec', path: 'spec' }));
    });

    it('checks apiVersion before kind, and the kind before the name', () => {
      expect(rejected(classifyDocument({ metadata: { name: 'BAD' } })).rule).toBe('missing-api-version');
      expect(rejected(classifyDocument({ apiVersion: 'v1', metadata: { name: 'BAD' } })).rule).toBe('missing-kind');
      expect(rejected(classifyDocument({ apiVersion: VPC, kind: 'Nope', metadata: { name: 'BAD' } })).rule).toBe('unknown-kind');
    });
  });
});

describe('isPlainObject', () => {
  it('is true for mappings only', () => {
    expect(isPlainObject({})).toBe(true);
    expect(isPlainObject(Object.create(null))).toBe(true);
    expect(isPlainObject([])).toBe(false);
    expect(isPlainObject(null)).toBe(false);
    expect(isPlainObject('a')).toBe(false);
    expect(isPlainObject(Buffer.from('a'))).toBe(false);
    expect(isPlainObject(new Date())).toBe(false);
  });
});
