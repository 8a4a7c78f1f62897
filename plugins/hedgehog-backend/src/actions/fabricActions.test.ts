/*
 * The fabric actions (list-fabrics, get-fabric, request-sync) as an AI agent reaches them: the MCP actions backend
 * (Backstage's, with the real actions registry and actions service) in one test
 * backend with the plugin, driven by the MCP SDK's client over streamable HTTP.
 */
import {
  actionsRegistryServiceFactory,
  actionsServiceFactory,
} from '@backstage/backend-defaults/alpha';
import { mockServices } from '@backstage/backend-test-utils';
import mcpActionsPlugin from '@backstage/plugin-mcp-actions-backend';
import { createBareRepo } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { mcpClients, permissionsPerFabric, toolOutput } from '../__testUtils__/mcp';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
/** May read fabric beta only (a conditional decision on the fabric's name). */
const READ_BETA = 'user:default/read-beta';
/** Denied hedgehog.fabric.read outright. */
const NOBODY = 'user:default/nobody';

const permissions = permissionsPerFabric([ADMIN], { [READ_BETA]: { names: ['beta'], permissions: ['hedgehog.fabric.read'] } });

const auditor = mockServices.auditor.mock();

describe('the fabric actions over MCP', () => {
  let root: string;
  let port = 0;
  let stop: () => Promise<void>;
  const { connect, close } = mcpClients(() => port);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-mcp-test-'));
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    const git = (p: string) => ({ url: `file://${repo}`, branch: 'main', path: p });
    const backend = await startPluginBackend(
      permissions.factory,
      {
        backend: { actions: { pluginSources: ['hedgehog'] } },
        hedgehog: {
          workingDirectory: path.join(root, 'work'),
          fabrics: [
            { name: 'alpha', title: 'Alpha', git: git('fabrics/alpha') },
            { name: 'beta', title: 'Beta', git: git('fabrics/beta'), owner: 'group:default/network' },
          ],
        },
      },
      [
        actionsRegistryServiceFactory,
        actionsServiceFactory,
        mcpActionsPlugin,
        auditor.factory,
      ],
    );
    port = (backend.server.address() as AddressInfo).port;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    await close();
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  const names = (result: any) => result.structuredContent?.fabrics?.map((f: any) => f.name) ?? JSON.parse(result.content[0].text).fabrics.map((f: any) => f.name);

  it('is listed as a read-only, idempotent tool with an input schema and a description', async () => {
    const client = await connect(ADMIN);
    const { tools } = await client.listTools();
    const tool = tools.find(t => t.name === 'hedgehog.list-fabrics');
    expect(tool).toBeDefined();
    expect(tool!.annotations).toMatchObject({
      title: 'List Hedgehog fabrics',
      readOnlyHint: true,
      idempotentHint: true,
      destructiveHint: false,
    });
    expect(tool!.inputSchema.type).toBe('object');
    expect(tool!.description).toMatch(/in_sync/);
  });

  it('answers with every fabric the caller may read, with its status', async () => {
    const client = await connect(ADMIN);
    const result: any = await client.callTool({ name: 'hedgehog.list-fabrics', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(names(result)).toEqual(['alpha', 'beta']);
    const text = JSON.parse(result.content[0].text);
    expect(text.fabrics[1]).toMatchObject({
      name: 'beta',
      title: 'Beta',
      owner: 'group:default/network',
      status: 'never_synced',
      git: { branch: 'main', path: 'fabrics/beta' },
    });
  });

  it('leaves out the fabrics the caller may not read', async () => {
    const client = await connect(READ_BETA);
    const result: any = await client.callTool({ name: 'hedgehog.list-fabrics', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(names(result)).toEqual(['beta']);
  });

  it('fails for a caller denied hedgehog.fabric.read, as GET /fabrics does', async () => {
    const client = await connect(NOBODY);
    const result: any = await client.callTool({ name: 'hedgehog.list-fabrics', arguments: {} });
    expect(result.isError).toBe(true);
    expect(result.content[0].text).toMatch(/hedgehog\.fabric\.read/);
  });

  it('get-fabric answers one fabric the caller may read, and refuses the others as GET /fabrics/:fabric does', async () => {
    const admin = await connect(ADMIN);
    const beta: any = await admin.callTool({ name: 'hedgehog.get-fabric', arguments: { fabric: 'beta' } });
    expect(beta.isError).toBeFalsy();
    expect(toolOutput(beta).fabric).toMatchObject({ name: 'beta', status: 'never_synced', owner: 'group:default/network' });
    const unknown: any = await admin.callTool({ name: 'hedgehog.get-fabric', arguments: { fabric: 'gamma' } });
    expect(unknown.isError).toBe(true);
    expect(unknown.content[0].text).toMatch(/No fabric named "gamma"/);

    const reader = await connect(READ_BETA);
    expect((await reader.callTool({ name: 'hedgehog.get-fabric', arguments: { fabric: 'beta' } }) as any).isError).toBeFalsy();
    const alpha: any = await reader.callTool({ name: 'hedgehog.get-fabric', arguments: { fabric: 'alpha' } });
    expect(alpha.isError).toBe(true);
    expect(alpha.content[0].text).toMatch(/hedgehog\.fabric\.read/);
  });

  /** The plugin's fabric-sync event (the actions service audits its invocations too). */
  const syncEvent = async () => {
    const i = auditor.createEvent.mock.calls.findIndex(c => c[0].eventId === 'fabric-sync');
    expect(i).toBeGreaterThanOrEqual(0);
    return (await auditor.createEvent.mock.results[i].value) as { success: jest.Mock; fail: jest.Mock };
  };

  it('request-sync queues a sync with the sync permission, audited with the caller, and refuses (audited) without it', async () => {
    const { tools } = await (await connect(ADMIN)).listTools();
    expect(tools.find(t => t.name === 'hedgehog.request-sync')!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });

    auditor.createEvent.mockClear();
    const admin = await connect(ADMIN);
    const queued: any = await admin.callTool({ name: 'hedgehog.request-sync', arguments: { fabric: 'alpha' } });
    expect(queued.isError).toBeFalsy();
    const { runId } = toolOutput(queued);
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(auditor.createEvent).toHaveBeenCalledWith({
      eventId: 'fabric-sync',
      severityLevel: 'medium',
      meta: { fabric: 'alpha', via: 'action', actor: ADMIN },
    });
    const done = await syncEvent();
    expect(done.success).toHaveBeenCalledWith({ meta: { runId } });

    // READ_BETA may read beta, not sync it
    auditor.createEvent.mockClear();
    const reader = await connect(READ_BETA);
    const refused: any = await reader.callTool({ name: 'hedgehog.request-sync', arguments: { fabric: 'beta' } });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toMatch(/hedgehog\.fabric\.sync/);
    const failed = await syncEvent();
    expect(failed.fail).toHaveBeenCalledWith({ error: expect.objectContaining({ name: 'NotAllowedError' }) });
    expect(failed.success).not.toHaveBeenCalled();
  });
});

