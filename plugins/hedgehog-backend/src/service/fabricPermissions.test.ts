/*
 * Per-fabric authorization with Backstage's real permission framework: the
 * permission backend with a policy written as an adopter would write it (the
 * conditions exported by @fabric-gitops/plugin-hedgehog-node), the real
 * permissions service, and the hedgehog plugin's resource type and rules.
 */
import { coreServices, createBackendModule, UserInfoService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { createPermissionRule, PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  hedgehogFabricAdoptPermission,
  hedgehogFabricReadPermission,
  hedgehogFabricSyncPermission,
  RESOURCE_TYPE_HEDGEHOG_FABRIC,
} from '@fabric-gitops/plugin-hedgehog-common';
import {
  createHedgehogFabricConditionalDecision,
  hedgehogFabricConditions,
  hedgehogFabricPermissionResourceRef,
} from '@fabric-gitops/plugin-hedgehog-node';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { realPermissionFramework } from '@internal/fabric-gitops-test/permissions';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { hedgehogPlugin } from '../plugin';

jest.setTimeout(60_000);

const ADMIN = 'user:default/admin';
/** Read and sync on fabric alpha only (by name); never adopt. */
const SYNC_ALPHA = 'user:default/sync-alpha';
/** Member of group network, which owns alpha: every permission on the fabrics it owns. */
const OWNER = 'user:default/owner';
/** Read on fabric beta only. */
const READ_BETA = 'user:default/read-beta';
const NOBODY = 'user:default/nobody';
/** Read on the fabrics a module's own rule selects. */
const MODULE_RULE = 'user:default/module-rule';

/** A module of the hedgehog plugin adding a rule of its own for fabrics. */
const ruleModule = createBackendModule({
  pluginId: 'hedgehog',
  moduleId: 'test-rules',
  register(reg) {
    reg.registerInit({
      deps: { permissionsRegistry: coreServices.permissionsRegistry },
      async init({ permissionsRegistry }) {
        permissionsRegistry.addPermissionRules([
          createPermissionRule({
            name: 'HAS_PATH_ALPHA',
            description: 'fabrics in the folder fabrics/alpha',
            resourceRef: hedgehogFabricPermissionResourceRef,
            apply: fabric => fabric.git.path === 'fabrics/alpha',
            toQuery: () => ({ property: 'name' as const, values: [] }),
          }),
        ]);
      },
    });
  },
});

/** A policy as an adopter writes it, with the conditions the plugin exports. */
class TestPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(req: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const p = req.permission;
    if (!isResourcePermission(p, RESOURCE_TYPE_HEDGEHOG_FABRIC)) return { result: AuthorizeResult.DENY };
    const { hasFabricName, isFabricOwner } = hedgehogFabricConditions;
    const info = user ? await this.userInfo.getUserInfo(user.credentials) : undefined;
    switch (info?.userEntityRef) {
      case ADMIN:
        return { result: AuthorizeResult.ALLOW };
      case SYNC_ALPHA:
        if (isPermission(p, hedgehogFabricReadPermission) || isPermission(p, hedgehogFabricSyncPermission)) {
          return createHedgehogFabricConditionalDecision(p, hasFabricName({ names: ['alpha'] }));
        }
        return { result: AuthorizeResult.DENY };
      case OWNER:
        return createHedgehogFabricConditionalDecision(p, isFabricOwner({ claims: info.ownershipEntityRefs }));
      case MODULE_RULE:
        return isPermission(p, hedgehogFabricReadPermission)
          ? createHedgehogFabricConditionalDecision(p, { rule: 'HAS_PATH_ALPHA', resourceType: RESOURCE_TYPE_HEDGEHOG_FABRIC, params: {} })
          : { result: AuthorizeResult.DENY };
      case READ_BETA:
        return isPermission(p, hedgehogFabricReadPermission)
          ? createHedgehogFabricConditionalDecision(p, hasFabricName({ names: ['beta'] }))
          : { result: AuthorizeResult.DENY };
      default:
        return { result: AuthorizeResult.DENY };
    }
  }
}

describe('per-fabric permissions with a real policy', () => {
  let root: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  let alphaRun: string;

  const auth = (user: string) => mockCredentials.user.header(user);
  const get = (url: string, user: string) => request(server).get(`/api/hedgehog${url}`).set('Authorization', auth(user));
  const post = (url: string, user: string, body: object = {}) =>
    request(server).post(`/api/hedgehog${url}`).set('Authorization', auth(user)).send(body);

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-fabric-permissions-'));
    const repo = await createBareRepo(path.join(root, 'fabrics.git'));
    const group = (name: string) =>
      `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\nspec: {}\n`;
    await pushFiles(`file://${repo}`, {
      'fabrics/alpha/raw/groups.yaml': group('alpha-group'),
      'fabrics/beta/raw/groups.yaml': group('beta-group'),
    });
    const fabric = (name: string, owner: string) => ({
      name,
      owner,
      git: { url: `file://${repo}`, branch: 'main', path: `fabrics/${name}` },
    });
    const permissions = realPermissionFramework({
      policy: ({ userInfo }) => new TestPolicy(userInfo),
      ownership: { [OWNER]: [OWNER, 'group:default/network'] },
    });
    const backend = await startTestBackend({
      features: [
        hedgehogPlugin,
        ruleModule,
        ...permissions.features,
        mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
        mockServices.rootConfig.factory({
          data: {
            ...permissions.config,
            hedgehog: {
              workingDirectory: path.join(root, 'work'),
              // `network` is group:default/network, as the catalog reads spec.owner
              fabrics: [fabric('alpha', 'network'), fabric('beta', 'group:default/storage')],
            },
          },
        }),
      ],
    });
    server = backend.server;
    stop = () => backend.stop();
    const sync = await post('/fabrics/alpha/sync', ADMIN);
    if (sync.status !== 202) throw new Error(`sync of alpha: ${sync.status} ${sync.text}`);
    alphaRun = sync.body.runId;
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  const names = async (user: string) => {
    const res = await get('/fabrics', user);
    return res.status === 200 ? res.body.items.map((f: any) => f.name) : res.status;
  };
  /** Not refused by authentication or authorization (the route may still answer 4xx, e.g. no cluster). */
  const authorized = (status: number) => ![401, 403].includes(status) && status < 500;

  it('lists only the fabrics the user may read', async () => {
    expect(await names(ADMIN)).toEqual(['alpha', 'beta']);
    expect(await names(SYNC_ALPHA)).toEqual(['alpha']);
    expect(await names(OWNER)).toEqual(['alpha']);
    expect(await names(READ_BETA)).toEqual(['beta']);
    expect(await names(NOBODY)).toBe(403);
    expect((await request(server).get('/api/hedgehog/fabrics')).status).toBe(401);
  });

  it('a user may sync one fabric and not another', async () => {
    expect((await post('/fabrics/alpha/sync', SYNC_ALPHA)).status).toBe(202);
    const beta = await post('/fabrics/beta/sync', SYNC_ALPHA);
    expect(beta.status).toBe(403);
    expect(beta.body.error.message).toBe('Permission hedgehog.fabric.sync is required for fabric beta');
    expect((await post('/fabrics/beta/drift', SYNC_ALPHA)).status).toBe(403);
    // nor read it: not its state, resources, runs or files
    for (const url of ['/fabrics/beta', '/fabrics/beta/resources', '/fabrics/beta/runs', '/fabrics/beta/unmanaged', '/fabrics/beta/cluster', '/fabrics/beta/pulls']) {
      const res = await get(url, SYNC_ALPHA);
      expect([url, res.status, res.body.error?.message]).toEqual([url, 403, 'Permission hedgehog.fabric.read is required for fabric beta']);
    }
    expect((await get('/fabrics/alpha/resources', SYNC_ALPHA)).status).toBe(200);
    // an unknown fabric is not found for a user allowed everywhere, refused for a conditional one
    expect((await get('/fabrics/gamma', ADMIN)).status).toBe(404);
    expect((await get('/fabrics/gamma', SYNC_ALPHA)).status).toBe(403);
  });

  it('apply and adopt need their own permissions, also with sync', async () => {
    const apply = await post('/fabrics/alpha/apply', SYNC_ALPHA);
    expect(apply.status).toBe(403);
    expect(apply.body.error.message).toBe('Permission hedgehog.fabric.apply is required');
    expect((await post('/fabrics/alpha/sync', SYNC_ALPHA, { apply: true })).status).toBe(403);
    const adopt = await post('/fabrics/alpha/resources/SwitchGroup/alpha-group/adopt', SYNC_ALPHA);
    expect(adopt.status).toBe(403);
    expect(adopt.body.error.message).toBe('Permission hedgehog.fabric.adopt is required');
  });

  it('the owner rule grants by ownership: the owner group of alpha, not of beta', async () => {
    expect((await post('/fabrics/alpha/sync', OWNER)).status).toBe(202);
    // authorized, then refused for what alpha is: no cluster to apply to or adopt from
    const apply = await post('/fabrics/alpha/apply', OWNER);
    expect([apply.status, apply.body.error?.message]).toEqual([400, expect.stringMatching(/^Fabric alpha has no cluster/)]);
    const adopt = await post('/fabrics/alpha/resources/SwitchGroup/alpha-group/adopt', OWNER);
    expect([authorized(adopt.status), adopt.body.error?.message]).toEqual([true, expect.not.stringMatching(/Permission/)]);
    for (const [url, permission] of [
      ['/fabrics/beta/sync', 'sync'],
      ['/fabrics/beta/apply', 'apply'],
      ['/fabrics/beta/resources/SwitchGroup/beta-group/adopt', 'adopt'],
    ]) {
      const res = await post(url, OWNER);
      expect([url, res.status, res.body.error?.message]).toEqual([url, 403, `Permission hedgehog.fabric.${permission} is required for fabric beta`]);
    }
  });

  it('a run is read with read on its fabric', async () => {
    expect((await get(`/runs/${alphaRun}`, SYNC_ALPHA)).status).toBe(200);
    const other = await get(`/runs/${alphaRun}`, READ_BETA);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe('Permission hedgehog.fabric.read is required for fabric alpha');
    expect((await get(`/runs/${alphaRun}`, NOBODY)).status).toBe(403);
  });

  it('POST /validate with a fabric needs read on it; without one, read on some fabric', async () => {
    const files = [{ path: 'raw/a.yaml', content: 'apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: g\nspec: {}\n' }];
    expect((await post('/validate', SYNC_ALPHA, { files, fabric: 'alpha' })).status).toBe(200);
    const beta = await post('/validate', SYNC_ALPHA, { files, fabric: 'beta' });
    expect(beta.status).toBe(403);
    expect(beta.body.error.message).toBe('Permission hedgehog.fabric.read is required for fabric beta');
    expect((await post('/validate', SYNC_ALPHA, { files })).status).toBe(200);
    expect((await post('/validate', NOBODY, { files })).status).toBe(403);
  });

  it("the permission backend decides on a fabric by name (the frontend's usePermission) with the same rules", async () => {
    const ask = async (user: string, permission: typeof hedgehogFabricSyncPermission, fabric: string) => {
      const res = await request(server)
        .post('/api/permission/authorize')
        .set('Authorization', auth(user))
        .send({ items: [{ id: '1', permission, resourceRef: fabric }] });
      expect(res.status).toBe(200);
      return res.body.items[0].result;
    };
    expect(await ask(SYNC_ALPHA, hedgehogFabricSyncPermission, 'alpha')).toBe(AuthorizeResult.ALLOW);
    expect(await ask(SYNC_ALPHA, hedgehogFabricSyncPermission, 'beta')).toBe(AuthorizeResult.DENY);
    expect(await ask(SYNC_ALPHA, hedgehogFabricAdoptPermission, 'alpha')).toBe(AuthorizeResult.DENY);
    expect(await ask(OWNER, hedgehogFabricAdoptPermission, 'alpha')).toBe(AuthorizeResult.ALLOW);
    expect(await ask(OWNER, hedgehogFabricAdoptPermission, 'beta')).toBe(AuthorizeResult.DENY);
    expect(await ask(OWNER, hedgehogFabricSyncPermission, 'gamma')).toBe(AuthorizeResult.DENY);
    expect(await ask(MODULE_RULE, hedgehogFabricReadPermission, 'alpha')).toBe(AuthorizeResult.ALLOW);
    expect(await ask(MODULE_RULE, hedgehogFabricReadPermission, 'beta')).toBe(AuthorizeResult.DENY);
  });

  it('a search finds resources only in the fabrics the user may read', async () => {
    const sync = await post('/fabrics/beta/sync', ADMIN);
    expect(sync.status).toBe(202);
    for (let i = 0; i < 600; i++) {
      const run = await get(`/runs/${sync.body.runId}`, ADMIN);
      if (['succeeded', 'partial', 'failed'].includes(run.body.status)) break;
      await new Promise(r => setTimeout(r, 100));
    }
    const found = async (user: string) => {
      const res = await get('/search?q=group', user);
      return res.status === 200 ? res.body.items.map((i: any) => `${i.fabric}/${i.kind}/${i.name}`) : res.status;
    };
    expect(await found(ADMIN)).toEqual(['alpha/SwitchGroup/alpha-group', 'beta/SwitchGroup/beta-group']);
    expect(await found(SYNC_ALPHA)).toEqual(['alpha/SwitchGroup/alpha-group']);
    expect(await found(READ_BETA)).toEqual(['beta/SwitchGroup/beta-group']);
    expect(await found(NOBODY)).toBe(403);
    expect((await request(server).get('/api/hedgehog/search?q=group')).status).toBe(401);
    // bounded: a query of 1 to 100 characters, at most 200 matches
    for (const url of ['/search', '/search?q=%20', `/search?q=${'x'.repeat(101)}`, '/search?q=group&limit=201']) {
      const res = await get(url, ADMIN);
      expect([url, res.status, res.body.error?.message]).toEqual([url, 400, expect.stringMatching(/query/)]);
    }
    const one = await get('/search?q=group&limit=1', ADMIN);
    expect([one.body.items.length, one.body.totalItems, one.body.truncated]).toEqual([1, 2, true]);
  });

  it("a module's own rule for fabrics is evaluated by the API as the plugin's rules are", async () => {
    expect(await names(MODULE_RULE)).toEqual(['alpha']);
    expect((await get('/fabrics/alpha', MODULE_RULE)).status).toBe(200);
    expect((await get('/fabrics/beta', MODULE_RULE)).status).toBe(403);
  });
});
