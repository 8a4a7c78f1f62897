import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { TestCluster, kubeRequest, lockTestCluster, startTestCluster } from '@internal/fabric-gitops-test/cluster';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { FabricDefinition } from '@fabric-gitops/plugin-hedgehog-node';
import crypto from 'crypto';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import { createTestService, testFabric } from '../__testUtils__/harness';

// The first start of the test cluster builds kube-apiserver from Debian sources.
jest.setTimeout(25 * 60_000);

/*
 * Prune deletes only what Git removed from a complete desired state
 * (docs/architecture.md#invariants), against the real kube-apiserver of
 * test/cluster: a managed file that is unreadable, invalid or left out holds back
 * the prune of its kind; a large
 * prune waits for a confirmation with its count; a dry run lists every delete.
 * Objects have names of their own, so the test needs no wipe of the shared cluster.
 */
describe('prune against a real Kubernetes API server', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const tag = crypto.randomBytes(3).toString('hex');
  let cluster: TestCluster;
  let root: string;
  let release: (() => Promise<void>) | undefined;
  let counter = 0;
  const created = new Set<string>();
  /** Backstage's mock auditor, of every fabric's service: the prunes' audit events. */
  const auditor = mockServices.auditor.mock();

  const sgPath = (name = '') => `/apis/wiring.githedgehog.com/v1beta1/namespaces/default/switchgroups${name ? `/${name}` : ''}`;

  beforeAll(async () => {
    release = await lockTestCluster();
    cluster = await startTestCluster();
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-prune-it-'));
  });
  afterAll(async () => {
    for (const name of created) await kubeRequest(cluster, 'DELETE', sgPath(name)).catch(() => {});
    await fs.rm(root, { recursive: true, force: true });
    await release?.();
  });

  const sg = (name: string) => `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata:\n  name: ${name}\nspec: {}\n`;
  const exists = async (name: string) => (await kubeRequest(cluster, 'GET', sgPath(name))).status === 200;

  /** A fabric of `n` SwitchGroups, synced and applied; its own fabric name, so no other test's objects are its. */
  async function applied(n: number, overrides: Partial<FabricDefinition> = {}, layout: 'raw' | 'managed' = 'raw') {
    const id = ++counter;
    const names = Array.from({ length: n }, (_, i) => `pr-${tag}-${id}-${i}`);
    names.forEach(x => created.add(x));
    const repo = await createBareRepo(path.join(root, `f${id}.git`));
    const url = `file://${repo}`;
    const files: Record<string, string> =
      layout === 'raw'
        ? { 'fabrics/lab/raw/groups.yaml': names.map(sg).join('---\n') }
        : Object.fromEntries(names.map(x => [`fabrics/lab/managed/switchgroups/${x}.yaml`, sg(x)]));
    await pushFiles(url, files);
    const fabric = `pr${tag}${id}`;
    const knex = await databases.init('SQLITE_3');
    /** What the owner (group network) is notified of. */
    const sent: NotificationSendOptions[] = [];
    const env = await createTestService({
      knex,
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab', prune: true, owner: 'network', ...overrides })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
      auditor,
      notifications: { send: async options => void sent.push(options) },
    });
    const first = await env.sync(fabric, { apply: true });
    expect(first.stages.find(s => s.name === 'apply')?.counts.applied).toBe(n);
    const file = (name: string) => `fabrics/lab/managed/switchgroups/${name}.yaml`;
    return { env, url, names, fabric, file, knex, sent };
  }

  it.each([
    ['unparseable', (name: string) => `apiVersion: wiring.githedgehog.com/v1beta1\nkind: SwitchGroup\nmetadata: [${name}\n`],
    ['invalid (a bad name)', (name: string) => sg(name).replace(`name: ${name}`, `name: ${name.toUpperCase()}_typo`)],
    ['of a kind that is not managed', (name: string) => sg(name).replace('kind: SwitchGroup', 'kind: SwitchGroupp')],
  ])('a managed file made %s keeps its object and every object of its kind', async (_what, breakIt) => {
    const { env, url, names, fabric, file, sent } = await applied(4, { pruneLimit: 1 });
    try {
      expect(sent.splice(0)).toEqual([]);
      const [broken, , , removed] = names;
      // the typo, and in the same commit a file really removed: neither object goes
      await pushFiles(url, { [file(broken)]: breakIt(broken), [file(removed)]: null });
      const run = await env.sync(fabric, { apply: true });
      expect(run.status).toBe('partial');
      expect(run.findings.some(f => f.file === `managed/switchgroups/${broken}.yaml` && f.severity === 'error')).toBe(true);
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.counts).toMatchObject({ pruned: 0, toPrune: 0, pruneHeldBack: 2 });
      expect(apply.errors).toEqual([
        {
          file: `managed/switchgroups/${broken}.yaml`,
          message: `prune of SwitchGroup held back: managed/switchgroups/${broken}.yaml is not part of the desired state (unreadable, invalid or left out; see the sync's findings), so 2 SwitchGroup object(s) that Git does not define were kept`,
        },
      ]);
      expect(apply.prune?.heldBack).toEqual([{ kind: 'SwitchGroup', files: [`managed/switchgroups/${broken}.yaml`], fileCount: 1, kept: 2 }]);
      expect(run.error).toMatch(/prune held back: SwitchGroup \(managed\/switchgroups\/.*\.yaml\)/);
      for (const n of names) expect(await exists(n)).toBe(true);
      expect((await env.store.getFabricState(fabric))?.incompleteKinds).toEqual({
        SwitchGroup: { count: 1, files: [`managed/switchgroups/${broken}.yaml`] },
      });
      // the owner is told: the sync ended partial, and the prune was held back (a notice of its own)
      expect(sent.splice(0)).toEqual([
        expect.objectContaining({ payload: expect.objectContaining({ title: 'Fabric Lab fabric: sync ended partial', scope: `hedgehog:${fabric}:sync` }) }),
        {
          recipients: { type: 'entity', entityRef: 'group:default/network' },
          payload: {
            title: 'Fabric Lab fabric: prune held back',
            description: `The sync deleted nothing of what Git no longer holds: prune held back: SwitchGroup (managed/switchgroups/${broken}.yaml).`,
            link: `/catalog/default/resource/${fabric}/hedgehog`,
            severity: 'high',
            topic: `hedgehog:${fabric}`,
            scope: `hedgehog:${fabric}:prune`,
          },
        },
      ]);
      // the same prune held back again: not told again
      await env.sync(fabric, { apply: true });
      expect(sent.splice(0)).toEqual([]);

      // fixed: the desired state is complete again and the removed object goes
      await pushFiles(url, { [file(broken)]: sg(broken) });
      const fixed = await env.sync(fabric, { apply: true });
      expect(fixed.stages.find(s => s.name === 'apply')?.counts).toMatchObject({ pruned: 1, pruneHeldBack: 0 });
      expect(await exists(broken)).toBe(true);
      expect(await exists(removed)).toBe(false);
      expect((await env.store.getFabricState(fabric))?.incompleteKinds).toEqual({});
      // nothing held back and nothing failed: nothing to tell (the default level, failures)
      expect(sent).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });

  it('a read-only fabric whose managed file moved to another name keeps the object, with a finding naming the file', async () => {
    const { env, url, names, fabric, file } = await applied(3, { pruneLimit: 1 }, 'managed');
    await env.cleanup();
    // the same directory, read by a fabric that never pushes
    const readOnly = await createTestService({
      knex: await databases.init('SQLITE_3'),
      fabrics: [testFabric(url, { name: fabric, cluster: 'lab', prune: true, pruneLimit: 1, git: { url, branch: 'main', path: 'fabrics/lab', writeMode: 'none' } })],
      clusters: [{ name: 'lab', url: cluster.url, serviceAccountToken: cluster.adminToken, caData: cluster.caData, skipTLSVerify: false }],
    });
    try {
      expect((await readOnly.sync(fabric, { apply: true })).stages.find(s => s.name === 'apply')?.counts).toMatchObject({ unchanged: 3 });
      const moved = 'fabrics/lab/managed/switchgroups/renamed.yaml';
      await pushFiles(url, { [file(names[1])]: null, [moved]: sg(names[1]) });
      const run = await readOnly.sync(fabric, { apply: true });
      expect(run.findings).toContainEqual(
        expect.objectContaining({ severity: 'error', rule: 'managed.not-imported', file: 'managed/switchgroups/renamed.yaml' }),
      );
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.errors.map(e => e.message)).toEqual([
        expect.stringMatching(/^prune of SwitchGroup held back: managed\/switchgroups\/renamed.yaml is not part of the desired state/),
      ]);
      expect(apply.counts.pruned).toBe(0);
      for (const n of names) expect(await exists(n)).toBe(true);
    } finally {
      await readOnly.cleanup();
    }
  });

  it('a desired state imported without a record of its completeness prunes nothing until a sync records it', async () => {
    const { env, url, names, fabric, file, knex } = await applied(3, { pruneLimit: 1 });
    try {
      await pushFiles(url, { [file(names[2])]: null });
      await env.sync(fabric);
      // as an import by a version before the record (or a fabric never imported) leaves it
      await knex('hedgehog_fabrics').where({ name: fabric }).update({ incomplete_kinds: null });
      const held = await env.clusterRun('apply', {}, fabric);
      const apply = held.stages.find(s => s.name === 'apply')!;
      expect(held.status).toBe('partial');
      expect(apply.counts).toMatchObject({ pruned: 0, pruneHeldBack: 1 });
      expect(apply.errors.map(e => e.message)).toEqual([
        `prune held back: no import of fabric ${fabric} recorded whether its desired state is complete (it was never imported, or by an earlier version), so 1 object(s) that Git does not define were kept; the next sync imports and records it`,
      ]);
      expect(apply.prune).toMatchObject({ completenessUnknown: true, total: 0 });
      expect(await exists(names[2])).toBe(true);

      // the next sync imports again although the commit is the same, and records it
      const sync = await env.sync(fabric, { apply: true });
      expect(sync.stages.find(s => s.name === 'import')?.status).toBe('succeeded');
      expect((await env.store.getFabricState(fabric))?.incompleteKinds).toEqual({});
      expect(sync.stages.find(s => s.name === 'apply')?.counts.pruned).toBe(1);
      expect(await exists(names[2])).toBe(false);
    } finally {
      await env.cleanup();
    }
  });

  /** The prune events since the last call: what each was created with and how it ended. */
  async function pruneEvents() {
    const events = await Promise.all(
      auditor.createEvent.mock.calls.map(async ([options], i) => {
        const event = (await auditor.createEvent.mock.results[i].value) as { success: jest.Mock; fail: jest.Mock };
        return { options, success: event.success.mock.calls, fail: event.fail.mock.calls.map(([f]) => f.error.message) };
      }),
    );
    auditor.createEvent.mockClear();
    return events.filter(e => e.options.eventId === 'fabric-prune');
  }

  it('a prune above the limit deletes nothing until confirmed with its count; the dry run lists every delete', async () => {
    const { env, url, names, fabric, file } = await applied(10);
    auditor.createEvent.mockClear();
    try {
      const gone = [names[3], names[7]];
      await pushFiles(url, Object.fromEntries(gone.map(n => [file(n), null])));
      const run = await env.sync(fabric, { apply: true });
      expect(run.status).toBe('partial');
      const apply = run.stages.find(s => s.name === 'apply')!;
      expect(apply.counts).toMatchObject({ pruned: 0, toPrune: 2 });
      expect(apply.errors.map(e => e.message)).toEqual([
        `2 of the fabric's 10 object(s) in the cluster would be pruned (20%), more than its limit of 10% (pruneLimit); nothing was pruned: check the list (an apply with {"dryRun": true} shows it), then confirm with POST /api/hedgehog/fabrics/${fabric}/apply {"confirmPrune": 2}`,
      ]);
      expect(apply.prune).toMatchObject({ total: 2, deleted: false, confirmationRequired: true, owned: 10, limit: 0.1 });
      for (const n of gone) expect(await exists(n)).toBe(true);
      // audited: a refused prune of these two, with the run and who asked for it
      const refs = gone.map(n => `SwitchGroup/${n}`);
      const prune = { fabric, cluster: 'lab', requestedBy: 'user:default/test' };
      expect(await pruneEvents()).toEqual([
        {
          options: { eventId: 'fabric-prune', severityLevel: 'high', meta: { ...prune, runId: run.id, count: 0, deleted: [], notDeletedCount: 2, notDeleted: refs } },
          success: [],
          fail: [apply.errors[0].message],
        },
      ]);

      // the dry run: exactly these two, in the stage and its report; nothing deleted
      const dry = await env.clusterRun('apply', { dryRun: true }, fabric);
      const dryApply = dry.stages.find(s => s.name === 'apply')!;
      expect(dryApply.prune?.objects).toEqual(gone.map(name => ({ kind: 'SwitchGroup', name })));
      expect(dryApply.message).toBe(`dry run: 0 object(s) would change; 2 would be pruned: ${gone.map(n => `SwitchGroup/${n}`).join(', ')}`);
      for (const n of gone) expect(await exists(n)).toBe(true);

      // a confirmation of another count deletes nothing
      const wrong = await env.clusterRun('apply', { confirmPrune: 3 }, fabric);
      expect(wrong.stages.find(s => s.name === 'apply')?.errors[0].message).toMatch(/^the prune was confirmed for 3 object\(s\), but 2 would be deleted now; nothing was pruned/);
      for (const n of gone) expect(await exists(n)).toBe(true);
      // the dry run deleted nothing and is not audited; the wrong confirmation is, with its count
      expect((await pruneEvents()).map(e => [e.options.meta?.runId, e.options.meta?.confirmed, e.options.meta?.count, e.fail.length])).toEqual([[wrong.id, 3, 0, 1]]);

      const confirmed = await env.clusterRun('apply', { confirmPrune: 2 }, fabric);
      expect(confirmed.status).toBe('succeeded');
      expect(confirmed.stages.find(s => s.name === 'apply')?.prune).toMatchObject({ total: 2, deleted: true });
      for (const n of gone) expect(await exists(n)).toBe(false);
      for (const n of names.filter(x => !gone.includes(x))) expect(await exists(n)).toBe(true);
      // one event for the prune, with the objects it deleted
      const [deleted, ...more] = await pruneEvents();
      expect(more).toEqual([]);
      expect(deleted.options).toEqual({
        eventId: 'fabric-prune',
        severityLevel: 'high',
        meta: { ...prune, runId: confirmed.id, confirmed: 2, count: 2, deleted: expect.arrayContaining(refs) },
      });
      expect(deleted.success).toEqual([[]]);
      expect(deleted.fail).toEqual([]);
    } finally {
      await env.cleanup();
    }
  });
});
