import { FabricPlan, PlanItem, emptyPlanCounts } from '@fabric-gitops/plugin-hedgehog-common';
import { planCommentMarker, planCommentText } from './planCommentText';

const HEAD = '0123456789abcdef0123456789abcdef01234567';

function planOf(items: PlanItem[], extra: Partial<FabricPlan> = {}): FabricPlan {
  const counts = emptyPlanCounts();
  for (const i of items) counts[i.action]++;
  return {
    cluster: 'lab',
    items,
    counts,
    unchanged: 3,
    totalItems: items.length,
    prune: { enabled: true, total: counts.delete, owned: 10, limit: 0.5, confirmationRequired: false, heldBack: 0 },
    ...extra,
  };
}

describe('planCommentText', () => {
  it('starts with the fabric marker, counts the actions and groups the objects by kind, collapsed', () => {
    const text = planCommentText({
      fabric: 'lab',
      head: HEAD,
      portalUrl: 'http://backstage.test/catalog/default/resource/lab/hedgehog',
      plan: planOf([
        { kind: 'VPC', name: 'vpc-1', action: 'create', changes: [] },
        { kind: 'VPC', name: 'vpc-2', action: 'update', changes: [{ path: 'spec.subnets.default.vlan', from: 1000, to: 1001 }] },
        { kind: 'VPCAttachment', name: 'att-1', action: 'blocked', changes: [], reason: 'not applied: vlan 5000 is out of range' },
        { kind: 'VPCAttachment', name: 'att-2', action: 'delete', changes: [], reason: 'no longer in Git' },
      ]),
    });
    expect(text.split('\n')[0]).toBe(planCommentMarker('lab'));
    expect(text).toContain('**1** create, **1** update, **1** delete (prune), **1** blocked; 3 objects already match');
    expect(text).toContain('`0123456789ab`');
    expect(text).toContain('<details><summary>VPC: 1 create, 1 update</summary>');
    expect(text).toContain('<details><summary>VPCAttachment: 1 delete (prune), 1 blocked</summary>');
    expect(text).toContain('| `vpc-2` | update | `spec.subnets.default.vlan`: `1000` → `1001` |');
    expect(text).toContain('| `att-1` | blocked | not applied: vlan 5000 is out of range |');
    expect(text).toContain('[fabric lab in Backstage](http://backstage.test/catalog/default/resource/lab/hedgehog)');
  });

  it('says when the prune needs a confirmation and when objects are held back', () => {
    const text = planCommentText({
      fabric: 'lab',
      head: HEAD,
      plan: planOf([{ kind: 'VPC', name: 'a', action: 'delete', changes: [] }], {
        prune: { enabled: true, total: 8, owned: 10, limit: 0.5, confirmationRequired: true, heldBack: 2, heldBackReason: 'managed/vpcs/x.yaml does not parse' },
      }),
    });
    expect(text).toContain('deletes 8 of the fabric\'s 10 objects, more than its limit of 50%');
    expect(text).toContain('2 object(s) no longer in Git are kept: managed/vpcs/x.yaml does not parse');
  });

  it('stays below GitHub\'s limit for thousands of objects, listing 50 per kind with the exact counts', () => {
    const items: PlanItem[] = Array.from({ length: 5000 }, (_, i) => ({
      kind: i % 2 ? 'VPC' : 'Server',
      name: `object-${i}-${'x'.repeat(40)}`,
      action: 'update',
      changes: Array.from({ length: 20 }, (__, j) => ({ path: `spec.field${j}`, from: 'a'.repeat(50), to: 'b'.repeat(50) })),
      changeTotal: 20,
    }));
    const text = planCommentText({ fabric: 'lab', head: HEAD, plan: planOf(items), portalUrl: 'http://b.test/x' });
    expect(text.length).toBeLessThanOrEqual(65536);
    expect(text).toContain('**5000** update');
    expect(text).toContain('<details><summary>Server: 2500 update</summary>');
    expect(text).toContain('<details><summary>VPC: 2500 update</summary>');
    // every section closed, each says how many it leaves out
    expect(text.match(/<details>/g)).toHaveLength(2);
    expect(text.match(/<\/details>/g)).toHaveLength(2);
    expect(text).toMatch(/… and 24\d\d more/);
    expect(text).toContain('… 15 more change(s)');
    expect(text).not.toContain('shortened');
  });

  it('says why there is no plan, in the words it is given', () => {
    const text = planCommentText({ fabric: 'lab', head: HEAD, failure: 'cluster lab could not be listed' });
    expect(text).toBe(`${planCommentMarker('lab')}\n### Hedgehog plan for fabric **lab**\n\nNo plan for \`0123456789ab\`: cluster lab could not be listed\n`);
  });
});
