import { planApply, withAppliedLabel } from './applyPlan';

const obj = (kind: string, name: string, group = 'vpc.githedgehog.com', spec: object = {}) => ({
  apiVersion: `${group}/v1beta1`,
  kind,
  metadata: { name, namespace: 'default' },
  spec,
});

describe('planApply', () => {
  const desired = [
    { kind: 'VPCAttachment', name: 'att', object: obj('VPCAttachment', 'att', 'vpc.githedgehog.com', { subnet: 'v/default', connection: 'c' }), errors: 0 },
    { kind: 'VPC', name: 'v', object: obj('VPC', 'v'), errors: 0 },
    { kind: 'Switch', name: 's', object: obj('Switch', 's', 'wiring.githedgehog.com', { role: 'spine' }), errors: 0 },
    { kind: 'VLANNamespace', name: 'default', object: obj('VLANNamespace', 'default', 'wiring.githedgehog.com'), errors: 0 },
    { kind: 'Connection', name: 'bad', object: obj('Connection', 'bad', 'wiring.githedgehog.com'), errors: 2 },
  ];

  it('orders levels by dependency, labels our objects and blocks resources with errors', () => {
    const plan = planApply({ fabric: 'lab', desired, live: [], prune: false });
    expect(plan.levels.map(l => l.map(i => i.kind))).toEqual([['VLANNamespace'], ['Switch'], ['VPC'], ['VPCAttachment']]);
    expect(plan.levels[0][0].object.metadata.labels).toEqual({ 'hedgehog.backstage.io/fabric': 'lab' });
    expect(plan.blocked).toEqual([{ kind: 'Connection', name: 'bad', reason: 'not applied: 2 validation error(s)' }]);
  });

  it('sends nothing for objects that are ours and unchanged', () => {
    const live = desired.slice(0, 4).map(d => ({ ...withAppliedLabel(d.object, 'lab'), metadata: { ...withAppliedLabel(d.object, 'lab').metadata, resourceVersion: '1' }, status: {} }));
    const plan = planApply({ fabric: 'lab', desired, live, prune: false });
    expect(plan.levels).toEqual([]);
    expect(plan.unchanged.map(u => u.name).sort()).toEqual(['att', 'default', 's', 'v']);
  });

  it('re-applies an object that is not labelled as ours yet', () => {
    const live = [obj('VPC', 'v')];
    const plan = planApply({ fabric: 'lab', desired, live, prune: false });
    expect(plan.levels.flat().map(i => i.name)).toContain('v');
  });

  it('prunes, in reverse order, only objects labelled for this fabric that left Git', () => {
    const live = [
      withAppliedLabel(obj('VPC', 'gone'), 'lab'),
      withAppliedLabel(obj('VPCAttachment', 'gone-att'), 'lab'),
      withAppliedLabel(obj('VPC', 'other-fabric'), 'dc2'),
      obj('VPC', 'hand-made'),
    ];
    const plan = planApply({ fabric: 'lab', desired, live, prune: true });
    expect(plan.prune).toEqual([[{ kind: 'VPCAttachment', name: 'gone-att' }], [{ kind: 'VPC', name: 'gone' }]]);
    expect(plan.owned).toBe(2);
    expect(planApply({ fabric: 'lab', desired, live, prune: false }).prune).toEqual([]);
  });

  it('carries the resourceVersion each object was listed with, for the writes to hold only for it', () => {
    const versioned = (o: Record<string, any>, rv: string) => ({ ...o, metadata: { ...o.metadata, resourceVersion: rv } });
    const live = [versioned(obj('VPC', 'v', 'vpc.githedgehog.com', { changed: true }), '7'), versioned(withAppliedLabel(obj('VPC', 'gone'), 'lab'), '9')];
    const plan = planApply({ fabric: 'lab', desired, live, prune: true });
    expect(plan.levels.flat().find(i => i.name === 'v')?.resourceVersion).toBe('7');
    expect(plan.levels.flat().find(i => i.name === 'att')?.resourceVersion).toBeUndefined();
    expect(plan.prune.flat()).toEqual([{ kind: 'VPC', name: 'gone', resourceVersion: '9' }]);
  });

  it('never sends or prunes an object another fabric applied: a conflict naming the owner', () => {
    const live = [
      withAppliedLabel(obj('VPC', 'v'), 'dc2'),
      withAppliedLabel(obj('Connection', 'bad', 'wiring.githedgehog.com'), 'dc2'),
      withAppliedLabel(obj('VPC', 'dc2-only'), 'dc2'),
    ];
    const plan = planApply({ fabric: 'lab', desired, live, prune: true });
    expect(plan.conflicts).toEqual([
      { kind: 'VPC', name: 'v', owner: 'dc2' },
      { kind: 'Connection', name: 'bad', owner: 'dc2' },
    ]);
    expect(plan.levels.flat().map(i => i.name)).not.toContain('v');
    expect(plan.unchanged).toEqual([]);
    expect(plan.blocked).toEqual([]);
    expect(plan.prune).toEqual([]);
    expect(plan.owned).toBe(0);
  });

  it('holds back the prune of a kind whose desired state is incomplete, and only of that kind', () => {
    const live = [
      withAppliedLabel(obj('VPC', 'typo'), 'lab'),
      withAppliedLabel(obj('VPCAttachment', 'gone-att'), 'lab'),
    ];
    const plan = planApply({ fabric: 'lab', desired, live, prune: true, incompleteKinds: new Set(['VPC']) });
    expect(plan.prune).toEqual([[{ kind: 'VPCAttachment', name: 'gone-att' }]]);
    expect(plan.heldBack).toEqual([{ kind: 'VPC', name: 'typo' }]);
    expect(plan.owned).toBe(2);
  });
});
