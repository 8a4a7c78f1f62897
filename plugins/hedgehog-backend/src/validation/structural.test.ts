import { HEDGEHOG_KINDS, apiVersionOf } from '@fabric-gitops/plugin-hedgehog-common';
import { ValidationInput, validateStructure } from './structural';

const resource = (kind: string, name: unknown, extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => {
  const k = HEDGEHOG_KINDS.find(x => x.kind === kind);
  return {
    apiVersion: k ? apiVersionOf(k) : 'example.com/v1',
    kind,
    metadata: { name, namespace: 'default', ...metadata },
    spec: {},
    ...extra,
  };
};
const input = (gitPath: string, object: Record<string, unknown>): ValidationInput => ({ gitPath, object });

describe('validateStructure', () => {
  it('accepts valid resources of every kind', () => {
    const resources = HEDGEHOG_KINDS.map(k => input(`managed/${k.plural}/res-1.yaml`, resource(k.kind, 'res-1')));
    expect(validateStructure(resources)).toEqual([]);
    expect(validateStructure([])).toEqual([]);
  });

  it('accepts a resource without a namespace', () => {
    expect(validateStructure([input('managed/vpcs/a.yaml', resource('VPC', 'a', {}, { namespace: undefined }))])).toEqual([]);
  });

  it('reports an unknown kind and checks nothing else of it', () => {
    const findings = validateStructure([input('managed/x/a.yaml', resource('Gateway', 'BAD NAME', {}, { namespace: 'fab' }))]);
    expect(findings).toEqual([
      { severity: 'error', rule: 'structure.kind', file: 'managed/x/a.yaml', document: 0, path: 'kind', message: expect.stringContaining('Gateway') },
    ]);
  });

  it('reports a wrong apiVersion', () => {
    const findings = validateStructure([
      input('managed/vpcs/a.yaml', resource('VPC', 'a', { apiVersion: 'vpc.githedgehog.com/v1alpha2' })),
      input('managed/switches/s.yaml', resource('Switch', 's', { apiVersion: 'vpc.githedgehog.com/v1beta1' })),
    ]);
    expect(findings.map(f => [f.rule, f.file, f.path])).toEqual([
      ['structure.api-version', 'managed/vpcs/a.yaml', 'apiVersion'],
      ['structure.api-version', 'managed/switches/s.yaml', 'apiVersion'],
    ]);
    expect(findings[0].message).toContain('vpc.githedgehog.com/v1beta1');
  });

  it.each([
    ['upper case', 'VPC-1'],
    ['too long for a VPC', 'abcdefghijkl'],
    ['empty', ''],
    ['not a string', 7],
    ['missing', undefined],
  ])('reports a name that is %s', (_, name) => {
    const findings = validateStructure([input('managed/vpcs/x.yaml', resource('VPC', name))]);
    expect(findings).toEqual([expect.objectContaining({ severity: 'error', rule: 'structure.name', path: 'metadata.name' })]);
  });

  it('reports a namespace other than default', () => {
    const findings = validateStructure([input('managed/vpcs/a.yaml', resource('VPC', 'a', {}, { namespace: 'fab' }))]);
    expect(findings).toEqual([expect.objectContaining({ rule: 'structure.namespace', path: 'metadata.namespace' })]);
  });

  it('reports every problem of a resource', () => {
    const findings = validateStructure([
      input('managed/vpcs/a.yaml', resource('VPC', 'Way_Too_Long_Name', { apiVersion: 'v1' }, { namespace: 'x' })),
    ]);
    expect(findings.map(f => f.rule)).toEqual(['structure.api-version', 'structure.name', 'structure.namespace']);
  });

  it('reports a kind/name defined twice, at the second definition', () => {
    const findings = validateStructure([
      input('managed/vpcs/a.yaml', resource('VPC', 'a')),
      input('managed/vpcs/other.yaml', resource('VPC', 'a')),
      input('managed/switches/a.yaml', resource('Switch', 'a')),
    ]);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'structure.duplicate',
        file: 'managed/vpcs/other.yaml',
        message: 'VPC a is also defined in managed/vpcs/a.yaml',
      }),
    ]);
  });

  it('handles a resource without metadata', () => {
    const findings = validateStructure([input('managed/vpcs/a.yaml', { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC' })]);
    expect(findings.map(f => f.rule)).toEqual(['structure.name']);
  });
});
