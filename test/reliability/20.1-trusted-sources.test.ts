/*
 * Section 6 — trusted fabric sources (issue 20, point 1).
 *
 * Anyone who may register a catalog location can write a `hedgehog-fabric`
 * entity. The real backend plugin with the real catalog-fabrics module reads
 * such entities (from a catalog mock) under a catalog fabric policy that allows
 * one local folder and one cluster (`lab`, `allowCatalogFabrics: true`):
 *
 *  - `intruder`: an unrelated local repository (file://, outside the folder)
 *    and the configured cluster `prod`, which did not opt in;
 *  - `wrong-cluster`: an allowed repository, but the cluster `prod`;
 *  - `wrong-repo`: the unrelated repository, no cluster;
 *  - `conforming`: an allowed repository and the cluster `lab`.
 *
 * Every scheduled task is run, and every route that acts on a fabric is
 * called for the blocked ones. The unrelated repository's refs and objects
 * must stay exactly as they were, and the API server behind `prod` (a
 * recording proxy in front of the real test cluster) must see no request at
 * all, while `conforming` is synced: its commit is pushed and its cluster read.
 * Then `conforming` is re-pointed at the unrelated repository: its task, still
 * scheduled, must not sync it any more.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { hedgehogModuleCatalogFabrics } from '@fabric-gitops/plugin-catalog-backend-module-hedgehog';
import { kubeRequest, lockTestCluster, startTestCluster, TestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBareRepo, pushFiles, runGit } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { sg } from './lib/corpus';
import { KubeProxy, startKubeProxy } from './lib/kubeProxy';
import { SectionSummary } from './lib/summary';

jest.setTimeout(240_000);

const summary = new SectionSummary('section 20.1 (trusted fabric sources: catalog fabrics outside the policy)');
const TAG = crypto.randomBytes(3).toString('hex');
const BLOCKED = ['intruder', 'wrong-cluster', 'wrong-repo'];

let root: string;
let unrelated: string;
let allowed: string;
let backend: TestBackend;
let prod: KubeProxy;
let lab: KubeProxy;
let cluster: TestCluster | undefined;
let releaseCluster: (() => Promise<void>) | undefined;
const scheduler = mockServices.scheduler();
const entities: Entity[] = [];

function fabricEntity(name: string, repo: string, clusterName?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name,
      namespace: 'default',
      annotations: {
        'githedgehog.com/gitops-location': `url:file://${repo}#main:fabric`,
        ...(clusterName ? { 'githedgehog.com/cluster': clusterName } : {}),
      },
    },
    spec: { type: 'hedgehog-fabric', owner: 'group:default/intruders' },
  };
}

/** Every ref and every object of a repository: what a push would change. */
async function repositoryState(repo: string): Promise<string> {
  const refs = await runGit(['--git-dir', repo, 'for-each-ref', '--format=%(refname) %(objectname)']);
  const objects = await runGit(['--git-dir', repo, 'cat-file', '--batch-all-objects', '--batch-check']);
  return `${refs.stdout}\n${objects.stdout}`;
}

async function runScheduledTasks(): Promise<string[]> {
  const ids = (await scheduler.getScheduledTasks()).map(t => t.id).filter(id => id.startsWith('hedgehog-'));
  for (const id of ids) await scheduler.triggerTask(id);
  return ids;
}

let unrelatedBefore: string;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-trust-'));
  releaseCluster = await lockTestCluster();
  cluster = await startTestCluster();
  const upstreamCa = Buffer.from(cluster.caData, 'base64').toString('utf8');
  prod = await startKubeProxy({ upstream: cluster.url, upstreamCa });
  lab = await startKubeProxy({ upstream: cluster.url, upstreamCa });

  // Raw files a sync would ingest into managed/ and push: a sync is never a no-op here.
  const raw = { 'fabric/raw/groups.yaml': `${sg(`trust-a-${TAG}`)}---\n${sg(`trust-b-${TAG}`)}` };
  unrelated = await createBareRepo(path.join(root, 'someone-else', 'unrelated.git'));
  await pushFiles(`file://${unrelated}`, raw);
  allowed = await createBareRepo(path.join(root, 'fabrics', 'allowed.git'));
  await pushFiles(`file://${allowed}`, raw);
  unrelatedBefore = await repositoryState(unrelated);

  entities.push(
    fabricEntity('intruder', unrelated, 'prod'),
    fabricEntity('wrong-cluster', allowed, 'prod'),
    fabricEntity('wrong-repo', unrelated),
    fabricEntity('conforming', allowed, 'lab'),
  );
  const catalog = catalogServiceMock.mock({
    getEntities: jest.fn(async () => ({ items: entities.map(e => structuredClone(e)) })),
  });
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      clusters: [
        { name: 'prod', url: prod.url, serviceAccountToken: cluster.adminToken, caData: prod.ca },
        { name: 'lab', url: lab.url, serviceAccountToken: cluster.adminToken, caData: lab.ca, allowCatalogFabrics: true },
      ],
      catalogFabrics: {
        repositories: [`file://${root}/fabrics/*.git`],
        writeMode: 'push',
      },
    },
    { scheduler, features: [hedgehogModuleCatalogFabrics, catalog.factory] },
  );
  await scheduler.triggerTask('hedgehog-refresh-fabrics');
});

afterAll(async () => {
  await backend?.stop();
  await prod?.stop();
  await lab?.stop();
  // Only a regression applies these (the routes case asks a blocked fabric to sync with apply):
  // the shared cluster is left as it was.
  for (const name of [`trust-a-${TAG}`, `trust-b-${TAG}`]) {
    if (cluster) await kubeRequest(cluster, 'DELETE', `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups/${name}`);
  }
  await releaseCluster?.();
  await fs.rm(root, { recursive: true, force: true });
});

it(
  'lists the fabrics outside the policy as blocked, with the reason',
  summary.track('blocked fabrics are listed with the reason', async () => {
    const list = await backend.get('/fabrics');
    expect(list.status).toBe(200);
    expect(list.body.items.map((f: any) => [f.name, f.status === 'blocked'])).toEqual([
      ['conforming', false],
      ['intruder', true],
      ['wrong-cluster', true],
      ['wrong-repo', true],
    ]);
    const intruder = await backend.get('/fabrics/intruder');
    expect(intruder.status).toBe(200);
    expect(intruder.body.blockedReason).toBe(
      `the repository file://${unrelated} is not one catalog fabrics may use ` +
        `(hedgehog.catalogFabrics.repositories allows file://${root}/fabrics/*.git); ` +
        'the cluster "prod" does not accept fabrics of the catalog (an operator allows it with ' +
        'allowCatalogFabrics: true on that cluster in hedgehog.clusters; clusters that do: lab)',
    );
  }),
);

it(
  'schedules no sync and no drift check of a blocked fabric',
  summary.track('no task of a blocked fabric is scheduled', async () => {
    const ids = (await scheduler.getScheduledTasks()).map(t => t.id);
    expect(ids).toEqual(expect.arrayContaining(['hedgehog-sync:conforming', 'hedgehog-drift:conforming']));
    expect(ids.filter(id => BLOCKED.some(name => id.endsWith(`:${name}`)))).toEqual([]);
  }),
);

it(
  'runs every scheduled task: the conforming fabric is synced, pushes and reads its cluster',
  summary.track('the conforming fabric is synced', async () => {
    const allowedBefore = await repositoryState(allowed);
    await runScheduledTasks();
    const conforming = await backend.get('/fabrics/conforming');
    expect(conforming.body.lastSyncedCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(conforming.body.git.writeMode).toBe('push');
    expect(await repositoryState(allowed)).not.toBe(allowedBefore);
    expect(lab.log.some(line => line.startsWith('GET /apis/wiring.githedgehog.com/'))).toBe(true);
  }),
);

it(
  'refuses every route that acts on a blocked fabric, queuing nothing',
  summary.track('the routes of a blocked fabric answer 409', async () => {
    for (const name of BLOCKED) {
      const calls = [
        await backend.post(`/fabrics/${name}/sync`, {}),
        await backend.post(`/fabrics/${name}/sync`, { apply: true }),
        await backend.post(`/fabrics/${name}/apply`, {}),
        await backend.post(`/fabrics/${name}/drift`, {}),
        await backend.get(`/fabrics/${name}/cluster`),
        await backend.get(`/fabrics/${name}/runs`),
        await backend.get(`/fabrics/${name}/resources`),
        await backend.post('/validate', { files: [{ path: 'raw/a.yaml', content: sg('x') }], fabric: name }),
      ];
      for (const res of calls) {
        expect([res.status, res.body?.error?.message]).toEqual([
          409,
          expect.stringMatching(new RegExp(`^Fabric ${name} is blocked and never synced: resource:default/${name} is outside the catalog fabric policy of app-config: the `)),
        ]);
      }
    }
  }),
);

it(
  'leaves the unrelated repository untouched',
  summary.track("the unrelated repository's refs and objects are unchanged", async () => {
    expect(await repositoryState(unrelated)).toBe(unrelatedBefore);
  }),
);

it(
  'sends no request to the cluster that did not opt in',
  summary.track('the prod cluster got no request', async () => {
    expect(prod.log).toEqual([]);
  }),
);

it(
  'stops syncing an entity re-pointed outside the policy, though its task is still scheduled',
  summary.track('a fabric moved outside the policy is no longer synced', async () => {
    entities[3] = fabricEntity('conforming', unrelated, 'lab');
    await scheduler.triggerTask('hedgehog-refresh-fabrics');
    expect((await backend.get('/fabrics/conforming')).body.status).toBe('blocked');
    const labRequests = lab.log.length;
    const ran = await runScheduledTasks();
    expect(ran).toContain('hedgehog-sync:conforming');
    expect(await repositoryState(unrelated)).toBe(unrelatedBefore);
    expect(prod.log).toEqual([]);
    expect(lab.log.length).toBe(labRequests);
  }),
);
