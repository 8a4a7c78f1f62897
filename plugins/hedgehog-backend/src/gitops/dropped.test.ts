import { HEDGEHOG_KINDS } from '@fabric-gitops/plugin-hedgehog-common';
import { droppedByReadOnlyImport, incompleteKinds, kindsOfManagedFile } from './dropped';
import { FakeFabric } from './__testUtils__/fakeFabric';

const vpc = (name: string) => `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: ${name}
  namespace: default
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
`;

describe('kindsOfManagedFile', () => {
  it('takes the kind of the folder and the kind the document names; every kind when neither tells', () => {
    expect(kindsOfManagedFile('managed/vpcs/a.yaml')).toEqual(['VPC']);
    expect(kindsOfManagedFile('managed/vpcs/a.yaml', [{ kind: 'Switch' }])).toEqual(['Switch', 'VPC']);
    expect(kindsOfManagedFile('managed/notes.yaml', [{ kind: 'Server' }, 'text'])).toEqual(['Server']);
    expect(kindsOfManagedFile('managed/stuff/a.yaml', [{ kind: 'Nope' }])).toEqual(HEDGEHOG_KINDS.map(k => k.kind));
  });
});

describe('incompleteKinds', () => {
  it('counts the files per kind and keeps the first ten, sorted', () => {
    const files = Array.from({ length: 12 }, (_, i) => `managed/vpcs/v${String(i).padStart(2, '0')}.yaml`);
    const result = incompleteKinds([
      ...files.map(file => ({ file, kinds: ['VPC'], reason: 'x' })),
      { file: 'managed/x.yaml', kinds: ['Switch', 'VPC'], reason: 'y' },
    ]);
    expect(Object.keys(result)).toEqual(['Switch', 'VPC']);
    expect(result.VPC.count).toBe(13);
    expect(result.VPC.files).toEqual(files.slice(0, 10));
    expect(result.Switch).toEqual({ count: 1, files: ['managed/x.yaml'] });
    expect(incompleteKinds([])).toEqual({});
  });
});

describe('the planner records the managed files that are not part of the desired state', () => {
  it('unreadable, invalid, several documents, not YAML, a second definition', () => {
    const plan = new FakeFabric('lab')
      .add('managed/vpcs/good.yaml', vpc('good'))
      .add('managed/vpcs/broken.yaml', 'kind: VPC\nmetadata: [unclosed\n')
      .add('managed/vpcs/badname.yaml', vpc('Bad_Name'))
      .add('managed/switches/two.yaml', `${vpc('x')}---\n${vpc('y')}`)
      .add('managed/vpcs/notes.txt', 'hello')
      .add('managed/vpcs/copy.yaml', vpc('good'))
      .plan();
    expect(plan.resources.map(r => r.name)).toEqual(['good']);
    expect(plan.dropped.map(d => [d.file, d.kinds])).toEqual([
      ['managed/switches/two.yaml', ['Switch', 'VPC']],
      ['managed/vpcs/badname.yaml', ['VPC']],
      ['managed/vpcs/broken.yaml', ['VPC']],
      ['managed/vpcs/notes.txt', ['VPC']],
      ['managed/vpcs/copy.yaml', ['VPC']],
    ]);
    for (const d of plan.dropped) {
      expect(plan.findings.some(f => f.file === d.file)).toBe(true);
      expect(d.reason).toContain(d.file);
    }
  });

  it('a healthy directory drops nothing', () => {
    const plan = new FakeFabric('lab').add('managed/vpcs/good.yaml', vpc('good')).add('raw/more.yaml', vpc('more')).plan();
    expect(plan.dropped).toEqual([]);
    expect(droppedByReadOnlyImport(plan)).toEqual({ dropped: [], findings: [] });
  });

  it('a managed file the plan moves is left out by a read-only import, with an error naming it', () => {
    const plan = new FakeFabric('lab').add('managed/vpcs/old-name.yaml', vpc('new-name')).plan();
    expect(plan.resources).toMatchObject([{ name: 'new-name', gitPath: 'managed/vpcs/new-name.yaml', movedFrom: 'managed/vpcs/old-name.yaml' }]);
    const { dropped, findings } = droppedByReadOnlyImport(plan);
    expect(dropped).toEqual([{ file: 'managed/vpcs/old-name.yaml', kinds: ['VPC'], reason: expect.stringContaining('managed/vpcs/new-name.yaml') }]);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'error', rule: 'managed.not-imported', file: 'managed/vpcs/old-name.yaml', path: 'metadata.name' }),
    ]);
    expect(findings[0].message).toMatch(/^VPC new-name is defined in managed\/vpcs\/old-name.yaml, not at its path managed\/vpcs\/new-name.yaml; .* nothing of kind VPC is pruned/);
  });
});

