import { ResponseError } from '@backstage/errors';
import {
  Fabric,
  FabricPlan,
  FabricPullRequest,
  HedgehogApi,
  ResourceDetail,
  ResourceItem,
  Run,
  RunDetail,
  UnmanagedFile,
} from '@fabric-gitops/plugin-hedgehog-common';

/** A hedgehog API whose every method is a jest mock (unset ones reject). */
export function mockHedgehogApi(
  overrides: Partial<Record<keyof HedgehogApi, jest.Mock>> = {},
): jest.Mocked<HedgehogApi> {
  const missing = (name: string) =>
    jest.fn(async () => {
      throw new Error(`unexpected call of ${name}`);
    });
  return {
    listFabrics: missing('listFabrics'),
    getTopology: missing('getTopology'),
    getFabric: missing('getFabric'),
    sync: missing('sync'),
    apply: missing('apply'),
    checkDrift: missing('checkDrift'),
    clusterStatus: missing('clusterStatus'),
    listRuns: jest.fn(async () => ({ items: [], totalItems: 0 })),
    getRun: missing('getRun'),
    listResources: jest.fn(async () => ({ items: [], totalItems: 0 })),
    getResource: missing('getResource'),
    listUnmanaged: jest.fn(async () => ({ items: [], totalItems: 0 })),
    listPulls: jest.fn(async () => ({ items: [], totalItems: 0 })),
    adoptResource: missing('adoptResource'),
    planFabric: missing('planFabric'),
    restoreCommit: missing('restoreCommit'),
    resourceHistory: jest.fn(async () => ({ items: [], more: false })),
    listFindings: missing('listFindings'),
    summarizeFindings: missing('summarizeFindings'),
    exportFindings: missing('exportFindings'),
    listRunFindings: missing('listRunFindings'),
    search: missing('search'),
    probeFabric: missing('probeFabric'),
    ...overrides,
  } as jest.Mocked<HedgehogApi>;
}

/** The error the HedgehogClient throws for a backend error response. */
export async function apiError(
  status: number,
  name: string,
  message: string,
): Promise<ResponseError> {
  const body = JSON.stringify({
    error: { name, message },
    request: { method: 'GET', url: '/api/hedgehog/x' },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText:
      {
        400: 'Bad Request',
        403: 'Forbidden',
        404: 'Not Found',
        409: 'Conflict',
      }[status] ?? 'Error',
    headers: { get: () => 'application/json; charset=utf-8' },
    text: async () => body,
  } as unknown as Response);
}

export const fabric: Fabric = {
  name: 'demo',
  title: 'Demo fabric',
  git: {
    url: 'file:///tmp/demo.git',
    branch: 'main',
    path: 'fabrics/demo',
    writeMode: 'push',
  },
  cluster: 'lab',
  source: 'app-config',
  lastSyncedCommit: '43387a09070b4b787473acb030e5aeeb4d127095',
  lastSyncAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  lastRunId: '3564347b-b6af-4f57-8b45-42ec0cb42e2c',
  status: 'in_sync',
  counts: { Switch: 6, Server: 6, Connection: 14, VPC: 4 },
  drift: {
    in_sync: 20,
    drifted: 2,
    missing_in_cluster: 1,
    orphaned_in_cluster: 0,
    owned_elsewhere: 0,
    unknown: 7,
  },
  findings: { errors: 0, warnings: 3 },
  conflicts: 0,
  applyFailed: 0,
};

/** The demo fabric in write mode `pull-request` on a GitHub repository. */
export const reviewedFabric: Fabric = {
  ...fabric,
  git: {
    url: 'https://github.com/example/network.git',
    branch: 'main',
    path: 'fabrics/demo',
    writeMode: 'pull-request',
  },
};

export const pullRequests: FabricPullRequest[] = [
  {
    number: 12,
    title: 'hedgehog(demo): ingest 3 resources',
    url: 'https://github.com/example/network/pull/12',
    branch: 'hedgehog/demo',
    updatedAt: new Date(Date.now() - 2 * 3600_000).toISOString(),
    purpose: 'sync',
  },
  {
    number: 15,
    title: 'hedgehog(demo): adopt Switch leaf-01 from the cluster',
    url: 'https://github.com/example/network/pull/15',
    branch: 'hedgehog-adopt/demo/switch-leaf-01',
    updatedAt: new Date(Date.now() - 10 * 60_000).toISOString(),
    purpose: 'adopt',
  },
];

/** Drift counts of a fabric with nothing compared yet. */
export const NO_DRIFT: Fabric['drift'] = {
  in_sync: 0,
  drifted: 0,
  missing_in_cluster: 0,
  orphaned_in_cluster: 0,
  owned_elsewhere: 0,
  unknown: 0,
};

export const neverSynced: Fabric = {
  ...fabric,
  name: 'fresh',
  title: 'Fresh fabric',
  cluster: undefined,
  lastSyncedCommit: undefined,
  lastSyncAt: undefined,
  lastRunId: undefined,
  status: 'never_synced',
  counts: {},
  drift: NO_DRIFT,
};

export function resourceItem(
  kind: string,
  name: string,
  over: Partial<ResourceItem> = {},
): ResourceItem {
  return {
    kind,
    name,
    namespace: 'default',
    gitPath: `managed/${kind.toLowerCase()}es/${name}.yaml`,
    applyStatus: 'applied',
    drift: { status: 'in_sync', score: 0 },
    errors: 0,
    warnings: 0,
    ...over,
  };
}

export const leaf01: ResourceDetail = {
  ...resourceItem('Switch', 'leaf-01', {
    gitPath: 'managed/switches/leaf-01.yaml',
    drift: { status: 'drifted', score: 0.125 },
    warnings: 1,
  }),
  desired: {
    apiVersion: 'wiring.githedgehog.com/v1beta1',
    kind: 'Switch',
    metadata: { name: 'leaf-01', namespace: 'default' },
    spec: { asn: 65101, role: 'server-leaf', description: 'Leaf 1' },
  },
  live: {
    apiVersion: 'wiring.githedgehog.com/v1beta1',
    kind: 'Switch',
    metadata: { name: 'leaf-01', namespace: 'default' },
    spec: { asn: 65199, role: 'server-leaf', description: 'Leaf 1' },
  },
  differences: [{ path: 'spec.asn', desired: 65101, actual: 65199 }],
  findings: [
    {
      severity: 'warning',
      rule: 'switch.description',
      file: 'raw/wiring.yaml',
      document: 5,
      path: 'spec.description',
      message: 'description is short',
      blocksApply: false,
    },
    {
      severity: 'warning',
      rule: 'hydration.switch',
      file: 'raw/wiring.yaml',
      document: 5,
      path: 'spec',
      message: 'the Switch is not hydrated: spec.ip, spec.protocolIP are missing',
      blocksApply: true,
    },
  ],
  source: { file: 'raw/wiring.yaml', document: 5 },
};

const t0 = Date.parse('2026-11-23T02:57:31.000Z');
const at = (ms: number) => new Date(t0 + ms).toISOString();

export function syncRun(over: Partial<RunDetail> = {}): RunDetail {
  return {
    id: 'b81e0dfd-f57c-4149-8158-af6253c4abca',
    fabric: 'demo',
    type: 'sync',
    trigger: 'api',
    requestedBy: 'user:default/guest',
    status: 'succeeded',
    startedAt: at(0),
    finishedAt: at(1200),
    commitBefore: '2a9770202980da9d0c8c66ee0fb3eb439ed79e70',
    commitAfter: '43387a09070b4b787473acb030e5aeeb4d127095',
    stages: [
      {
        name: 'fetch',
        status: 'succeeded',
        startedAt: at(0),
        finishedAt: at(100),
        counts: { branchExists: 1 },
        errors: [],
      },
      {
        name: 'plan',
        status: 'succeeded',
        startedAt: at(100),
        finishedAt: at(200),
        counts: { files: 4 },
        errors: [],
      },
      {
        name: 'ingest',
        status: 'succeeded',
        startedAt: at(200),
        finishedAt: at(300),
        counts: { resources: 40 },
        errors: [],
      },
      {
        name: 'validate',
        status: 'succeeded',
        startedAt: at(300),
        finishedAt: at(400),
        counts: { errors: 0, warnings: 4 },
        errors: [],
      },
      {
        name: 'commit',
        status: 'succeeded',
        startedAt: at(400),
        finishedAt: at(1000),
        counts: { commits: 1 },
        errors: [],
      },
      {
        name: 'import',
        status: 'succeeded',
        startedAt: at(1000),
        finishedAt: at(1200),
        counts: { upserted: 40 },
        errors: [],
      },
    ],
    ...over,
  };
}

/** The same run while it is in its `plan` stage. */
export function runningSyncRun(): RunDetail {
  const done = syncRun();
  return {
    ...done,
    status: 'running',
    finishedAt: undefined,
    stages: [
      done.stages[0],
      { ...done.stages[1], status: 'running', finishedAt: undefined },
    ],
  };
}

export function failedApplyRun(): Run & { findingCount?: number } {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    fabric: 'demo',
    type: 'apply',
    trigger: 'api',
    status: 'failed',
    startedAt: at(5000),
    finishedAt: at(7000),
    commitAfter: '43387a09070b4b787473acb030e5aeeb4d127095',
    stages: [
      {
        name: 'apply',
        status: 'failed',
        startedAt: at(5000),
        finishedAt: at(7000),
        counts: { applied: 3, failed: 1 },
        errors: [
          {
            message:
              'admission webhook denied the request: vlan 1000 is reserved',
            file: 'managed/vpcs/vpc-1.yaml',
            path: 'spec.subnets.default.vlan',
          },
        ],
      },
    ],
    error: 'apply failed for 1 of 4 resources',
  };
}

export const unmanaged: UnmanagedFile[] = [
  {
    path: 'unmanaged/broken.yaml',
    originalPath: 'raw/broken.yaml',
    reasons: [
      {
        document: 1,
        message: 'VPC: name "Bad_Name" is not a valid RFC 1123 name',
      },
      {
        document: 3,
        message:
          'kind Gateway is not one of the 12 kinds managed through GitOps',
      },
    ],
  },
  {
    path: 'unmanaged/notes/README.txt',
    originalPath: 'raw/notes/README.txt',
    reasons: [
      { message: 'not a YAML file (only *.yaml and *.yml are ingested)' },
    ],
  },
];

/** A plan with one item of each action (`POST .../plan`). */
export const demoPlan: FabricPlan = {
  commit: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  cluster: 'lab',
  items: [
    {
      kind: 'Switch',
      name: 'leaf-01',
      action: 'update',
      changes: [{ path: 'spec.asn', from: 65199, to: 65101 }],
    },
    { kind: 'VPC', name: 'vpc-3', action: 'create', changes: [] },
    {
      kind: 'VPC',
      name: 'vpc-4',
      action: 'blocked',
      changes: [],
      reason: 'not applied: 1 validation error(s)',
    },
    {
      kind: 'VPC',
      name: 'vpc-9',
      action: 'conflict',
      changes: [],
      reason: 'VPC vpc-9 in the cluster belongs to fabric other',
    },
    {
      kind: 'VPCAttachment',
      name: 'vpc-2--server-4',
      action: 'delete',
      changes: [],
      reason: 'no longer in Git',
    },
  ],
  counts: { create: 1, update: 1, delete: 1, blocked: 1, conflict: 1 },
  unchanged: 20,
  totalItems: 5,
  prune: {
    enabled: true,
    total: 1,
    owned: 25,
    limit: 0.1,
    confirmationRequired: false,
    heldBack: 0,
  },
};
