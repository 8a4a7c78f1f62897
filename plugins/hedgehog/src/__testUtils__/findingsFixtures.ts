import {
  FindingsPage,
  FindingsSummary,
  ListedFinding,
  RunDetail,
} from '@fabric-gitops/plugin-hedgehog-common';
import { syncRun } from './testUtils';

/** A page of `total` findings from `offset` (VPCs without VLAN; the first one new). */
export function findingsPage(
  offset: number,
  limit: number,
  total: number,
  over: Partial<FindingsPage> = {},
): FindingsPage {
  const items: ListedFinding[] = [];
  for (let i = offset; i < Math.min(total, offset + limit); i++) {
    items.push({
      severity: 'error',
      rule: 'vpc.subnet-vlan',
      file: `managed/vpcs/vpc-${i}.yaml`,
      document: 0,
      path: 'spec.subnets.default.vlan',
      message: `subnet default of VPC vpc-${i} has no VLAN`,
      new: i === 0,
      blocksApply: true,
      resource: { kind: 'VPC', name: `vpc-${i}` },
    });
  }
  return {
    items,
    totalItems: total,
    offset,
    totals: { errors: total, warnings: 0, new: 1 },
    ...over,
  };
}

/** The summary of a fabric with 1,907 errors and 122 warnings. */
export const findingsSummary: FindingsSummary = {
  totals: { errors: 1907, warnings: 122, new: 1 },
  outsideResources: { errors: 0, warnings: 0 },
  byRule: {
    items: [
      { key: 'vpc.subnet-vlan', errors: 1907, warnings: 0, new: 1 },
      { key: 'hydration.link', errors: 0, warnings: 80, new: 0 },
      { key: 'hydration.switch', errors: 0, warnings: 42, new: 0 },
    ],
    totalItems: 3,
  },
  byFile: {
    items: [
      { key: 'managed/vpcs/vpc-0.yaml', errors: 1, warnings: 0, new: 1 },
      { key: 'managed/vpcs/vpc-1.yaml', errors: 1, warnings: 0, new: 0 },
    ],
    totalItems: 2029,
  },
};

/** A partial sync whose validate stage lists 200 of its 1,907 errors. */
export function partialSyncRun(over: Partial<RunDetail> = {}): RunDetail {
  const run = syncRun({
    id: '7d0e4f2a-1c3b-4e5d-8f60-718293a4b5c6',
    status: 'partial',
    error: '1907 error(s) found; see the validate stage',
    findingCount: 2029,
    findingTotals: { errors: 1907, warnings: 122, new: 1 },
    ...over,
  });
  const validate = run.stages.find(s => s.name === 'validate')!;
  validate.status = 'partial';
  validate.counts = { errors: 1907, warnings: 122 };
  validate.errors = Array.from({ length: 200 }, (_, i) => ({
    message: `subnet default of VPC vpc-${i} has no VLAN`,
    file: `managed/vpcs/vpc-${i}.yaml`,
    document: 0,
    path: 'spec.subnets.default.vlan',
  }));
  validate.errorTotal = 1907;
  return run;
}
