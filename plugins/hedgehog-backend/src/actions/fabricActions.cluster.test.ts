/*
 * The fabric actions of resources, runs, plans, validation, applies and drift checks
 * as an AI agent reaches them: Backstage's MCP actions backend and the plugin in one
 * test backend, driven by the MCP SDK's client, with fabrics in a real Git repository
 * applied to the real kube-apiserver of test/cluster.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { mockServices } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { mcpClients, permissionsPerFabric, toolOutput } from '../__testUtils__/mcp';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

const ADMIN = 'user:default/admin';
/** May read fabric beta only. */
const READ_BETA = 'user:default/read-beta';
/** Holds every permission, on fabric beta only. */
const OPS_BETA = 'user:default/ops-beta';
const NOBODY = 'user:default/nobody';

const permissions = permissionsPerFabric([ADMIN], {
  [READ_BETA]: { names: ['beta'], permissions: ['hedgehog.fabric.read'] },
  [OPS_BETA]: { names: ['beta'] },
});
const auditor = mockServices.auditor.mock();

const ACTIONS = [
  'list-fabrics', 'get-fabric', 'list-resources', 'get-resource', 'get-run',
  'plan-apply', 'validate-files', 'request-sync', 'request-apply', 'request-drift-check',
];

describe('the fabric actions over MCP, against a real cluster', () => {
  const tag = crypto.randomBytes(3).toString('hex');
  const sg = (x: string) => `mcp-${tag}-${x}`;
  const group = (name: string, spec = '{}') =>
    `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\n  labels:\n    team: net\nspec: ${spec}\n`;
  const sgPath = (n: string) => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups/${n}`;
  let cluster: TestCluster;
  let release: (() => Promise<void>) | undefined;
  let root: string;
  let port = 0;
  let stop: (() => Promise<void>) | undefined;
  const mcp = mcpClients(() => port);

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-mcp-cluster-test-'));
    const repo = `file://${await createBareRepo(path.join(root, 'fabric.git'))}`;
    await pushFiles(repo, {
      'fabrics/alpha/raw/groups.yaml': [group(sg('a')), group(sg('b')), group(sg('bad'), '{unknownField: 1}')].join('---\n'),
      'fabrics/beta/raw/groups.yaml': group(sg('beta')),
    });
    const git = (p: string) => ({ url: repo, branch: 'main', path: p });
    const backend = await startPluginBackend(
      permissions.factory,
      {
        backend: { actions: { pluginSources: ['hedgehog'] } },
        hedgehog: {
          workingDirectory: path.join(root, 'work'),
          clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
          fabrics: [
            // (the cluster is shared: other tests' objects of other kinds are none of these fabrics')
            { name: 'alpha', git: git('fabrics/alpha'), cluster: 'lab', kinds: ['SwitchGroup'] },
            { name: 'beta', git: git('fabrics/beta'), cluster: 'lab', kinds: ['SwitchGroup'] },
          ],
        },
      },
      [actionsRegistryServiceFactory, actionsServiceFactory, mcpActionsPlugin, auditor.factory],
    );
    port = (backend.server.address() as AddressInfo).port;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await mcp.close();
    await stop?.();
    for (const x of ['a', 'b', 'bad', 'beta']) await kubeRequest(cluster, 'DELETE', sgPath(sg(x))).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  const call = async (client: Client, name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name: `hedgehog.${name}`, arguments: args })) as any;
  /** The output of a call that must succeed. */
  const ok = async (client: Client, name: string, args: Record<string, unknown>) => {
    const result = await call(client, name, args);
    expect([name, result.isError ? result.content[0].text : 'ok']).toEqual([name, 'ok']);
    return toolOutput(result);
  };
  /** The message of a call that must fail. */
  const refused = async (client: Client, name: string, args: Record<string, unknown>) => {
    const result = await call(client, name, args);
    expect(result.isError).toBe(true);
    return result.content[0].text as string;
  };
  /** list-resources of this test's objects (other tests' SwitchGroups may be in the shared cluster). */
  const resources = (client: Client, args: Record<string, unknown>) => ok(client, 'list-resources', { name: tag, ...args });
  /** The run, polled with get-run until it ended. */
  const ended = async (client: Client, runId: string) => {
    for (let i = 0; i < 600; i++) {
      const { run } = await ok(client, 'get-run', { runId });
      if (!['queued', 'running'].includes(run.status)) return run;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error(`run ${runId} did not end`);
  };
  /** The plugin's audit event with this id (the MCP backend audits its own too), and its end. */
  const auditEvent = async (eventId: string) => {
    const i = auditor.createEvent.mock.calls.findIndex(c => c[0].eventId === eventId);
    expect(i).toBeGreaterThanOrEqual(0);
    const event = (await auditor.createEvent.mock.results[i].value) as { success: jest.Mock; fail: jest.Mock };
    return { created: auditor.createEvent.mock.calls[i][0], ...event };
  };

  it('lists every action with its attributes and bounded inputs', async () => {
    const { tools } = await (await mcp.connect(ADMIN)).listTools();
    const tool = (name: string) => tools.find(t => t.name === `hedgehog.${name}`)!;
    expect(tools.map(t => t.name).filter(n => n.startsWith('hedgehog.')).sort()).toEqual(ACTIONS.map(a => `hedgehog.${a}`).sort());
    for (const name of ['list-resources', 'get-resource', 'get-run', 'plan-apply', 'validate-files']) {
      expect([name, tool(name).annotations]).toEqual([name, expect.objectContaining({ readOnlyHint: true, destructiveHint: false, idempotentHint: true })]);
    }
    expect(tool('request-apply').annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(tool('request-drift-check').annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    const props = (name: string) => (tool(name).inputSchema as any).properties;
    expect(props('list-resources').limit).toMatchObject({ maximum: 100 });
    expect(props('validate-files').files).toMatchObject({ maxItems: 200 });
    expect(props('request-apply').dryRun).toMatchObject({ type: 'boolean' });
    for (const t of tools) expect([t.name, (t.description ?? '').length > 100]).toEqual([t.name, true]);
  });

  it('syncs, lists and shows resources with drift and findings, and shows the run', async () => {
    const admin = await mcp.connect(ADMIN);
    const sync = await ended(admin, (await ok(admin, 'request-sync', { fabric: 'alpha' })).runId);
    expect(sync).toMatchObject({ fabric: 'alpha', type: 'sync', trigger: 'api', requestedBy: ADMIN, coalescedRequests: 0 });
    expect(sync.stages.map((s: any) => s.name)).toEqual(['fetch', 'plan', 'ingest', 'validate', 'commit', 'import', 'drift']);
    expect(sync.findingTotals.errors).toBeGreaterThan(0);
    expect(sync.findings.some((f: any) => f.severity === 'error' && f.file.includes(sg('bad')))).toBe(true);
    expect((await ended(admin, (await ok(admin, 'request-sync', { fabric: 'beta' })).runId)).status).toBe('succeeded');

    const all = await resources(admin, { fabric: 'alpha' });
    expect(all.totalItems).toBe(3);
    expect(all.items.map((r: any) => [r.name, r.drift.status])).toEqual(
      [sg('a'), sg('b'), sg('bad')].map(n => [n, 'missing_in_cluster']),
    );
    expect(all.nextOffset).toBeUndefined();
    const page = await resources(admin, { fabric: 'alpha', limit: 2, offset: 1 });
    expect([page.items.length, page.offset, page.nextOffset]).toEqual([2, 1, undefined]);
    expect((await resources(admin, { fabric: 'alpha', limit: 1 })).nextOffset).toBe(1);
    const withErrors = await resources(admin, { fabric: 'alpha', withFindings: 'errors', kind: 'SwitchGroup' });
    expect(withErrors.items).toEqual([expect.objectContaining({ name: sg('bad'), errors: 1, applyStatus: 'not_applied' })]);
    expect((await ok(admin, 'list-resources', { fabric: 'alpha', name: `${tag}-B` })).items.map((r: any) => r.name)).toEqual([sg('b'), sg('bad')]);
    expect((await resources(admin, { fabric: 'alpha', driftStatus: 'in_sync' })).totalItems).toBe(0);
    expect(await refused(admin, 'list-resources', { fabric: 'alpha', limit: 101 })).toMatch(/Invalid input/);
    expect(await refused(admin, 'list-resources', { fabric: 'alpha', kind: 'Pod' })).toMatch(/Invalid input/);

    const { resource } = await ok(admin, 'get-resource', { fabric: 'alpha', kind: 'SwitchGroup', name: sg('bad') });
    expect(resource).toMatchObject({ name: sg('bad'), gitPath: `managed/switchgroups/${sg('bad')}.yaml`, findingTotal: 1, differenceTotal: 0 });
    expect(resource.findings[0]).toMatchObject({ severity: 'error', blocksApply: true });
    expect(resource.desired).toMatchObject({ metadata: { name: sg('bad') } });
    expect(await refused(admin, 'get-resource', { fabric: 'alpha', kind: 'SwitchGroup', name: sg('none') })).toMatch(/NotFoundError/);
    expect(await refused(admin, 'get-run', { runId: crypto.randomUUID() })).toMatch(/NotFoundError: No run with id/);
  });

  it('plans, dry-runs and applies, then finds drift, with the apply and drift audited', async () => {
    const admin = await mcp.connect(ADMIN);
    const plan = await ok(admin, 'plan-apply', { fabric: 'alpha' });
    expect(plan).toMatchObject({ fabric: 'alpha', cluster: 'lab', totalItems: 3, unchanged: 0, prune: { enabled: false, total: 0 } });
    expect(plan.counts).toEqual({ create: 2, update: 0, delete: 0, blocked: 1, conflict: 0 });
    expect(plan.items.find((i: any) => i.action === 'blocked')).toMatchObject({ name: sg('bad'), reason: expect.stringContaining('unknown field') });

    auditor.createEvent.mockClear();
    const dry = await ok(admin, 'request-apply', { fabric: 'alpha', dryRun: true });
    const dryEvent = await auditEvent('fabric-apply');
    expect(dryEvent.created).toEqual({ eventId: 'fabric-apply', severityLevel: 'medium', meta: { fabric: 'alpha', via: 'action', actor: ADMIN, dryRun: true } });
    expect(dryEvent.success).toHaveBeenCalledWith({ meta: { runId: dry.runId } });
    const dryRun = await ended(admin, dry.runId);
    expect(dryRun).toMatchObject({ type: 'apply', status: 'succeeded' });
    expect(dryRun.stages.find((s: any) => s.name === 'apply').counts).toMatchObject({ blocked: 1 });
    expect((await kubeRequest(cluster, 'GET', sgPath(sg('a')))).status).toBe(404);

    const applied = await ended(admin, (await ok(admin, 'request-apply', { fabric: 'alpha' })).runId);
    expect(applied.stages.find((s: any) => s.name === 'apply').counts).toMatchObject({ applied: 2, blocked: 1, failed: 0 });
    expect((await kubeRequest(cluster, 'GET', sgPath(sg('a')))).status).toBe(200);
    expect((await resources(admin, { fabric: 'alpha', driftStatus: 'in_sync' })).totalItems).toBe(2);

    // someone changes an object in the cluster; the drift check finds it
    await kubeRequest(cluster, 'PATCH', sgPath(sg('b')), { body: { metadata: { labels: { team: 'ops' } } }, contentType: 'application/merge-patch+json' });
    auditor.createEvent.mockClear();
    const check = await ok(admin, 'request-drift-check', { fabric: 'alpha' });
    const driftEvent = await auditEvent('fabric-drift');
    expect(driftEvent.created.meta).toEqual({ fabric: 'alpha', via: 'action', actor: ADMIN });
    expect(driftEvent.success).toHaveBeenCalledWith({ meta: { runId: check.runId } });
    expect((await ended(admin, check.runId)).stages.map((s: any) => s.name)).toEqual(['drift']);
    const drifted = await resources(admin, { fabric: 'alpha', driftStatus: 'drifted' });
    expect(drifted.items.map((r: any) => r.name)).toEqual([sg('b')]);
    const { resource } = await ok(admin, 'get-resource', { fabric: 'alpha', kind: 'SwitchGroup', name: sg('b') });
    expect(resource.differences).toContainEqual({ path: 'metadata.labels.team', desired: 'net', actual: 'ops' });
    expect(resource.live).toMatchObject({ metadata: { labels: { team: 'ops' } } });
  });

  it('validates files, in a fabric\'s context when one is named', async () => {
    const admin = await mcp.connect(ADMIN);
    const good = await ok(admin, 'validate-files', { files: [{ path: 'raw/g.yaml', content: group('new-group') }] });
    expect(good).toEqual({ valid: true, errors: 0, warnings: 0, findings: [], findingsLeftOut: 0 });
    const bad = await ok(admin, 'validate-files', {
      fabric: 'alpha',
      files: [{ path: 'raw/g.yaml', content: `${group('x', '{unknownField: 1}')}---\nkind: [` }],
    });
    expect(bad).toMatchObject({ valid: false, findingsLeftOut: 0 });
    expect(bad.errors).toBe(bad.findings.filter((f: any) => f.severity === 'error').length);
    expect(bad.findings.every((f: any) => f.file === 'raw/g.yaml')).toBe(true);
    expect(await refused(admin, 'validate-files', { files: [] })).toMatch(/Invalid input/);
    // the MCP endpoint reads at most 100 kB (the README says so)
    const large = { path: 'raw/large.yaml', content: `# ${'x'.repeat(150_000)}\n${group('x')}` };
    await expect(admin.callTool({ name: 'hedgehog.validate-files', arguments: { files: [large] } })).rejects.toThrow(/413/);
  });

  it('checks each action\'s permission per fabric as its route does, and audits the refused mutations', async () => {
    const reader = await mcp.connect(READ_BETA);
    for (const [name, args] of [
      ['list-resources', { fabric: 'alpha' }],
      ['get-resource', { fabric: 'alpha', kind: 'SwitchGroup', name: sg('a') }],
      ['plan-apply', { fabric: 'alpha' }],
      ['validate-files', { fabric: 'alpha', files: [{ path: 'raw/g.yaml', content: group('x') }] }],
    ] as const) {
      expect([name, await refused(reader, name, args)]).toEqual([name, expect.stringMatching(/NotAllowedError: Permission hedgehog\.fabric\.read is required for fabric alpha/)]);
    }
    expect((await resources(reader, { fabric: 'beta' })).items.map((r: any) => r.name)).toEqual([sg('beta')]);
    expect((await ok(reader, 'validate-files', { fabric: 'beta', files: [{ path: 'raw/g.yaml', content: group('x') }] })).valid).toBe(true);
    const admin = await mcp.connect(ADMIN);
    const { id: runId } = await ended(admin, (await ok(admin, 'request-drift-check', { fabric: 'alpha' })).runId);
    expect(await refused(reader, 'get-run', { runId })).toMatch(/hedgehog\.fabric\.read is required for fabric alpha/);

    // read on beta does not give apply on beta; all of beta's permissions give nothing on alpha
    auditor.createEvent.mockClear();
    expect(await refused(reader, 'request-apply', { fabric: 'beta', dryRun: true })).toMatch(/hedgehog\.fabric\.apply/);
    const readerApply = await auditEvent('fabric-apply');
    expect(readerApply.created.meta).toEqual({ fabric: 'beta', via: 'action', actor: READ_BETA, dryRun: true });
    expect(readerApply.fail).toHaveBeenCalledWith({ error: expect.objectContaining({ name: 'NotAllowedError' }) });
    expect(readerApply.success).not.toHaveBeenCalled();

    const ops = await mcp.connect(OPS_BETA);
    auditor.createEvent.mockClear();
    expect(await refused(ops, 'request-drift-check', { fabric: 'alpha' })).toMatch(/hedgehog\.fabric\.sync is required for fabric alpha/);
    expect((await auditEvent('fabric-drift')).fail).toHaveBeenCalledWith({ error: expect.objectContaining({ name: 'NotAllowedError' }) });
    auditor.createEvent.mockClear();
    expect(await refused(ops, 'request-apply', { fabric: 'alpha' })).toMatch(/hedgehog\.fabric\.apply is required for fabric alpha/);
    expect((await auditEvent('fabric-apply')).fail).toHaveBeenCalledWith({ error: expect.objectContaining({ name: 'NotAllowedError' }) });
    const betaCheck = await ended(ops, (await ok(ops, 'request-drift-check', { fabric: 'beta' })).runId);
    expect(betaCheck).toMatchObject({ fabric: 'beta', type: 'drift', requestedBy: OPS_BETA });

    const nobody = await mcp.connect(NOBODY);
    for (const [name, args] of [
      ['validate-files', { files: [{ path: 'raw/g.yaml', content: group('x') }] }],
      ['get-run', { runId }],
      ['list-resources', { fabric: 'beta' }],
    ] as const) {
      expect([name, await refused(nobody, name, args)]).toEqual([name, expect.stringMatching(/NotAllowedError: Permission hedgehog\.fabric\.read is required$/)]);
    }
  });
});
