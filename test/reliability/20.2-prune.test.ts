/*
 * Section 20.2 (issue 20, point 2) — prune deletes only what Git removed. The real backend plugin
 * (startTestBackend, real router and permissions policy, SQLite), real Git
 * (file:// remotes) and the real kube-apiserver of test/cluster. Each fabric
 * prunes and owns SwitchGroups with names of their own (no wipe of the shared
 * cluster). Every case applies a healthy fabric first, then breaks Git the way a
 * typo does and applies again with prune:
 *
 *  - a managed file that no longer parses, one that is invalid (a bad name),
 *    one renamed to a non-YAML name, and (write mode none) one moved to another
 *    file name: its object and every object of its kind stay in the cluster,
 *    also one whose file was really removed in the same commit; the apply stage
 *    names the kind and the file; once fixed, the removed object goes.
 *  - a prune of more than the fabric's limit (10% by default) without a
 *    confirmation deletes nothing, and says how many and how to confirm; the dry
 *    run lists exactly those objects; a confirmation of another count deletes
 *    nothing; the count deletes them.
 */
import { kubeRequest, lockTestCluster, startTestCluster, TestCluster } from '@internal/fabric-gitops-test/cluster';
import crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Knex } from 'knex';
import { createBareRepo, pushFiles } from '../servers';
import { startHedgehogBackend, TestBackend } from './lib/backend';
import { sqliteFile } from './lib/service';
import { SectionSummary } from './lib/summary';

jest.setTimeout(300_000);

const summary = new SectionSummary('section 20.2 (prune: typos in Git never delete live objects, large prunes need a confirmation)');
const TAG = crypto.randomBytes(3).toString('hex');
const WIRING = 'wiring.githedgehog.com/v1beta1';
const sg = (name: string) => `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata:\n  name: ${name}\nspec: {}\n`;
const sgPath = (name = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${name ? `/${name}` : ''}`;

/** The fabrics of the section: name → object names, write mode and prune limit. */
const FABRICS: Record<string, { size: number; writeMode?: 'none'; pruneLimit?: number }> = {
  unparseable: { size: 4, pruneLimit: 1 },
  invalid: { size: 4, pruneLimit: 1 },
  renamed: { size: 4, pruneLimit: 1 },
  moved: { size: 4, pruneLimit: 1, writeMode: 'none' },
  limit: { size: 10 },
};
const fabricName = (key: string) => `p6-${key}-${TAG}`;
const objectNames = (key: string) => Array.from({ length: FABRICS[key].size }, (_, i) => `p6-${key}-${TAG}-${i}`);
const managedFile = (name: string) => `fabric/managed/switchgroups/${name}.yaml`;

let root: string;
let cluster: TestCluster;
let release: (() => Promise<void>) | undefined;
let knex: Knex;
let backend: TestBackend;
const repos = new Map<string, string>();

async function exists(name: string) {
  return (await kubeRequest(cluster, 'GET', sgPath(name))).status === 200;
}

async function run(url: string, body: object = {}) {
  const res = await backend.post(url, body);
  if (res.status !== 202) throw new Error(`POST ${url} ${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)}`);
  return backend.waitForRun(res.body.runId);
}
const sync = (key: string, body: object = { apply: true }) => run(`/fabrics/${fabricName(key)}/sync`, body);
const apply = (key: string, body: object = {}) => run(`/fabrics/${fabricName(key)}/apply`, body);
const applyStage = (r: any) => r.stages.find((s: any) => s.name === 'apply');

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-rel-prune-'));
  // (the first start of the test cluster on a machine builds kube-apiserver: minutes)
  release = await lockTestCluster();
  cluster = await startTestCluster();
  for (const key of Object.keys(FABRICS)) {
    const repo = await createBareRepo(path.join(root, `${key}.git`));
    repos.set(key, `file://${repo}`);
    // a read-only fabric imports only what its branch holds: managed files, as a
    // user would commit them
    await pushFiles(
      `file://${repo}`,
      FABRICS[key].writeMode === 'none'
        ? Object.fromEntries(objectNames(key).map(n => [managedFile(n), sg(n)]))
        : { 'fabric/raw/groups.yaml': objectNames(key).map(sg).join('---\n') },
    );
  }
  knex = await sqliteFile(':memory:');
  backend = await startHedgehogBackend(
    {
      workingDirectory: path.join(root, 'work'),
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData }],
      fabrics: Object.entries(FABRICS).map(([key, f]) => ({
        name: fabricName(key),
        git: { url: repos.get(key)!, branch: 'main', path: 'fabric', ...(f.writeMode ? { writeMode: f.writeMode } : {}) },
        cluster: 'lab',
        prune: true,
        ...(f.pruneLimit !== undefined ? { pruneLimit: f.pruneLimit } : {}),
      })),
    },
    { knex },
  );
  for (const key of Object.keys(FABRICS)) {
    const first = await sync(key);
    if (applyStage(first)?.counts.applied !== FABRICS[key].size) {
      throw new Error(`setup: the first apply of ${key} did not apply every object: ${JSON.stringify(first.stages)}`);
    }
  }
}, 40 * 60_000);

afterAll(async () => {
  await backend?.stop();
  await knex?.destroy();
  for (const key of Object.keys(FABRICS)) {
    for (const n of objectNames(key)) await kubeRequest(cluster, 'DELETE', sgPath(n)).catch(() => {});
  }
  await release?.();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe('section 20.2: a broken managed file holds prune back for its kind', () => {
  const cases: Array<[string, string, (name: string) => Record<string, string | null>, string]> = [
    ['made unparseable', 'unparseable', n => ({ [managedFile(n)]: `apiVersion: ${WIRING}\nkind: SwitchGroup\nmetadata: [${n}\n` }), 'managed/switchgroups/%s.yaml'],
    ['made invalid (a bad name)', 'invalid', n => ({ [managedFile(n)]: sg(n).replace(`name: ${n}`, `name: ${n.toUpperCase()}`) }), 'managed/switchgroups/%s.yaml'],
    ['renamed to a non-YAML name', 'renamed', n => ({ [managedFile(n)]: null, [`${managedFile(n)}.orig`]: sg(n) }), 'managed/switchgroups/%s.yaml.orig'],
    [
      'moved to another name in a fabric that does not push',
      'moved',
      n => ({ [managedFile(n)]: null, 'fabric/managed/switchgroups/renamed-by-hand.yaml': sg(n) }),
      'managed/switchgroups/renamed-by-hand.yaml',
    ],
  ];

  it.each(cases)(
    'a managed file %s: apply with prune keeps its object and the others of its kind, and says why',
    async (_what, key, breakIt, dropped) =>
      summary.track(`managed file ${key}`, async () => {
        const names = objectNames(key);
        const [broken, , , removed] = names;
        const file = dropped.replace('%s', broken);
        // the typo, and in the same commit a file really removed
        await pushFiles(repos.get(key)!, { ...breakIt(broken), [managedFile(removed)]: null });
        const r = await sync(key);
        // every object is still there, also the one whose file was removed
        for (const n of names) expect([n, await exists(n)]).toEqual([n, true]);
        expect(r.status).toBe('partial');
        expect(r.findings.filter((f: any) => f.file === file).length).toBeGreaterThan(0);
        const stage = applyStage(r);
        expect(stage.counts.pruned).toBe(0);
        expect(stage.errors).toContainEqual({
          file,
          message: expect.stringMatching(new RegExp(`^prune of SwitchGroup held back: ${file.replace(/\./g, '\\.')} is not part of the desired state`)),
        });

        // fixed: the desired state is complete again, and only the removed object goes
        await pushFiles(repos.get(key)!, {
          ...Object.fromEntries(Object.keys(breakIt(broken)).map(p => [p, null])),
          [managedFile(broken)]: sg(broken),
        });
        const fixed = await sync(key);
        expect(applyStage(fixed).counts.pruned).toBe(1);
        expect(await exists(removed)).toBe(false);
        for (const n of names.filter(x => x !== removed)) expect(await exists(n)).toBe(true);
      })(),
  );
});

describe('section 20.2: a large prune needs a confirmation with its count', () => {
  it(
    'without it nothing is deleted and the run says how many and how to confirm; the dry run lists exactly what would go',
    summary.track('prune above the limit', async () => {
      const names = objectNames('limit');
      const gone = [names[2], names[5], names[8]];
      await pushFiles(repos.get('limit')!, Object.fromEntries(gone.map(n => [managedFile(n), null])));
      const r = await sync('limit');
      for (const n of names) expect([n, await exists(n)]).toEqual([n, true]);
      expect(r.status).toBe('partial');
      const stage = applyStage(r);
      expect(stage.counts.pruned).toBe(0);
      expect(stage.errors.map((e: any) => e.message)).toEqual([
        expect.stringContaining(`3 of the fabric's 10 object(s) in the cluster would be pruned (30%), more than its limit of 10%`),
      ]);
      expect(stage.errors[0].message).toContain(`POST /api/hedgehog/fabrics/${fabricName('limit')}/apply {"confirmPrune": 3}`);

      // the dry run: exactly these three, in the stage record the API returns
      const dry = await apply('limit', { dryRun: true });
      const dryStage = applyStage(dry);
      expect(dryStage.prune.objects).toEqual(gone.map(name => ({ kind: 'SwitchGroup', name })));
      expect(dryStage.prune).toMatchObject({ total: 3, deleted: false, confirmationRequired: true });
      expect(dryStage.message).toContain(`3 would be pruned: ${gone.map(n => `SwitchGroup/${n}`).join(', ')}`);
      for (const n of names) expect(await exists(n)).toBe(true);

      // a confirmation of another count deletes nothing
      const wrong = await apply('limit', { confirmPrune: 2 });
      expect(applyStage(wrong).errors[0].message).toMatch(/^the prune was confirmed for 2 object\(s\), but 3 would be deleted now; nothing was pruned/);
      for (const n of names) expect(await exists(n)).toBe(true);

      const confirmed = await apply('limit', { confirmPrune: 3 });
      expect(confirmed.status).toBe('succeeded');
      expect(applyStage(confirmed).counts.pruned).toBe(3);
      for (const n of names) expect(await exists(n)).toBe(!gone.includes(n));
    }),
  );
});
