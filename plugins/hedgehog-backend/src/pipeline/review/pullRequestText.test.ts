import { Finding } from '@fabric-gitops/plugin-hedgehog-common';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import { FakeFabric } from '../../gitops/__testUtils__/fakeFabric';
import { commitMessage } from '../../gitops/commitMessage';
import { validatePlan as validate } from '../stages/validate';
import { adoptPullRequestText, marker, statusDescription, syncPullRequestText } from './pullRequestText';

const fabric: FabricDefinition = {
  name: 'lab',
  title: 'Lab',
  git: { url: 'https://github.com/acme/gitops.git', branch: 'main', path: 'fabrics/lab', writeMode: 'pull-request' },
  cluster: 'lab-cluster',
  apply: 'manual',
  prune: false,
  source: 'app-config',
};

const VPCS = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
---
apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-2
spec:
  subnets:
    default:
      subnet: 10.0.2.0/24
`;

describe('syncPullRequestText', () => {
  const fake = new FakeFabric('lab')
    .add('raw/vpcs.yaml', VPCS)
    .add('raw/notes.yaml', 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x | y\n')
    .add('raw/readme.txt', 'hello')
    .add('raw/mixed.yaml', `${VPCS.split('---')[0]}---\nkind: ConfigMap\napiVersion: v1\nmetadata:\n  name: y\n`.replace('vpc-1', 'vpc-3').replace('10.0.1.0', '10.0.3.0').replace('1001', '1003'));
  const plan = fake.plan();
  const findings = validate(plan);
  const message = commitMessage('lab', plan);
  const { title, body } = syncPullRequestText(fabric, plan, findings, message);

  it('has the commit title and a marker', () => {
    expect(title).toBe(message.split('\n')[0]);
    expect(body.startsWith(marker('lab'))).toBe(true);
  });

  it('lists what was ingested, what was kept in unmanaged/ and why, and the findings', () => {
    expect(body).toContain('| `raw/vpcs.yaml` | 2 | VPC vpc-1 → `managed/vpcs/vpc-1.yaml`<br>VPC vpc-2 → `managed/vpcs/vpc-2.yaml` |');
    expect(body).toMatch(/\| `raw\/notes\.yaml` \| `unmanaged\/notes\.yaml` \| document 1: .*ConfigMap.* \|/);
    expect(body).toMatch(/\| `raw\/readme\.txt` \| `unmanaged\/readme\.txt` \| not a YAML file/);
    // a file of which only some documents are kept: which ones; the others are ingested
    expect(body).toMatch(/\| `raw\/mixed\.yaml` \(document 2\) \| `unmanaged\/mixed\.yaml` \| document 2: .*ConfigMap.* \|/);
    expect(body).toContain('| `raw/mixed.yaml` | 1 | VPC vpc-3 → `managed/vpcs/vpc-3.yaml` |');
    expect(body).toMatch(/\*\*1 error\(s\), \d+ warning\(s\)\.\*\*/);
    expect(body).toMatch(/\| error \| `managed\/vpcs\/vpc-2\.yaml` \(document 1\) \| `spec\.subnets\.default\.vlan` \| vpc\.subnet-vlan \| subnet default: a VLAN is required \|/);
    expect(body).toContain('<details><summary>Everything this commit does</summary>');
  });

  it('is the same for the same plan (nothing volatile)', () => {
    expect(syncPullRequestText(fabric, fake.plan(), findings, message)).toEqual({ title, body });
  });

  it('stays below the size GitHub accepts', () => {
    const many: Finding[] = Array.from({ length: 5000 }, (_, i) => ({
      severity: 'warning',
      rule: 'x',
      file: `raw/f${i}.yaml`,
      path: '',
      message: 'm'.repeat(200),
    }));
    const big = syncPullRequestText(fabric, { ...plan, log: Array.from({ length: 5000 }, () => 'l'.repeat(300)) }, many, message);
    expect(big.body.length).toBeLessThan(65_536);
    expect(big.body).toContain('… and 4900 more');
  });
});

describe('adoptPullRequestText', () => {
  it('names the resource, the file and the differences', () => {
    const { title, body } = adoptPullRequestText({
      fabric,
      kind: 'VPC',
      name: 'vpc-1',
      gitPath: 'managed/vpcs/vpc-1.yaml',
      differences: [
        { path: 'spec.subnets.default.vlan', desired: 1001, actual: 1201 },
        { path: 'metadata.labels.team', actual: 'blue' },
      ],
      requestedBy: 'user:default/ops',
      findings: [],
    });
    expect(title).toBe('hedgehog(lab): adopt VPC vpc-1 from the cluster');
    expect(body).toContain('into `fabrics/lab/managed/vpcs/vpc-1.yaml`');
    expect(body).toContain('from cluster `lab-cluster`');
    expect(body).toContain('| `spec.subnets.default.vlan` | `1001` | `1201` |');
    expect(body).toContain('| `metadata.labels.team` | *(absent)* | `"blue"` |');
    expect(body).toContain('No findings.');
  });
});

describe('statusDescription', () => {
  const f = (severity: 'error' | 'warning'): Finding => ({ severity, rule: 'r', file: 'f', path: '', message: 'm' });
  it('counts errors and warnings within 140 characters', () => {
    expect(statusDescription([], 12)).toBe('valid: 12 resources, 0 errors, 0 warnings');
    expect(statusDescription([f('warning')], 1)).toBe('valid: 1 resource, 0 errors, 1 warning');
    expect(statusDescription([f('error'), f('error'), f('warning')], 3)).toBe('2 errors, 1 warning in 3 resources');
  });

  it('counts the findings a summary finding says were left out', () => {
    expect(statusDescription([f('error'), { ...f('error'), leftOut: 49 }], 1)).toBe('50 errors, 0 warnings in 1 resource');
  });
});
