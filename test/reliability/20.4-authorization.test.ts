/*
 * Section 20.4 — per-fabric authorization (issue 20, point 4).
 *
 * Two fabrics on the real test cluster, fab-a (owner group:default/team-a) and
 * fab-b (owner `team-b`), each in its own Git repository in write mode push, and
 * a VPC that only the cluster holds (orphaned in both fabrics after a drift
 * check, so adoptable). Backstage's real permission backend decides, with a
 * policy that grants:
 *   ops-a    every hedgehog permission on fab-a only (rule HAS_FABRIC_NAME)
 *   sync-a   read and sync on fab-a only
 *   owner-b  every hedgehog permission on the fabrics its group owns (IS_FABRIC_OWNER)
 *   operator everything (sets the scene)
 * Over HTTP, a user with rights on fab-a only must not read, sync, check drift,
 * apply or adopt fab-b, nor see it in the list, and nothing may change in fab-b
 * (no run queued, no commit pushed); sync without adopt must not adopt (in write
 * mode push, an adoption is a commit pushed to the fabric's branch).
 *
 * The policy builds its conditions by hand (what createHedgehogFabricConditionalDecision
 * builds), so that this file also runs against the code before per-fabric
 * permissions existed, where a policy could only grant a permission on every
 * fabric: there the per-fabric users get the plain permissions they were meant
 * to have on fab-a, and the cases below fail.
 */
import { UserInfoService } from '@backstage/backend-plugin-api';
import { AuthorizeResult, isResourcePermission, PolicyDecision } from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { kubeRequest, lockTestCluster, startTestCluster, TestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitCount, createBareRepo, pushFiles } from '../servers';
import { OPERATOR, startHedgehogBackend, TestBackend } from './lib/backend';
import { sg } from './lib/corpus';
import { SectionSummary } from './lib/summary';
import { deliver, signature } from './lib/webhook';

jest.setTimeout(180_000);

const summary = new SectionSummary('section 20.4 (per-fabric authorization: list, read, sync, drift, apply, adopt)');
const TAG = crypto.randomBytes(3).toString('hex');
const SECRET = crypto.randomBytes(16).toString('hex');
const VPC = `rel6-${TAG}`;
const VPCS = '/apis/vpc.githedgehog.com/v1beta1/namespaces/default/vpcs';

const OPS_A = 'user:default/ops-a';
const SYNC_A = 'user:default/sync-a';
const OWNER_B = 'user:default/owner-b';
const READ = 'hedgehog.fabric.read';
const SYNC = 'hedgehog.fabric.sync';

const RESOURCE_TYPE = 'hedgehog-fabric';
const conditional = (rule: string, params: Record<string, string[]>): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'hedgehog',
  resourceType: RESOURCE_TYPE,
  conditions: { rule, resourceType: RESOURCE_TYPE, params },
});

class PerFabricPolicy implements PermissionPolicy {
  constructor(private readonly userInfo: UserInfoService) {}

  async handle(req: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const p = req.permission;
    const info = user ? await this.userInfo.getUserInfo(user.credentials) : undefined;
    const ref = info?.userEntityRef;
    if (ref === OPERATOR) return { result: AuthorizeResult.ALLOW };
    if (!p.name.startsWith('hedgehog.')) return { result: AuthorizeResult.DENY };
    const perFabric = isResourcePermission(p, RESOURCE_TYPE);
    const onA = perFabric ? conditional('HAS_FABRIC_NAME', { names: ['fab-a'] }) : { result: AuthorizeResult.ALLOW };
    switch (ref) {
      case OPS_A:
        return onA as PolicyDecision;
      case SYNC_A:
        return [READ, SYNC].includes(p.name) ? (onA as PolicyDecision) : { result: AuthorizeResult.DENY };
      case OWNER_B:
        return perFabric
          ? conditional('IS_FABRIC_OWNER', { claims: info!.ownershipEntityRefs })
          : { result: AuthorizeResult.DENY };
      default:
        return { result: AuthorizeResult.DENY };
    }
  }
}

let root: string;
let backend: TestBackend;
let cluster: TestCluster;
let releaseCluster: (() => Promise<void>) | undefined;
const repos: Record<string, string> = {};
/** The last run of fab-b (set up by the operator). */
let runOfB: string;

const runCount = async (fabric: string) => (await backend.get(`/fabrics/${fabric}/runs`, OPERATOR)).body.totalItems as number;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-authz-'));
  for (const name of ['fab-a', 'fab-b']) {
    repos[name] = await createBareRepo(path.join(root, `${name}.git`));
    await pushFiles(`file://${repos[name]}`, { 'fabric/raw/groups.yaml': sg(`${name}-${TAG}`) });
  }
  // shared with other test files, some of which count VPCs
  releaseCluster = await lockTestCluster();
  cluster = await startTestCluster();
  await kubeRequest(cluster, 'DELETE', `${VPCS}/${VPC}`);
  const created = await kubeRequest(cluster, 'POST', VPCS, {
    body: {
      apiVersion: 'vpc.githedgehog.com/v1beta1',
      kind: 'VPC',
      metadata: { name: VPC, namespace: 'default' },
      spec: { subnets: { default: { subnet: '10.99.6.0/24', vlan: 1996 } } },
    },
  });
  if (created.status !== 201) throw new Error(`creating VPC ${VPC}: ${created.status} ${JSON.stringify(created.body)}`);

  const fabric = (name: string, owner: string) => ({
    name,
    owner,
    cluster: 'test',
    git: { url: `file://${repos[name]}`, branch: 'main', path: 'fabric', writeMode: 'push' },
  });
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      webhooks: { github: { secret: SECRET } },
      clusters: [{ name: 'test', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData }],
      fabrics: [fabric('fab-a', 'group:default/team-a'), fabric('fab-b', 'team-b')],
    },
    {
      permissions: {
        policy: ({ userInfo }) => new PerFabricPolicy(userInfo),
        ownership: { [OWNER_B]: [OWNER_B, 'group:default/team-b'] },
      },
    },
  );
  for (const name of ['fab-a', 'fab-b']) {
    for (const route of ['sync', 'drift']) {
      const res = await backend.post(`/fabrics/${name}/${route}`, {}, OPERATOR);
      if (res.status !== 202) throw new Error(`${route} of ${name}: ${res.status} ${res.text}`);
      const run = await backend.waitForRun(res.body.runId);
      if (run.status === 'failed') throw new Error(`${route} of ${name} failed: ${run.error}`);
      runOfB = run.id;
    }
    const orphan = await backend.get(`/fabrics/${name}/resources/VPC/${VPC}`, OPERATOR);
    if (orphan.body.drift?.status !== 'orphaned_in_cluster') throw new Error(`VPC ${VPC} in ${name}: ${orphan.status} ${orphan.text}`);
  }
});

afterAll(async () => {
  await backend?.stop();
  if (cluster) await kubeRequest(cluster, 'DELETE', `${VPCS}/${VPC}`).catch(() => undefined);
  await releaseCluster?.();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

const names = async (user: string) => {
  const res = await backend.get('/fabrics', user);
  return res.status === 200 ? res.body.items.map((f: any) => f.name) : res.status;
};

describe('section 20.4: a user with rights on fab-a only, over HTTP', () => {
  it(
    'does not see fab-b in the list; the owner of fab-b sees only fab-b',
    summary.track('list filtered by read', async () => {
      expect(await names(OPERATOR)).toEqual(['fab-a', 'fab-b']);
      expect(await names(OPS_A)).toEqual(['fab-a']);
      expect(await names(SYNC_A)).toEqual(['fab-a']);
      expect(await names(OWNER_B)).toEqual(['fab-b']);
    }),
  );

  it(
    "cannot read fab-b: its state, resources, runs, files, cluster, pull requests, a run by id, validation in its context",
    summary.track('read of fab-b refused', async () => {
      const urls = ['', '/resources', `/resources/VPC/${VPC}`, '/runs', '/unmanaged', '/cluster', '/pulls'].map(u => `/fabrics/fab-b${u}`);
      for (const url of [...urls, `/runs/${runOfB}`]) {
        const res = await backend.get(url, OPS_A);
        expect([url, res.status, res.body.error?.message]).toEqual([url, 403, `Permission ${READ} is required for fabric fab-b`]);
      }
      const validate = await backend.post('/validate', { files: [{ path: 'raw/a.yaml', content: sg('x') }], fabric: 'fab-b' }, OPS_A);
      expect(validate.status).toBe(403);
      // the same on fab-a works
      expect((await backend.get('/fabrics/fab-a/resources', OPS_A)).status).toBe(200);
    }),
  );

  it(
    'cannot sync fab-b or check its drift; no run is queued',
    summary.track('sync and drift of fab-b refused', async () => {
      const before = await runCount('fab-b');
      for (const user of [OPS_A, SYNC_A]) {
        for (const route of ['sync', 'drift']) {
          const res = await backend.post(`/fabrics/fab-b/${route}`, {}, user);
          expect([user, route, res.status, res.body.error?.message]).toEqual([user, route, 403, `Permission ${SYNC} is required for fabric fab-b`]);
        }
      }
      expect(await runCount('fab-b')).toBe(before);
    }),
  );

  it(
    'cannot apply fab-b, not even as a dry run or with a sync; no run is queued',
    summary.track('apply of fab-b refused', async () => {
      const before = await runCount('fab-b');
      const apply = await backend.post('/fabrics/fab-b/apply', { dryRun: true }, OPS_A);
      expect([apply.status, apply.body.error?.message]).toEqual([403, 'Permission hedgehog.fabric.apply is required for fabric fab-b']);
      expect((await backend.post('/fabrics/fab-b/sync', { apply: true }, OPS_A)).status).toBe(403);
      expect(await runCount('fab-b')).toBe(before);
    }),
  );

  it(
    "cannot adopt into fab-b's Git; nothing is pushed",
    summary.track('adopt into fab-b refused', async () => {
      const before = await commitCount(repos['fab-b']);
      const res = await backend.post(`/fabrics/fab-b/resources/VPC/${VPC}/adopt`, {}, OPS_A);
      expect([res.status, res.body.error?.message]).toEqual([403, 'Permission hedgehog.fabric.adopt is required for fabric fab-b']);
      expect(await commitCount(repos['fab-b'])).toBe(before);
    }),
  );

  it(
    "sync on fab-a is not adopt: a user with read and sync cannot push the cluster's value into fab-a's Git",
    summary.track('adopt needs its own permission', async () => {
      const before = await commitCount(repos['fab-a']);
      const res = await backend.post(`/fabrics/fab-a/resources/VPC/${VPC}/adopt`, {}, SYNC_A);
      expect([res.status, res.body.error?.message]).toEqual([403, 'Permission hedgehog.fabric.adopt is required']);
      expect(await commitCount(repos['fab-a'])).toBe(before);
    }),
  );

  it(
    'can do on fab-a what the policy grants there: sync, check drift, apply (dry run)',
    summary.track('fab-a allowed', async () => {
      for (const [route, body] of [['sync', {}], ['drift', {}], ['apply', { dryRun: true }]] as const) {
        const res = await backend.post(`/fabrics/fab-a/${route}`, body, OPS_A);
        expect([route, res.status]).toEqual([route, 202]);
        expect((await backend.waitForRun(res.body.runId)).status).not.toBe('failed');
      }
    }),
  );

  it(
    "the owner rule: fab-b's owner adopts the VPC into fab-b (a commit pushed) and is refused on fab-a",
    summary.track('owner rule', async () => {
      expect((await backend.post('/fabrics/fab-a/sync', {}, OWNER_B)).status).toBe(403);
      const before = await commitCount(repos['fab-b']);
      const res = await backend.post(`/fabrics/fab-b/resources/VPC/${VPC}/adopt`, {}, OWNER_B);
      expect([res.status, res.body.error?.message]).toEqual([201, undefined]);
      expect(res.body).toMatchObject({ fabric: 'fab-b', writeMode: 'push', changed: true });
      expect(await commitCount(repos['fab-b'])).toBe(before + 1);
      await backend.waitForRun(res.body.runId);
    }),
  );

  it(
    'the GitHub webhook stays authenticated by its signature, not by a user',
    summary.track('webhook signature', async () => {
      const body = Buffer.from(JSON.stringify({ zen: 'hi', hook_id: 6 }));
      const unsigned = await deliver(backend.server, body, { event: 'ping', delivery: crypto.randomUUID() });
      expect(unsigned.status).toBe(401);
      const signed = await deliver(backend.server, body, { event: 'ping', delivery: crypto.randomUUID(), signature: signature(SECRET, body) });
      expect(signed.status).toBe(200);
    }),
  );
});
