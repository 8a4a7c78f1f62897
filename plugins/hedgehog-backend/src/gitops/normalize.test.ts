import {
  ANNOTATION_SOURCE_FILE,
  ANNOTATION_SOURCE_INDEX,
  classifyDocument,
  ManagedDocument,
} from '@fabric-gitops/plugin-hedgehog-common';
import fs from 'fs';
import path from 'path';
import { parse, stringify } from 'yaml';
import { canonicalResource, contentKey, renderResource, sortedKeys, sortKeys, sourceOf } from './normalize';
import { parseYamlFile } from './parse';

const SAMPLES = path.resolve(__dirname, '../../../../test/fixtures/samples');

function managed(value: unknown): ManagedDocument {
  const cls = classifyDocument(value);
  if (cls.type !== 'managed') throw new Error(`not managed: ${JSON.stringify(cls)}`);
  return cls;
}

/** Reads rendered text back the way the planner does and renders it again. */
function reRender(text: string): string {
  const parsed = parseYamlFile(Buffer.from(text, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  const docs = parsed.documents.filter(d => !d.empty);
  expect(docs).toHaveLength(1);
  expect(docs[0].error).toBeUndefined();
  return renderResource(canonicalResource(managed(docs[0].value)));
}

const exported = {
  status: { applied: { gen: 1 } },
  spec: {
    subnets: {
      zeta: { vlan: 1002, subnet: '10.0.2.0/24' },
      alpha: { vlan: 1001, subnet: '10.0.1.0/24', dhcp: { range: { start: '10.0.1.10' }, enable: true } },
    },
    permit: [['zeta', 'alpha']],
  },
  metadata: {
    uid: '0b7e9c1a-1111-2222-3333-444455556666',
    resourceVersion: '123456',
    generation: 3,
    creationTimestamp: '2024-05-01T10:00:00Z',
    managedFields: [{ manager: 'kubectl', operation: 'Apply' }],
    finalizers: ['x'],
    selfLink: '/apis/vpc.githedgehog.com/v1beta1/namespaces/default/vpcs/vpc-1',
    labels: { 'z.io/b': 'b', 'a.io/a': 'a' },
    annotations: {
      'zz.io/keep': 'yes',
      'hnp.githedgehog.com/imported-at': '2024-05-01T10:00:00Z',
      'hnp.githedgehog.com/source': 'netbox',
      'managed-by': 'hedgehog-netbox-plugin',
      'kubectl.kubernetes.io/last-applied-configuration': '{"apiVersion":"vpc.githedgehog.com/v1beta1"}',
      'aa.io/keep': 'x',
    },
    name: 'vpc-1',
  },
  kind: 'VPC',
  apiVersion: 'vpc.githedgehog.com/v1beta1',
};

describe('canonicalResource', () => {
  it('keeps apiVersion, kind, metadata and spec in that order, without status', () => {
    const c = canonicalResource(managed(exported));
    expect(Object.keys(c)).toEqual(['apiVersion', 'kind', 'metadata', 'spec']);
    expect(c).not.toHaveProperty('status');
  });

  it('keeps only name, namespace default, labels and annotations in metadata', () => {
    const c = canonicalResource(managed(exported)) as any;
    expect(Object.keys(c.metadata)).toEqual(['name', 'namespace', 'labels', 'annotations']);
    expect(c.metadata.name).toBe('vpc-1');
    expect(c.metadata.namespace).toBe('default');
    expect(c.metadata.labels).toEqual({ 'a.io/a': 'a', 'z.io/b': 'b' });
    expect(Object.keys(c.metadata.labels)).toEqual(['a.io/a', 'z.io/b']);
  });

  it('sets namespace default when the document has none', () => {
    const { namespace, ...rest } = { name: 'vpc-1', namespace: undefined };
    expect(namespace).toBeUndefined();
    const c = canonicalResource(managed({ apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: rest })) as any;
    expect(c.metadata).toEqual({ name: 'vpc-1', namespace: 'default' });
    expect(c.spec).toEqual({});
  });

  it('drops legacy hnp.githedgehog.com annotations, the HNP managed-by marker and last-applied-configuration', () => {
    const c = canonicalResource(managed(exported)) as any;
    expect(c.metadata.annotations).toEqual({ 'aa.io/keep': 'x', 'zz.io/keep': 'yes' });
    expect(Object.keys(c.metadata.annotations)).toEqual(['aa.io/keep', 'zz.io/keep']);
  });

  it('keeps a managed-by annotation of another tool', () => {
    const c = canonicalResource(managed({ ...exported, metadata: { name: 'vpc-1', annotations: { 'managed-by': 'me' } } })) as any;
    expect(c.metadata.annotations).toEqual({ 'managed-by': 'me' });
  });

  it('omits empty labels and annotations', () => {
    const c = canonicalResource(
      managed({ ...exported, metadata: { name: 'vpc-1', labels: {}, annotations: { 'hnp.githedgehog.com/x': 'y' } } }),
    ) as any;
    expect(c.metadata).toEqual({ name: 'vpc-1', namespace: 'default' });
  });

  it('sorts spec keys at every depth and keeps list order', () => {
    const c = canonicalResource(managed(exported)) as any;
    expect(Object.keys(c.spec)).toEqual(['permit', 'subnets']);
    expect(Object.keys(c.spec.subnets)).toEqual(['alpha', 'zeta']);
    expect(Object.keys(c.spec.subnets.alpha)).toEqual(['dhcp', 'subnet', 'vlan']);
    expect(Object.keys(c.spec.subnets.alpha.dhcp)).toEqual(['enable', 'range']);
    expect(c.spec.permit).toEqual([['zeta', 'alpha']]);
  });

  it('adds tracking annotations from the source and replaces ones already present', () => {
    const doc = managed({
      ...exported,
      metadata: { name: 'vpc-1', annotations: { [ANNOTATION_SOURCE_FILE]: 'raw/old.yaml', [ANNOTATION_SOURCE_INDEX]: '9' } },
    });
    const c = canonicalResource(doc, { file: 'raw/new.yaml', document: 0 }) as any;
    expect(c.metadata.annotations).toEqual({ [ANNOTATION_SOURCE_FILE]: 'raw/new.yaml', [ANNOTATION_SOURCE_INDEX]: '0' });
    expect(typeof c.metadata.annotations[ANNOTATION_SOURCE_INDEX]).toBe('string');
  });

  it('keeps existing tracking annotations when no source is given (a managed file)', () => {
    const doc = managed({
      ...exported,
      metadata: { name: 'vpc-1', annotations: { [ANNOTATION_SOURCE_FILE]: 'raw/old.yaml', [ANNOTATION_SOURCE_INDEX]: '9' } },
    });
    expect(sourceOf(canonicalResource(doc))).toEqual({ file: 'raw/old.yaml', document: 9 });
  });

  it('does not change the document it reads', () => {
    const copy = JSON.parse(JSON.stringify(exported));
    canonicalResource(managed(copy), { file: 'raw/a.yaml', document: 1 });
    expect(copy).toEqual(exported);
  });

  it('contains no timestamps or other volatile values', () => {
    const text = renderResource(canonicalResource(managed(exported), { file: 'raw/a.yaml', document: 2 }));
    expect(text).not.toMatch(/2024-05-01|resourceVersion|uid|generation|managedFields|creationTimestamp|status|selfLink/);
  });
});

describe('renderResource', () => {
  it('renders the canonical form as block YAML with a fixed layout', () => {
    const text = renderResource(canonicalResource(managed(exported), { file: 'raw/vpcs.yaml', document: 3 }));
    expect(text).toBe(
      [
        'apiVersion: vpc.githedgehog.com/v1beta1',
        'kind: VPC',
        'metadata:',
        '  name: vpc-1',
        '  namespace: default',
        '  labels:',
        '    a.io/a: a',
        '    z.io/b: b',
        '  annotations:',
        '    aa.io/keep: x',
        '    githedgehog.com/source-file: raw/vpcs.yaml',
        '    githedgehog.com/source-index: "3"',
        '    zz.io/keep: "yes"',
        'spec:',
        '  permit:',
        '    - - zeta',
        '      - alpha',
        '  subnets:',
        '    alpha:',
        '      dhcp:',
        '        enable: true',
        '        range:',
        '          start: 10.0.1.10',
        '      subnet: 10.0.1.0/24',
        '      vlan: 1001',
        '    zeta:',
        '      subnet: 10.0.2.0/24',
        '      vlan: 1002',
        '',
      ].join('\n'),
    );
  });

  it('renders the same text for the same resource whatever the key order of the input', () => {
    const shuffled = JSON.parse(JSON.stringify(exported));
    shuffled.spec = { subnets: { alpha: shuffled.spec.subnets.alpha, zeta: shuffled.spec.subnets.zeta }, permit: shuffled.spec.permit };
    shuffled.metadata.labels = { 'a.io/a': 'a', 'z.io/b': 'b' };
    const a = renderResource(canonicalResource(managed(exported)));
    const b = renderResource(canonicalResource(managed(shuffled)));
    expect(b).toBe(a);
  });

  it('does not use anchors and aliases for repeated values', () => {
    const shared = { enable: true };
    const doc = managed({ ...exported, spec: { a: shared, b: shared } });
    const text = renderResource(canonicalResource(doc));
    expect(text).not.toMatch(/[&*]\w/);
  });

  it('does not fold long strings', () => {
    const long = 'x '.repeat(200).trim();
    const text = renderResource(canonicalResource(managed({ ...exported, spec: { description: long } })));
    expect(text).toContain(`description: ${long}\n`);
  });

  it('quotes strings a YAML 1.1 reader (kubectl) would read as booleans, numbers or timestamps', () => {
    const spec = { a: 'yes', b: 'on', c: 'n', d: 'Off', e: '1_000', f: '12:30', g: '2001-01-01', h: '10:20:30:40:50:55' };
    const text = renderResource(canonicalResource(managed({ ...exported, spec })));
    for (const [k, v] of Object.entries(spec)) expect(text).toContain(`${k}: "${v}"`);
    // YAML 1.1 reads the values back as strings.
    expect(parse(text, { version: '1.1' }).spec).toEqual(spec);
  });

  describe('idempotence: parse(render(x)) canonicalized renders the same text', () => {
    const tricky = {
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'Server',
      metadata: { name: 'server-1', annotations: { 'x.io/json': '{"a": [1, 2]}', 'x.io/empty': '' } },
      spec: {
        description: 'line one\nline two\n',
        trailing: 'ends with a space ',
        leading: ' starts with a space',
        unicode: 'Grüße – 日本 🦔',
        quotes: `it's "quoted"`,
        hash: 'a # not a comment',
        colon: 'a: b',
        dash: '- x',
        star: '*x',
        amp: '&x',
        bang: '!x',
        percent: '%x',
        at: '@x',
        numberLike: '0123',
        floatLike: '1.50',
        hexLike: '0x1F',
        nullLike: 'null',
        tilde: '~',
        boolLike: 'true',
        empty: '',
        emptyList: [],
        emptyMap: {},
        nested: [[1, [2, { b: 1, a: 2 }]], { z: null }],
        numbers: { int: 65101, negative: -1, float: 1.5, zero: 0, big: 4294967295 },
        mergeLike: '<<',
        '<<': { literally: 'a key named <<, not a merge' },
        '10': 'numeric key',
        '2': 'numeric key',
        'key with spaces': 1,
        'key: colon': 2,
        __proto__key: 3,
      },
    };

    it('holds for values that need quoting or block scalars', () => {
      const text = renderResource(canonicalResource(managed(tricky), { file: 'raw/a b/ü.yaml', document: 12 }));
      expect(reRender(text)).toBe(text);
      expect(reRender(reRender(text))).toBe(text);
      const back = parseYamlFile(Buffer.from(text));
      expect(back.ok && back.documents[0].value).toEqual(canonicalResource(managed(tricky), { file: 'raw/a b/ü.yaml', document: 12 }));
    });

    it('keeps a `__proto__` key as data', () => {
      const parsed = parseYamlFile(
        Buffer.from('apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: a\nspec:\n  __proto__:\n    polluted: true\n  b: 1\n'),
      );
      if (!parsed.ok) throw new Error(parsed.reason);
      const c = canonicalResource(managed(parsed.documents[0].value)) as any;
      expect(Object.keys(c.spec)).toEqual(['__proto__', 'b']);
      expect(c.spec.polluted).toBeUndefined();
      expect(({} as any).polluted).toBeUndefined();
      const text = renderResource(c);
      expect(text).toContain('__proto__:');
      expect(reRender(text)).toBe(text);
    });

    it.each(['01', '02', '04', '05', '07'])('holds for every managed document of sample %s', prefix => {
      const name = fs.readdirSync(SAMPLES).find(n => n.startsWith(prefix))!;
      const parsed = parseYamlFile(fs.readFileSync(path.join(SAMPLES, name)));
      if (!parsed.ok) throw new Error(parsed.reason);
      let count = 0;
      for (const d of parsed.documents) {
        const cls = classifyDocument(d.value);
        if (cls.type !== 'managed') continue;
        count++;
        const canonical = canonicalResource(cls, { file: `raw/${name}`, document: d.index });
        const text = renderResource(canonical);
        expect(reRender(text)).toBe(text);
        // No information of the spec is lost.
        expect((canonical as any).spec).toEqual((d.value as any).spec ?? {});
      }
      expect(count).toBeGreaterThan(0);
    });
  });
});

describe('contentKey', () => {
  it('ignores tracking annotations', () => {
    const doc = managed(exported);
    const a = canonicalResource(doc, { file: 'raw/a.yaml', document: 0 });
    const b = canonicalResource(doc, { file: 'raw/b.yaml', document: 7 });
    const c = canonicalResource(doc);
    expect(contentKey(a)).toBe(contentKey(b));
    expect(contentKey(a)).toBe(contentKey(c));
  });

  it('differs when the spec, a label or another annotation differs', () => {
    const base = contentKey(canonicalResource(managed(exported)));
    const spec = contentKey(canonicalResource(managed({ ...exported, spec: { subnets: {} } })));
    const label = contentKey(canonicalResource(managed({ ...exported, metadata: { ...exported.metadata, labels: { a: 'b' } } })));
    const annotation = contentKey(
      canonicalResource(managed({ ...exported, metadata: { ...exported.metadata, annotations: { 'x.io/a': 'b' } } })),
    );
    expect(new Set([base, spec, label, annotation]).size).toBe(4);
  });

  it('does not change the resource it reads', () => {
    const c = canonicalResource(managed(exported), { file: 'raw/a.yaml', document: 0 });
    const before = JSON.stringify(c);
    contentKey(c);
    expect(JSON.stringify(c)).toBe(before);
  });
});

describe('sourceOf', () => {
  it('reads the tracking annotations', () => {
    expect(sourceOf(canonicalResource(managed(exported), { file: 'raw/x.yaml', document: 4 }))).toEqual({ file: 'raw/x.yaml', document: 4 });
  });

  it('is undefined without a source-file annotation, and document 0 for a bad index', () => {
    expect(sourceOf(canonicalResource(managed(exported)))).toBeUndefined();
    expect(sourceOf({ metadata: { annotations: { [ANNOTATION_SOURCE_FILE]: 'raw/x.yaml', [ANNOTATION_SOURCE_INDEX]: 'x' } } })).toEqual({
      file: 'raw/x.yaml',
      document: 0,
    });
    expect(sourceOf({})).toBeUndefined();
  });
});

describe('sortKeys', () => {
  it('sorts keys deeply and copies', () => {
    const input = { b: { d: 1, c: [{ f: 1, e: 2 }] }, a: null };
    const out = sortKeys(input);
    expect(JSON.stringify(out)).toBe('{"a":null,"b":{"c":[{"e":2,"f":1}],"d":1}}');
    expect(out).not.toBe(input);
    expect(out.b).not.toBe(input.b);
  });

  it('leaves scalars alone', () => {
    expect(sortKeys(1)).toBe(1);
    expect(sortKeys('a')).toBe('a');
    expect(sortKeys(null)).toBeNull();
  });
});

describe('port names', () => {
  it('sort naturally among themselves (E1/2 before E1/10, breakout sub-ports after their port)', () => {
    const keys = ['E1/10', 'E1/2', 'E1/1', 'E1/55/2', 'E1/55/1', 'E1/55', 'E1/9', 'E2/1', 'E1/100'];
    expect(sortedKeys(keys)).toEqual(['E1/1', 'E1/2', 'E1/9', 'E1/10', 'E1/55', 'E1/55/1', 'E1/55/2', 'E1/100', 'E2/1']);
  });

  it('leave every other key where text order puts it', () => {
    expect(sortedKeys(['b', 'a', '10', '9', 'vlan', 'E1'])).toEqual(['10', '9', 'E1', 'a', 'b', 'vlan']);
    // mixed with port names: the other keys keep their places, the ports fill theirs in natural order
    // (text order: E1/10, E1/1x, E1/2, alpha, zeta)
    expect(sortedKeys(['zeta', 'E1/10', 'alpha', 'E1/2', 'E1/1x'])).toEqual(['E1/2', 'E1/1x', 'E1/10', 'alpha', 'zeta']);
    // the same result whatever the input order
    expect(sortedKeys(['E1/1x', 'E1/2', 'alpha', 'E1/10', 'zeta'])).toEqual(sortedKeys(['zeta', 'E1/10', 'alpha', 'E1/2', 'E1/1x']));
  });

  it('of a Switch render in natural order', () => {
    const sw = managed({
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'Switch',
      metadata: { name: 'leaf-1' },
      spec: { role: 'server-leaf', portBreakouts: { 'E1/10': '4x25G', 'E1/2': '4x25G', 'E1/1': '2x50G', 'E1/55/1': '1x100G' } },
    });
    const text = renderResource(canonicalResource(sw));
    expect(text).toContain("  portBreakouts:\n    E1/1: 2x50G\n    E1/2: 4x25G\n    E1/10: 4x25G\n    E1/55/1: 1x100G\n  role: server-leaf\n");
  });
});

describe('renderResource with comments', () => {
  const source = `# leaf-1: the first leaf
# (rack 3)
kind: Switch
apiVersion: wiring.githedgehog.com/v1beta1 # the current version
metadata:
  name: leaf-1
spec:
  # ports in use
  portBreakouts:
    E1/10: 4x25G # to the spine
    # the uplink
    E1/2: 2x50G
  role: server-leaf
  description: "a # in a string is no comment"
status:
  # gone with the status
  ok: true
# end of leaf-1
`;
  const read = () => {
    const parsed = parseYamlFile(Buffer.from(source));
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.documents[0];
  };

  it('keeps each comment at its field, the head above the document and the rest at the end', () => {
    const doc = read();
    const text = renderResource(canonicalResource(managed(doc.value)), doc.comments);
    expect(text).toBe(`# leaf-1: the first leaf
# (rack 3)
apiVersion: wiring.githedgehog.com/v1beta1 # the current version
kind: Switch
metadata:
  name: leaf-1
  namespace: default
spec:
  description: "a # in a string is no comment"
  # ports in use
  portBreakouts:
    # the uplink
    E1/2: 2x50G
    E1/10: 4x25G # to the spine
  role: server-leaf

# end of leaf-1
# gone with the status
`);
  });

  it('means the same resource as without comments, and renders without them exactly as before', () => {
    const doc = read();
    const canonical = canonicalResource(managed(doc.value));
    const text = renderResource(canonical, doc.comments);
    expect(parse(text)).toEqual(parse(renderResource(canonical)));
    expect(renderResource(canonical)).toBe(stringify(canonical, { lineWidth: 0, aliasDuplicateObjects: false, compat: 'yaml-1.1' }));
  });

  it('keeps every comment line of the source', () => {
    const doc = read();
    const text = renderResource(canonicalResource(managed(doc.value)), doc.comments);
    for (const line of source.split('\n').filter(l => /^\s*#|\s#\s/.test(l) && !l.includes('"'))) {
      expect(text).toContain(line.slice(line.indexOf('#')));
    }
  });
});
