import { ANNOTATION_SOURCE_FILE, ANNOTATION_SOURCE_INDEX, APPLIED_BY_LABEL, HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { generateFabric } from '../validation/bench/generateFabric';
import { UNORDERED_LISTS, matches } from './clusterOwned';
import { comparableObject } from './normalizeObject';
import { SeededRandom, seededRandom } from '../__testUtils__/random';

/*
 * comparableObject was rewritten for speed (one pass over spec, only the unordered lists'
 * paths walked). The implementation it replaced, kept here as the reference: the new one
 * must give the same comparable view of every object.
 */
const DROPPED_ANNOTATIONS = new Set([ANNOTATION_SOURCE_FILE, ANNOTATION_SOURCE_INDEX, 'kubectl.kubernetes.io/last-applied-configuration']);

function referenceComparable(obj: Record<string, any>): Record<string, unknown> {
  const metadata = obj.metadata ?? {};
  const labels = Object.fromEntries(
    Object.entries((metadata.labels ?? {}) as Record<string, string>).filter(
      ([k]) => !k.includes('fabric.githedgehog.com/') && k !== APPLIED_BY_LABEL,
    ),
  );
  const annotations = Object.fromEntries(
    Object.entries((metadata.annotations ?? {}) as Record<string, string>).filter(
      ([k]) => !DROPPED_ANNOTATIONS.has(k) && !k.startsWith('hnp.githedgehog.com/'),
    ),
  );
  const kind = String(obj.kind);
  const spec = referenceSort(kind, referencePrune(obj.spec ?? {}) ?? {});
  return referencePrune({
    apiVersion: obj.apiVersion,
    kind,
    metadata: { name: metadata.name, labels, annotations },
    spec,
  }) as Record<string, unknown>;
}

/** Removes zero values (null, '', 0, false, empty lists and maps), deeply. */
function referencePrune(value: unknown): unknown {
  if (Array.isArray(value)) {
    const list = value.map(referencePrune).map(v => (v === undefined ? null : v));
    return list.length === 0 ? undefined : list;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = referencePrune(v);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === null || value === '' || value === 0 || value === false) return undefined;
  return value;
}

function referenceSort(kind: string, spec: any): any {
  const patterns = (UNORDERED_LISTS[kind] ?? []).map(p => p.split('.'));
  if (patterns.length === 0) return spec;
  const walk = (value: any, path: string[]): any => {
    if (Array.isArray(value)) {
      const items = value.map((v, i) => walk(v, [...path, String(i)]));
      if (patterns.some(p => p.length === path.length && matches(path, p))) {
        return [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
      }
      return items;
    }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    }
    return value;
  };
  return walk(spec, ['spec']);
}



const KEYS = ['groups', 'vlanNamespaces', 'subnets', 'dhcp', 'options', 'dnsServers', 'timeServers', 'permit', 'vpc', 'external', 'prefixes', 'a', 'b', 'default'];

function randomValue(r: SeededRandom, depth: number): unknown {
  const x = r.next();
  if (depth > 0 && x < 0.25) return Array.from({ length: Math.floor(r.next() * 4) }, () => randomValue(r, depth - 1));
  if (depth > 0 && x < 0.55) {
    const out: Record<string, unknown> = {};
    const n = Math.floor(r.next() * 4);
    for (let i = 0; i < n; i++) out[r.pick(KEYS)] = randomValue(r, depth - 1);
    return out;
  }
  return r.pick([null, '', 0, false, true, 1, 'x', 'b', 'a', '10.0.0.0/24', '1.1.1.1', 2]);
}

/** A spec with lists (of scalars, maps, zero values) at some of the kind's unordered paths. */
function withUnorderedLists(r: SeededRandom, kind: string, spec: unknown): unknown {
  const out: Record<string, any> = spec && typeof spec === 'object' && !Array.isArray(spec) ? spec : {};
  for (const pattern of UNORDERED_LISTS[kind] ?? []) {
    if (r.next() < 0.3) continue;
    const segments = pattern.split('.').slice(1).map(p => (p === '*' ? r.pick(['s1', 's2']) : p));
    let at = out;
    for (const segment of segments.slice(0, -1)) {
      if (!at[segment] || typeof at[segment] !== 'object' || Array.isArray(at[segment])) at[segment] = {};
      at = at[segment];
    }
    at[segments[segments.length - 1]] = Array.from({ length: 1 + Math.floor(r.next() * 4) }, () =>
      r.pick(['b', 'a', '10.0.0.0/24', '', 3, null, { a: 'x' }, { a: 'b', b: '' }, ['z', 'y']]),
    );
  }
  return out;
}

describe('comparableObject', () => {
  it('gives the view of the implementation it replaced for every resource of a generated fabric', () => {
    const resources = generateFabric({ spines: 2, leaves: 8, serversPerLeaf: 4, vpcs: 20 });
    for (const resource of resources) {
      expect(comparableObject(resource)).toEqual(referenceComparable(structuredClone(resource)));
    }
  });

  it('gives the same view as before for 20,000 random objects of every kind, unordered lists and zero values included', () => {
    const r = seededRandom(28);
    const kinds = HEDGEHOG_KINDS.map(k => k.kind);
    let sorted = 0;
    for (let i = 0; i < 20_000; i++) {
      const kind = r.pick(kinds);
      const object = {
        apiVersion: r.pick(['wiring.githedgehog.com/v1beta1', '', undefined]),
        kind,
        metadata: {
          name: r.pick(['a', 'b', '']),
          labels: r.pick([undefined, {}, { x: 'y', [APPLIED_BY_LABEL]: 'f', 'fabric.githedgehog.com/z': '1' }, { e: '' }]),
          annotations: r.pick([undefined, { [ANNOTATION_SOURCE_FILE]: 'raw/a.yaml', keep: 'v' }, { 'hnp.githedgehog.com/t': '1' }]),
          resourceVersion: '12',
        },
        spec: withUnorderedLists(r, kind, randomValue(r, 5)),
        status: { x: 1 },
      };
      const expected = referenceComparable(structuredClone(object));
      expect(comparableObject(object)).toEqual(expected);
      // a list the reference reordered: the sorting is compared too, not only the pruning
      if (JSON.stringify(expected.spec) !== JSON.stringify(referencePrune(object.spec))) sorted++;
    }
    expect(sorted).toBeGreaterThan(100);
  });

  it('sorts an unordered list under a wildcard and leaves ordered ones alone', () => {
    const vpc = {
      apiVersion: 'vpc.githedgehog.com/v1beta1',
      kind: 'VPC',
      metadata: { name: 'v' },
      spec: { subnets: { s1: { dhcp: { options: { dnsServers: ['9.9.9.9', '1.1.1.1'] } }, gateway: ['b', 'a'] } } },
    };
    expect(comparableObject(vpc).spec).toEqual({
      subnets: { s1: { dhcp: { options: { dnsServers: ['1.1.1.1', '9.9.9.9'] } }, gateway: ['b', 'a'] } },
    });
    // the object itself is not changed
    expect(vpc.spec.subnets.s1.dhcp.options.dnsServers).toEqual(['9.9.9.9', '1.1.1.1']);
  });
});
