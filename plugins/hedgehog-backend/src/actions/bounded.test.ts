import { FabricPlan, RunDetail } from '@fabric-gitops/plugin-hedgehog-common';
import { boundedValue, firstOf } from './bounded';
import { boundedRun, RUN_MAX_FINDINGS, RUN_MAX_STAGE_ERRORS } from './getRun';
import { boundedPlan, PLAN_APPLY_MAX_CHANGES, PLAN_APPLY_MAX_ITEMS } from './planApply';

describe('the bounds of the actions\' answers', () => {
  it('keeps the first items and counts the rest', () => {
    expect(firstOf([1, 2, 3], 2)).toEqual({ items: [1, 2], leftOut: 1 });
    expect(firstOf([1], 2)).toEqual({ items: [1], leftOut: 0 });
  });

  it('shortens a value whose JSON is too long, and keeps the others', () => {
    expect(boundedValue({ a: 1 }, 10)).toEqual({ a: 1 });
    expect(boundedValue(undefined, 10)).toBeUndefined();
    expect(boundedValue('x'.repeat(20), 10)).toBe('"xxxxxxxxx… (12 more characters left out)');
  });

  it('cuts a plan\'s items and changes, with their totals', () => {
    const changes = Array.from({ length: 60 }, (_, i) => ({ path: `spec.f${i}`, from: i, to: i + 1 }));
    const items = Array.from({ length: 150 }, (_, i) => ({ kind: 'VPC', name: `v${i}`, action: 'update' as const, changes, changeTotal: 80 }));
    const plan: FabricPlan = {
      cluster: 'lab',
      items,
      counts: { create: 0, update: 150, delete: 0, blocked: 0, conflict: 0 },
      unchanged: 3,
      totalItems: 150,
      prune: { enabled: false, total: 0, owned: 0, limit: 0.1, confirmationRequired: false, heldBack: 0 },
    };
    const bounded = boundedPlan(plan);
    expect(bounded.items).toHaveLength(PLAN_APPLY_MAX_ITEMS);
    expect(bounded.items[0].changes).toHaveLength(PLAN_APPLY_MAX_CHANGES);
    expect(bounded.items[0].changeTotal).toBe(80);
    expect(bounded.totalItems).toBe(150);
  });

  it('cuts a run\'s findings and stage errors, with their totals', () => {
    const finding = { severity: 'error' as const, rule: 'r', file: 'f', path: '', message: 'm' };
    const run: RunDetail = {
      id: 'x',
      fabric: 'f',
      type: 'apply',
      trigger: 'api',
      status: 'partial',
      stages: [
        {
          name: 'apply',
          status: 'partial',
          startedAt: '',
          counts: {},
          errors: Array.from({ length: 30 }, () => ({ message: 'e' })),
          prune: {
            objects: Array.from({ length: 40 }, (_, i) => ({ kind: 'VPC', name: `v${i}` })),
            total: 40,
            deleted: false,
            owned: 50,
            limit: 0.1,
            confirmationRequired: true,
            heldBack: [{ kind: 'VPC', files: [], fileCount: 1, kept: 2 }],
          },
        },
      ],
      findings: Array.from({ length: 70 }, () => finding),
      findingCount: 900,
      coalesced: [{ trigger: 'api', at: '' }],
    };
    const bounded = boundedRun(run);
    expect(bounded.findings).toHaveLength(RUN_MAX_FINDINGS);
    expect(bounded.findingCount).toBe(900);
    expect(bounded.coalescedRequests).toBe(1);
    expect(bounded.stages[0].errors).toHaveLength(RUN_MAX_STAGE_ERRORS);
    expect(bounded.stages[0].errorTotal).toBe(30);
    expect(bounded.stages[0].prune).toMatchObject({ total: 40, heldBack: 2, confirmationRequired: true });
    expect(bounded.stages[0].prune!.objects).toHaveLength(20);
  });
});
