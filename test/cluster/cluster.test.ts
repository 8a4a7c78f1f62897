/*
 * Checks the test cluster (test/cluster/up): a real kube-apiserver with the 12
 * Hedgehog CRDs. The first run builds kube-apiserver from Debian sources
 * (6-8 minutes); later runs reuse the cached binary and a running cluster.
 * It runs its own cluster, stopped after this file.
 */
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import YAML from 'yaml';
import {
  kubeRequest,
  startTestCluster,
  stopTestCluster,
  TestCluster,
} from './index';

jest.setTimeout(20 * 60_000);

const CRD_DIR = path.join(__dirname, 'crds');
const SAMPLES = path.join(__dirname, '..', 'fixtures', 'samples');

/** kind -> {group, plural}, read from the CRD files the cluster installs. */
const KINDS = new Map<
  string,
  { group: string; version: string; plural: string; name: string }
>();
for (const f of fs.readdirSync(CRD_DIR).filter(n => n.endsWith('.yaml'))) {
  const crd = YAML.parse(fs.readFileSync(path.join(CRD_DIR, f), 'utf8'));
  // SwitchProfile is installed too, but is not one of the 15 managed kinds
  if (crd.spec.names.kind === 'SwitchProfile') continue;
  KINDS.set(crd.spec.names.kind, {
    group: crd.spec.group,
    version: crd.spec.versions.find((v: any) => v.storage).name,
    plural: crd.spec.names.plural,
    name: crd.metadata.name,
  });
}

const resourcePath = (kind: string, name?: string) => {
  const k = KINDS.get(kind)!;
  const base = `/apis/${k.group}/${k.version}/namespaces/default/${k.plural}`;
  return name ? `${base}/${encodeURIComponent(name)}` : base;
};

let cluster: TestCluster;

/** Server-side apply of one object as the field manager `test`. */
const apply = (obj: any, token?: string) =>
  kubeRequest(
    cluster,
    'PATCH',
    `${resourcePath(obj.kind, obj.metadata.name)}?fieldManager=test&force=true`,
    { body: obj, token, contentType: 'application/apply-patch+yaml' },
  );

/** DELETE collection of each of the 15 kinds in the default namespace. */
async function deleteAllHedgehogObjects() {
  for (const kind of KINDS.keys()) {
    const res = await kubeRequest(cluster, 'DELETE', resourcePath(kind));
    expect([kind, res.status]).toEqual([kind, 200]);
  }
}

// This self-test creates and deletes objects freely, so it runs its own cluster
// (same cached binaries, ~8 s to start) instead of the one the product tests share.
const ownDir = path.join(os.tmpdir(), 'fabric-gitops-test-cluster-selftest');

beforeAll(async () => {
  process.env.HEDGEHOG_TEST_CLUSTER_DIR = ownDir;
  cluster = await startTestCluster();
});

afterAll(async () => {
  await stopTestCluster();
  delete process.env.HEDGEHOG_TEST_CLUSTER_DIR;
});

test('up returns connection details and the API server is ready', async () => {
  // Its own cluster, not the shared one the other test files use (this file deletes every object
  // and stops its cluster at the end).
  expect(cluster.kubeconfig).toBe(path.join(fs.realpathSync(ownDir), 'kubeconfig'));
  expect(cluster.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  expect(Buffer.from(cluster.caData, 'base64').toString()).toContain(
    'BEGIN CERTIFICATE',
  );
  const kubeconfig = YAML.parse(fs.readFileSync(cluster.kubeconfig, 'utf8'));
  expect(kubeconfig.clusters[0].cluster).toEqual({
    server: cluster.url,
    'certificate-authority-data': cluster.caData,
  });
  expect(kubeconfig.users[0].user.token).toBe(cluster.adminToken);
  const res = await kubeRequest(cluster, 'GET', '/readyz');
  expect(res).toEqual({ status: 200, body: 'ok' });
});

test('the 15 Hedgehog CRDs are installed and Established', async () => {
  expect(KINDS.size).toBe(15);
  const res = await kubeRequest(
    cluster,
    'GET',
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
  );
  expect(res.status).toBe(200);
  const established = res.body.items
    .filter((c: any) =>
      c.status.conditions?.some(
        (x: any) => x.type === 'Established' && x.status === 'True',
      ),
    )
    .map((c: any) => c.metadata.name);
  expect(established).toEqual(
    expect.arrayContaining([...KINDS.values()].map(k => k.name)),
  );
});

test('every managed-kind sample document is accepted by server-side apply, spec unchanged', async () => {
  const failures: string[] = [];
  let applied = 0;
  for (const file of fs.readdirSync(SAMPLES).filter(f => f.endsWith('.yaml'))) {
    // Samples reuse names (leaf-01, ...) with different specs: start each file
    // from an empty namespace so every document is a plain create. (Re-applying
    // a document that drops a nested object the same manager set earlier fails
    // with `... must be of type object: "null"` - upstream SSA behaviour,
    // kubernetes/kubernetes#103011, not a schema problem.)
    await deleteAllHedgehogObjects();
    const text = fs.readFileSync(path.join(SAMPLES, file), 'utf8');
    for (const doc of YAML.parseAllDocuments(text)) {
      const obj = doc.toJS();
      if (!obj || !KINDS.has(obj.kind)) continue;
      if (obj.apiVersion !== `${KINDS.get(obj.kind)!.group}/v1beta1`) continue;
      const res = await apply(obj);
      const where = `${file} ${obj.kind}/${obj.metadata.name}`;
      if (res.status !== 200 && res.status !== 201) {
        failures.push(
          `${where}: ${res.status} ${res.body?.message ?? res.body}`,
        );
      } else if (!isDeepStrictEqual(res.body.spec ?? {}, obj.spec ?? {})) {
        // A difference means the schema pruned (or changed) a real field.
        failures.push(
          `${where}: spec changed to ${JSON.stringify(res.body.spec)}`,
        );
      }
      applied++;
    }
  }
  expect(failures).toEqual([]);
  expect(applied).toBeGreaterThan(200);
});

const badVpc = {
  apiVersion: 'vpc.githedgehog.com/v1beta1',
  kind: 'VPC',
  metadata: { name: 'bad-vlan', namespace: 'default' },
  spec: { subnets: { default: { subnet: '10.0.1.0/24', vlan: 'abc' } } },
};

test('a wrongly typed field is rejected (server-side apply and create)', async () => {
  // 1.20 answers 422 for schema errors; some apply errors are 500 there.
  const applied = await apply(badVpc);
  expect(applied.status).toBeGreaterThanOrEqual(400);
  expect(applied.body.kind).toBe('Status');
  expect(applied.body.message).toMatch(/spec\.subnets\.default\.vlan/);

  const created = await kubeRequest(cluster, 'POST', resourcePath('VPC'), {
    body: badVpc,
  });
  expect(created.status).toBe(422);
  expect(created.body.message).toContain('spec.subnets.default.vlan');
  expect(created.body.message).toMatch(/integer/);

  const get = await kubeRequest(
    cluster,
    'GET',
    resourcePath('VPC', 'bad-vlan'),
  );
  expect(get.status).toBe(404);
});

test('enum fields are enforced (Switch role)', async () => {
  const res = await apply({
    apiVersion: 'wiring.githedgehog.com/v1beta1',
    kind: 'Switch',
    metadata: { name: 'bad-role', namespace: 'default' },
    spec: { role: 'router', profile: 'vs' },
  });
  expect(res.status).toBeGreaterThanOrEqual(400);
  expect(res.body.message).toMatch(/spec\.role/);
});

test('unknown fields: rejected by server-side apply, pruned on create', async () => {
  const vpc = {
    apiVersion: 'vpc.githedgehog.com/v1beta1',
    kind: 'VPC',
    metadata: { name: 'prune-me', namespace: 'default' },
    spec: {
      bogus: 1,
      subnets: { default: { subnet: '10.0.2.0/24', vlan: 1002, bogus: 'x' } },
    },
  };
  // Apply: "field not declared in schema" (500 on 1.20, 4xx on newer servers).
  const applied = await apply(vpc);
  expect(applied.status).toBeGreaterThanOrEqual(400);
  expect(applied.body.message).toMatch(/\.spec\.bogus.*not declared in schema/);

  // Create/update without fieldValidation=Strict: silently pruned.
  const created = await kubeRequest(cluster, 'POST', resourcePath('VPC'), {
    body: vpc,
  });
  expect(created.status).toBe(201);
  expect(created.body.spec).toEqual({
    subnets: { default: { subnet: '10.0.2.0/24', vlan: 1002 } },
  });
  await kubeRequest(cluster, 'DELETE', resourcePath('VPC', 'prune-me'));
});

test('the reader token may list and get but not create', async () => {
  const sg = {
    apiVersion: 'wiring.githedgehog.com/v1beta1',
    kind: 'SwitchGroup',
    metadata: { name: 'reader-test', namespace: 'default' },
    spec: {},
  };
  const create = await kubeRequest(
    cluster,
    'POST',
    resourcePath('SwitchGroup'),
    {
      body: sg,
      token: cluster.readerToken,
    },
  );
  expect(create.status).toBe(403);
  expect(create.body.reason).toBe('Forbidden');
  expect((await apply(sg, cluster.readerToken)).status).toBe(403);

  for (const kind of KINDS.keys()) {
    const list = await kubeRequest(cluster, 'GET', resourcePath(kind), {
      token: cluster.readerToken,
    });
    expect([kind, list.status]).toEqual([kind, 200]);
  }
  // Nothing outside the 15 kinds.
  const cms = await kubeRequest(
    cluster,
    'GET',
    '/api/v1/namespaces/default/configmaps',
    {
      token: cluster.readerToken,
    },
  );
  expect(cms.status).toBe(403);
});

test('LIST with limit returns a continue token that pages through all items', async () => {
  // objects of its own: what the tests before it leave depends on the samples
  for (let i = 1; i <= 7; i++) {
    const res = await apply({
      apiVersion: 'wiring.githedgehog.com/v1beta1',
      kind: 'SwitchGroup',
      metadata: { name: `page-${i}`, namespace: 'default' },
      spec: {},
    });
    expect([200, 201]).toContain(res.status);
  }
  const all = await kubeRequest(cluster, 'GET', resourcePath('SwitchGroup'));
  expect(all.body.items.length).toBeGreaterThanOrEqual(7);

  const names: string[] = [];
  let cont: string | undefined;
  let pages = 0;
  do {
    const q = `?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
    const page = await kubeRequest(
      cluster,
      'GET',
      `${resourcePath('SwitchGroup')}${q}`,
      {
        token: cluster.readerToken,
      },
    );
    expect(page.status).toBe(200);
    expect(page.body.items.length).toBeLessThanOrEqual(2);
    if (pages === 0) expect(page.body.metadata.continue).toBeTruthy();
    names.push(...page.body.items.map((i: any) => i.metadata.name));
    cont = page.body.metadata.continue || undefined;
    pages++;
  } while (cont && pages < 1000);
  expect(names.sort()).toEqual(
    all.body.items.map((i: any) => i.metadata.name).sort(),
  );
});
