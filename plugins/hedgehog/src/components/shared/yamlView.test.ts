import { linesOf, resolvePath, toYaml } from './yamlView';
import {
  duration,
  formatCounts,
  formatValue,
  relativeTime,
  shortCommit,
} from './format';
import { errorMessage } from './errors';

describe('yamlView', () => {
  const obj = {
    kind: 'VPC',
    metadata: {
      name: 'vpc-1',
      labels: { 'app.kubernetes.io/name': 'x' },
    },
    spec: {
      subnets: { default: { subnet: '10.0.1.0/24', vlan: 1001 } },
      permit: [['a', 'b']],
      links: [{ leaf: { port: 'E1/1' } }, { leaf: { port: 'E1/2' } }],
    },
  };

  it('resolves dotted paths, indexes and keys with dots', () => {
    expect(resolvePath(obj, 'spec.subnets.default.vlan')).toEqual([
      'spec',
      'subnets',
      'default',
      'vlan',
    ]);
    expect(resolvePath(obj, 'spec.links[1].leaf.port')).toEqual([
      'spec',
      'links',
      1,
      'leaf',
      'port',
    ]);
    expect(resolvePath(obj, 'spec.permit[0][1]')).toEqual([
      'spec',
      'permit',
      0,
      1,
    ]);
    expect(resolvePath(obj, 'metadata.labels.app.kubernetes.io/name')).toEqual([
      'metadata',
      'labels',
      'app.kubernetes.io/name',
    ]);
    expect(resolvePath(obj, 'spec.nope')).toBeUndefined();
    expect(resolvePath(obj, 'spec.links[7].leaf')).toBeUndefined();
  });

  it('finds the YAML lines of differing fields', () => {
    const text = toYaml(obj);
    const lines = text.split('\n');
    const [vlan, port] = linesOf(obj, text, [
      'spec.subnets.default.vlan',
      'spec.links[1].leaf.port',
      'missing.path',
    ]);
    expect(lines[vlan - 1]).toContain('vlan: 1001');
    expect(lines[port - 1]).toContain('port: E1/2');
    expect(linesOf(obj, text, [])).toEqual([]);
  });
});

describe('format', () => {
  it('formats commits, durations, counts and values', () => {
    expect(shortCommit('43387a09070b4b787473acb030e5aeeb4d127095')).toBe(
      '43387a09070b',
    );
    expect(shortCommit()).toBe('–');
    expect(
      duration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.250Z'),
    ).toBe('250 ms');
    expect(
      duration('2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.500Z'),
    ).toBe('1.5 s');
    expect(
      duration('2026-01-01T00:00:00.000Z', '2026-01-01T00:02:05.000Z'),
    ).toBe('2 min 5 s');
    expect(duration()).toBe('–');
    expect(formatCounts({ filesRead: 3, some_count: 1 })).toBe(
      'files read 3 · some count 1',
    );
    // the backend's counters in words; zeros only where they say something
    expect(
      formatCounts({
        rawFiles: 4,
        ingestedFiles: 3,
        unmanagedFiles: 2,
        unmanagedDocuments: 3,
        conflictFiles: 1,
        conflictDocuments: 2,
        resourcesCreated: 39,
        resourcesUnchanged: 0,
        errors: 0,
      }),
    ).toBe(
      'raw files 4 · raw files ingested 3 · kept in unmanaged/ 2 · documents kept in unmanaged/ 3 · left in raw/ (conflict) 1 · documents left in raw/ (conflict) 2 · resources created 39 · errors 0',
    );
    expect(formatCounts({ branchExists: 1 })).toBe('');
    expect(formatCounts({ branchExists: 0 })).toBe('branch not found');
    expect(formatCounts({ branchExists: 1, rewritten: 1 })).toBe(
      'history rewritten',
    );
    expect(formatValue(undefined)).toBe('(absent)');
    expect(formatValue('x')).toBe('"x"');
    expect(formatValue({ a: [1, 2] })).toBe('{ "a": [ 1, 2 ] }');
    const now = Date.parse('2026-01-01T01:00:00Z');
    expect(relativeTime('2026-01-01T00:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-01-01T00:59:50Z', now)).toBe('10 seconds ago');
    expect(relativeTime(undefined, now)).toBe('never');
  });

  it('takes the backend message out of an error', () => {
    expect(
      errorMessage({
        name: 'ResponseError',
        message: 'Request failed with 404 Not Found',
        body: { error: { message: 'No fabric named "x"' } },
      }),
    ).toBe('No fabric named "x"');
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe(
      'Failed to fetch',
    );
    expect(errorMessage('boom')).toBe('boom');
  });
});
