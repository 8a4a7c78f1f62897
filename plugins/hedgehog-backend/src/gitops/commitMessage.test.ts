import { FakeFabric } from './__testUtils__/fakeFabric';
import { commitMessage } from './commitMessage';
import { layoutFiles } from './layout';
import { IngestPlan } from './plan';

const vpc = (name: string) =>
  `apiVersion: vpc.githedgehog.com/v1beta1\nkind: VPC\nmetadata:\n  name: ${name}\nspec: {}\n`;

function emptyPlan(): IngestPlan {
  return {
    writes: [],
    moves: [],
    unmanaged: [],
    deletes: [],
    resources: [],
    conflicts: [],
    findings: [],
    dropped: [],
    log: [],
    counts: {
      rawFiles: 0,
      ingestedFiles: 0,
      unmanagedFiles: 0,
      unmanagedDocuments: 0,
      conflictFiles: 0,
      conflictDocuments: 0,
      resourcesCreated: 0,
      resourcesUnchanged: 0,
      managedRewritten: 0,
      layoutRepaired: 0,
    },
    legacyLayout: false,
  };
}

describe('commitMessage', () => {
  it('summarises an ingestion in the title and lists what happened', () => {
    const fabric = new FakeFabric('lab').add('raw/a.yaml', `${vpc('a')}---\n${vpc('b')}`).add('raw/x.txt', 'x');
    const plan = fabric.plan();
    const message = commitMessage('lab', plan);
    const [title, blank, ...body] = message.split('\n');
    // (before: files kept in unmanaged/ were named in the title only when nothing was ingested)
    expect(title).toBe('hedgehog(lab): ingest 1 raw file(s), 2 new resource(s); keep 1 file(s) in unmanaged/; repair the directory layout');
    expect(blank).toBe('');
    expect(body.filter(l => l)).toEqual(plan.log.map(l => `- ${l}`));
    expect(message).toContain('- ingested raw/a.yaml: 2 resource(s)');
    expect(message.endsWith('\n')).toBe(true);
  });

  it('mentions files kept in unmanaged/ when nothing was ingested', () => {
    const fabric = new FakeFabric('lab');
    for (const f of layoutFiles('lab')) fabric.add(f.path, f.content);
    fabric.add('raw/x.txt', 'x');
    expect(commitMessage('lab', fabric.plan()).split('\n')[0]).toBe('hedgehog(lab): keep 1 file(s) in unmanaged/');
  });

  it('says per document what was kept in unmanaged/ or left in raw/, and why', () => {
    const fabric = new FakeFabric('lab');
    for (const f of layoutFiles('lab')) fabric.add(f.path, f.content);
    fabric.add('managed/vpcs/taken.yaml', vpc('taken').replace('  name: taken\n', '  name: taken\n  namespace: default\n'));
    fabric.add('raw/net.yaml', `${vpc('a')}---\n${vpc('vpc-name-too-long')}---\n${vpc('taken').replace('{}', '{ subnets: {} }')}---\n${vpc('b')}`);
    const message = commitMessage('lab', fabric.plan());
    const [title, , ...body] = message.trimEnd().split('\n');
    expect(title).toBe(
      'hedgehog(lab): ingest 1 raw file(s), 2 new resource(s); keep 1 file(s) (1 document(s)) in unmanaged/; leave 1 document(s) in conflict in raw/',
    );
    expect(body).toEqual([
      expect.stringMatching(/^- kept raw\/net\.yaml document 2 in unmanaged\/net\.yaml: .*vpc-name-too-long.*11/),
      '- left raw/net.yaml document 3 (VPC taken) in raw/: conflict',
      '- ingested raw/net.yaml: 2 resource(s); 1 document(s) kept in unmanaged/net.yaml; 1 document(s) in conflict left in raw/net.yaml (it now holds only these)',
    ]);
  });

  it('mentions normalized managed files', () => {
    const fabric = new FakeFabric('lab');
    for (const f of layoutFiles('lab')) fabric.add(f.path, f.content);
    fabric.add('managed/vpcs/default-a.yaml', vpc('a'));
    expect(commitMessage('lab', fabric.plan()).split('\n')[0]).toBe('hedgehog(lab): normalize 1 managed file(s)');
  });

  it('falls back to a generic title', () => {
    expect(commitMessage('x', emptyPlan())).toBe('hedgehog(x): update\n\n\n');
  });

  it('contains no timestamps, so the same plan gives the same message', () => {
    const plan = new FakeFabric('lab').add('raw/a.yaml', vpc('a')).plan();
    expect(commitMessage('lab', plan)).toBe(commitMessage('lab', plan));
    expect(commitMessage('lab', plan)).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}/);
  });

  it('lists at most 200 lines and says how many more there were', () => {
    const plan = emptyPlan();
    plan.log = Array.from({ length: 250 }, (_, i) => `line ${i}`);
    const lines = commitMessage('lab', plan).trimEnd().split('\n');
    expect(lines).toHaveLength(2 + 200 + 1);
    expect(lines[2]).toBe('- line 0');
    expect(lines[201]).toBe('- line 199');
    expect(lines[202]).toBe('- ... and 50 more');
  });
});
