import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { fabricHealth, openFindings } from './fabricHealth';

const finding = (severity: Finding['severity']) => ({
  severity,
  rule: 'schema.type',
  file: 'managed/vpcs/a.yaml',
  path: 'spec',
  message: 'm',
  resource: { kind: 'VPC', name: 'a' },
});
const onNoResource = (severity: Finding['severity']): Finding => ({ severity, rule: 'unmanaged.unknown-kind', file: 'raw/x.yaml', path: '', message: 'm' });
const outside0 = { outsideResources: { errors: 0, warnings: 0 } };
const none = { errors: 0, warnings: 0, conflicts: 0 };

describe('fabricHealth', () => {
  it('counts the open findings exactly', () => {
    const findings = [...Array(1891)].map(() => finding('error')).concat([...Array(16)].map(() => finding('warning')));
    expect(openFindings(findings, 2)).toEqual({ errors: 1891, warnings: 16, conflicts: 2, ...outside0 });
  });

  it('counts the findings a capped rule left out, with the severity of its summary finding', () => {
    const summary = { ...finding('error'), message: '49 more findings of rule schema.type in this document were left out', leftOut: 49 };
    expect(openFindings([finding('error'), summary, { ...finding('warning'), leftOut: 3 }], 0)).toEqual({ errors: 50, warnings: 3, conflicts: 0, ...outside0 });
  });

  it('counts apart the findings on files that are no resource', () => {
    const findings = [finding('error'), finding('warning'), onNoResource('warning'), { ...onNoResource('warning'), leftOut: 2 }, onNoResource('error')];
    expect(openFindings(findings, 0)).toEqual({ errors: 2, warnings: 4, conflicts: 0, outsideResources: { errors: 1, warnings: 3 } });
  });

  it('is synced only without errors, conflicts and failed applies; warnings do not count', () => {
    expect(fabricHealth({ synced: true, open: { ...none, warnings: 5 }, applyFailed: 0 })).toEqual({ status: 'in_sync' });
    expect(fabricHealth({ synced: true, open: { errors: 1891, warnings: 0, conflicts: 1 }, applyFailed: 2 })).toEqual({
      status: 'partial',
      error: '1891 error findings, 1 conflict, 2 failed applies open in the fabric',
    });
    expect(fabricHealth({ synced: true, open: none, applyFailed: 1 })).toEqual({
      status: 'partial',
      error: '1 failed apply open in the fabric',
    });
  });

  it('says the last sync failed before anything else, and never synced before that', () => {
    expect(fabricHealth({ synced: true, lastSyncError: 'git fetch failed', open: { ...none, errors: 3 }, applyFailed: 0 })).toEqual({
      status: 'error',
      error: 'git fetch failed',
    });
    expect(fabricHealth({ synced: false, open: none, applyFailed: 0 })).toEqual({ status: 'never_synced' });
  });
});
