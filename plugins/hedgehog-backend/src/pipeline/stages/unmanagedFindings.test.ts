import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { unmanagedFindings, withUnmanagedFindings } from './unmanagedFindings';

const kept = [
  {
    path: 'unmanaged/vpcs.yaml',
    originalPath: 'raw/vpcs.yaml',
    reasons: [{ document: 2, rule: 'api-version', message: 'apiVersion v1alpha2 is not supported' }],
  },
  { path: 'unmanaged/notes.txt', originalPath: 'raw/notes.txt', reasons: [{ message: 'no reason file beside it' }] },
];

describe('findings of kept files', () => {
  it('is one warning per reason, at the original file and document', () => {
    expect(unmanagedFindings(kept)).toEqual([
      { severity: 'warning', rule: 'unmanaged.api-version', file: 'raw/vpcs.yaml', document: 2, path: '', message: 'apiVersion v1alpha2 is not supported' },
      { severity: 'warning', rule: 'unmanaged.kept', file: 'raw/notes.txt', path: '', message: 'no reason file beside it' },
    ]);
  });

  it("replaces the plan's findings of the files it keeps, and keeps those of files Git does not hold in unmanaged/", () => {
    const plan: Finding[] = [
      { severity: 'warning', rule: 'unmanaged.api-version', file: 'raw/vpcs.yaml', document: 2, path: '', message: 'apiVersion v1alpha2 is not supported' },
      // a fabric that does not push: the file stays in raw/, only the plan says it is not managed
      { severity: 'warning', rule: 'unmanaged.not-yaml', file: 'raw/other.txt', path: '', message: 'not a YAML file' },
      { severity: 'error', rule: 'vpc.vlan', file: 'raw/vpcs.yaml', document: 0, path: 'spec', message: 'no VLAN' },
    ];
    const all = withUnmanagedFindings(plan, kept);
    expect(all.map(f => [f.rule, f.file])).toEqual([
      ['unmanaged.not-yaml', 'raw/other.txt'],
      ['vpc.vlan', 'raw/vpcs.yaml'],
      ['unmanaged.api-version', 'raw/vpcs.yaml'],
      ['unmanaged.kept', 'raw/notes.txt'],
    ]);
  });
});
