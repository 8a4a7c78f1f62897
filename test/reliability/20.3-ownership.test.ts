/*
 * Section 20.3 (issue 20, point 3) — no fabric takes over another's objects. The real backend plugin
 * (startTestBackend, real router, SQLite), real Git (file:// remotes) and the
 * real kube-apiserver of test/cluster. Two fabrics, both pruning, both defining a
 * SwitchGroup of the same name (with different labels), and one object of their
 * own each:
 *
 *  - the second fabric's apply does not overwrite or relabel the first one's
 *    object: a conflict naming the owner, the run partial, the object unchanged;
 *  - once the second fabric's Git drops the shared object, its prune does not
 *    delete it; the first fabric's prune does not delete the second one's object;
 *  - drift of the second fabric reports the first one's objects (shared, and only
 *    in the cluster) as owned elsewhere, not drifted or orphaned;
 *  - adopting the first fabric's object into the second one's repository is
 *    refused (409), and nothing is pushed.
 */
import { kubeRequest, lockTestCluster, startTestCluster, TestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createBareRepo, pushFiles } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { commits } from './lib/repo';
import { sqliteFile } from './lib/service';
import { SectionSummary } from './lib/summary';

jest.setTimeout(300_000);

const summary = new SectionSummary('section 20.3 (ownership: two fabrics on one cluster never change, delete or adopt each other\'s objects)');
const TAG = crypto.randomBytes(3).toString('hex');
const LABEL = 'hedgehog.backstage.io/fabric';
const A = `p7-a-${TAG}`;
const B = `p7-b-${TAG}`;
const SHARED = `p7-shared-${TAG}`;
const ONLY_A = `p7-a-only-${TAG}`;
const ONLY_B = `p7-b-only-${TAG}`;
const sg = (name: string, team: string) =>
  `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\n  labels:\n    team: ${team}\nspec: {}\n`;
const sgPath = (name = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${name ? `/${name}` : ''}`;

let root: string;
let cluster: TestCluster;
let release: (() => Promise<void>) | undefined;
let knex: Knex;
let backend: TestBackend;
let repoA: string;
let repoB: string;
/** The shared object as fabric A applied it. */
let sharedByA: any;
/** The second fabric's first sync and apply. */
let firstB: any;

async function live(name: string) {
  const res = await kubeRequest(cluster, 'GET', sgPath(name));
  return res.status === 200 ? res.body : undefined;
}

async function run(url: string, body: object = {}) {
  const res = await backend.post(url, body);
  if (res.status !== 202) throw new Error(`POST ${url} -> ${res.status} ${JSON.stringify(res.body)}`);
  return backend.waitForRun(res.body.runId);
}
const applyStage = (r: any) => r.stages.find((s: any) => s.name === 'apply');

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-owner-'));
  // (the first start of the test cluster on a machine builds kube-apiserver: minutes)
  release = await lockTestCluster();
  cluster = await startTestCluster();
  repoA = await createBareRepo(path.join(root, 'a.git'));
  repoB = await createBareRepo(path.join(root, 'b.git'));
  await pushFiles(`file://${repoA}`, { 'fabric/raw/groups.yaml': `${sg(SHARED, 'a')}---\n${sg(ONLY_A, 'a')}` });
  await pushFiles(`file://${repoB}`, { 'fabric/raw/groups.yaml': `${sg(SHARED, 'b')}---\n${sg(ONLY_B, 'b')}` });
  knex = await sqliteFile(':memory:');
  const fabric = (name: string, repo: string) => ({
    name,
    git: { url: `file://${repo}`, branch: 'main', path: 'fabric' },
    cluster: 'lab',
    prune: true,
    pruneLimit: 1,
  });
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData }],
      fabrics: [fabric(A, repoA), fabric(B, repoB)],
    },
    { knex },
  );
  const first = await run(`/fabrics/${A}/sync`, { apply: true });
  if (first.status !== 'succeeded') throw new Error(`setup: fabric ${A} did not apply: ${JSON.stringify(first.stages)}`);
  sharedByA = await live(SHARED);
  firstB = await run(`/fabrics/${B}/sync`, { apply: true });
}, 40 * 60_000);

afterAll(async () => {
  await backend?.stop();
  await knex?.destroy();
  for (const n of [SHARED, ONLY_A, ONLY_B]) await kubeRequest(cluster, 'DELETE', sgPath(n)).catch(() => {});
  await release?.();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 20.3: two fabrics name the same object', () => {
  it(
    "the second fabric's apply neither overwrites nor relabels the first one's object: a conflict naming the owner",
    summary.track('no overwrite', async () => {
      const now = await live(SHARED);
      expect(now.metadata.labels).toEqual({ team: 'a', [LABEL]: A });
      expect(now.metadata.resourceVersion).toBe(sharedByA.metadata.resourceVersion);
      expect(firstB.status).toBe('partial');
      const stage = applyStage(firstB);
      expect(stage.errors).toEqual([
        {
          file: `SwitchGroup/${SHARED}`,
          message: `SwitchGroup ${SHARED} in the cluster belongs to fabric ${A} (label ${LABEL}=${A}); fabric ${B} does not change, delete or adopt it`,
        },
      ]);
      expect(stage.counts).toMatchObject({ applied: 1, ownedElsewhere: 1 });
      expect((await live(ONLY_B)).metadata.labels[LABEL]).toBe(B);
    }),
  );

  it(
    "drift of the second fabric says owned elsewhere for the first one's objects, not drifted or orphaned",
    summary.track('drift owned elsewhere', async () => {
      const drift = await run(`/fabrics/${B}/drift`);
      expect(drift.status).toBe('succeeded');
      for (const name of [SHARED, ONLY_A]) {
        const res = await backend.get(`/fabrics/${B}/resources/SwitchGroup/${name}`);
        expect([res.status, res.body.drift.status]).toEqual([200, 'owned_elsewhere']);
      }
      expect((await backend.get(`/fabrics/${B}/resources/SwitchGroup/${ONLY_A}`)).body.desired).toBeNull();
      // (the shared test cluster may hold unlabelled objects of other tests: those are orphaned)
      const fabric = await backend.get(`/fabrics/${B}`);
      expect(fabric.body.drift.owned_elsewhere).toBeGreaterThanOrEqual(2);
      // the first fabric still sees its objects in sync, and the second one's as owned elsewhere
      await run(`/fabrics/${A}/drift`);
      expect((await backend.get(`/fabrics/${A}/resources/SwitchGroup/${SHARED}`)).body.drift.status).toBe('in_sync');
      expect((await backend.get(`/fabrics/${A}/resources/SwitchGroup/${ONLY_B}`)).body.drift.status).toBe('owned_elsewhere');
    }),
  );

  it(
    "adopting the first fabric's object into the second one's repository is refused, and nothing is pushed",
    summary.track('adopt refused', async () => {
      const before = await commits(repoB);
      for (const name of [ONLY_A, SHARED]) {
        const res = await backend.post(`/fabrics/${B}/resources/SwitchGroup/${name}/adopt`, {});
        expect(res.status).toBe(409);
        expect(res.body.error.message).toContain(`belongs to fabric ${A}`);
      }
      expect(await commits(repoB)).toEqual(before);
    }),
  );

  it(
    "neither fabric's prune deletes the other's objects, also once the second fabric's Git drops the shared one",
    summary.track('no prune of the other', async () => {
      await pushFiles(`file://${repoB}`, { [`fabric/managed/switchgroups/${SHARED}.yaml`]: null });
      const b = await run(`/fabrics/${B}/sync`, { apply: true });
      // the very object fabric A applied (its uid), not one made again since
      const shared = await live(SHARED);
      expect([shared?.metadata.uid, shared?.metadata.labels]).toEqual([sharedByA.metadata.uid, { team: 'a', [LABEL]: A }]);
      const a = await run(`/fabrics/${A}/apply`);
      expect(await live(ONLY_A)).toBeDefined();
      expect(await live(ONLY_B)).toBeDefined();
      expect(b.status).toBe('succeeded');
      expect(applyStage(b).counts).toMatchObject({ pruned: 0, ownedElsewhere: 0 });
      expect(applyStage(a).counts).toMatchObject({ pruned: 0 });
    }),
  );
});
