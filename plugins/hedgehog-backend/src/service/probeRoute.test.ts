/*
 * POST /fabrics/probe against real Git repositories on loopback: file://, and an
 * HTTP server with basic auth whose credentials come from `integrations`.
 */
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createBareRepo, GitHttpServer, pushFiles, startGitHttpServer } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(60_000);

const CREATOR = 'user:default/creator';
const READER = 'user:default/reader';
const PASSWORD = `probe-secret-${Math.random().toString(36).slice(2)}`;

const permissionsMock = permissionsByUser(
  (user, permission) => user === CREATOR || (user === READER && permission === 'hedgehog.fabric.read'),
);

const VPC = `apiVersion: vpc.githedgehog.com/v1beta1
kind: VPC
metadata:
  name: vpc-1
spec:
  subnets:
    default:
      subnet: 10.0.1.0/24
      vlan: 1001
`;

describe('POST /api/hedgehog/fabrics/probe', () => {
  let root: string;
  let repo: string;
  let http: GitHttpServer;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  const logs: string[] = [];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-probe-test-'));
    // every log line (the mock root logger writes to the console) is kept, to look for the password
    for (const level of ['debug', 'info', 'warn', 'error', 'log'] as const) {
      jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logs.push(args.map(String).join(' '));
      });
    }
    const gitRoot = path.join(root, 'git');
    repo = await createBareRepo(path.join(gitRoot, 'net.git'));
    await pushFiles(`file://${repo}`, {
      'fabrics/lab/.gitops/manifest.yaml': 'layoutVersion: 1\n',
      'fabrics/lab/managed/vpcs/vpc-1.yaml': VPC,
      'fabrics/lab/raw/new.yaml': VPC,
      'fabrics/lab/unmanaged/notes.txt': 'x',
      'fabrics/rawonly/raw/a.yaml': VPC,
      'fabrics/rawonly/raw/deeper/b.yml': VPC,
      'fabrics/loose/wiring.yaml': VPC,
      'fabrics/loose/catalog-info.yaml': 'kind: Resource\n',
      'README.md': '# net\n',
    });
    await createBareRepo(path.join(gitRoot, 'empty.git'));
    http = await startGitHttpServer({ projectRoot: gitRoot, username: 'hedgehog', password: PASSWORD });
    const backend = await startPluginBackend(permissionsMock.factory, {
      integrations: { gitea: [{ host: `127.0.0.1:${http.port}`, username: 'hedgehog', password: PASSWORD }] },
      hedgehog: {
        workingDirectory: path.join(root, 'work'),
        clusters: [
          { name: 'lab', url: 'https://127.0.0.1:1', serviceAccountToken: 't', allowCatalogFabrics: true },
          { name: 'prod', url: 'https://127.0.0.1:1', serviceAccountToken: 't' },
        ],
        catalogFabrics: { repositories: [`file://${gitRoot}/*.git`], writeMode: 'pull-request' },
        fabrics: [{ name: 'lab', git: { url: `file://${repo}`, branch: 'main', path: 'fabrics/lab' } }],
      },
    }, [mockServices.rootLogger.factory({ level: 'debug' })]);
    server = backend.server;
    stop = () => backend.stop();
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await stop?.();
    await http?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  const probe = (body: unknown, user: string | null = CREATOR) => {
    const req = request(server).post('/api/hedgehog/fabrics/probe');
    return (user ? req.set('Authorization', mockCredentials.user.header(user)) : req).send(body as object);
  };

  it('needs a signed-in caller and hedgehog.fabric.create', async () => {
    expect((await probe({ url: `file://${repo}` }, null)).status).toBe(401);
    const denied = await probe({ url: `file://${repo}` }, READER);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain('hedgehog.fabric.create');
  });

  it('describes a GitOps directory of the plugin, names the fabric already using it, and applies the catalog policy', async () => {
    const res = await probe({ url: `file://${repo}`, branch: 'main', path: 'fabrics/lab', cluster: 'lab' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      reachable: true,
      branchExists: true,
      layout: 'fabric',
      existingFabric: 'lab',
      usedCredentials: false,
      catalog: { allowed: true, writeMode: 'pull-request' },
      directory: {
        exists: true,
        manifest: true,
        catalogInfo: false,
        raw: { files: 1, yamlFiles: 1 },
        managed: { files: 1, yamlFiles: 1 },
        unmanaged: { files: 1, yamlFiles: 0 },
        totalFiles: 4,
        truncated: false,
      },
    });
    expect(res.body.commit).toMatch(/^[0-9a-f]{40}$/);
    // a cluster that did not opt in: the catalog path is closed, with the reason
    const prod = await probe({ url: `file://${repo}`, path: 'fabrics/lab', cluster: 'prod' });
    expect(prod.body.catalog.allowed).toBe(false);
    expect(prod.body.catalog.reason).toContain('allowCatalogFabrics');
    // the probe's clone is gone
    expect(await fs.readdir(path.join(root, 'work', 'probes'))).toEqual([]);
  });

  it('tells raw-only, YAML outside raw/ and a missing directory apart', async () => {
    const rawOnly = await probe({ url: `file://${repo}`, path: 'fabrics/rawonly/' });
    expect([rawOnly.body.layout, rawOnly.body.directory.raw]).toEqual(['raw-only', { files: 2, yamlFiles: 2 }]);
    expect(rawOnly.body.path).toBe('fabrics/rawonly');
    const loose = await probe({ url: `file://${repo}`, path: 'fabrics/loose' });
    expect([loose.body.layout, loose.body.directory.otherYamlFiles, loose.body.directory.catalogInfo]).toEqual([
      'yaml-outside-raw',
      1,
      true,
    ]);
    expect(loose.body.advice).toMatch(/raw\//);
    const missing = await probe({ url: `file://${repo}`, path: 'fabrics/nothing-here' });
    expect([missing.body.layout, missing.body.directory.exists]).toEqual(['needs-bootstrap', false]);
  });

  it('reports a missing branch with the branches there are, and an empty repository', async () => {
    const other = await probe({ url: `file://${repo}`, branch: 'develop' });
    expect(other.body).toMatchObject({ reachable: true, branchExists: false, branches: ['main'] });
    expect(other.body.advice).toContain('no branch develop');
    const empty = await probe({ url: `file://${path.join(root, 'git', 'empty.git')}` });
    expect(empty.body).toMatchObject({ reachable: true, branchExists: false, branches: [], layout: 'needs-bootstrap' });
    expect(empty.body.advice).toContain('empty');
  });

  it('reads a repository behind HTTP basic auth with the credentials of integrations, never showing them', async () => {
    const res = await probe({ url: http.url('net.git'), path: 'fabrics/lab' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reachable: true, branchExists: true, layout: 'fabric', usedCredentials: true });
    // not an allowed repository of the catalog policy: the app-config path
    expect(res.body.catalog.allowed).toBe(false);
    expect(JSON.stringify(res.body)).not.toContain(PASSWORD);
  });

  it('answers unreachable repositories with the reason', async () => {
    const wrong = await probe({ url: http.url('missing.git') });
    expect(wrong.status).toBe(200);
    expect(wrong.body.reachable).toBe(false);
    expect(wrong.body.error).toBeTruthy();
    const gone = await probe({ url: `file://${path.join(root, 'nope.git')}` });
    expect(gone.body).toMatchObject({ reachable: false });
    expect(gone.body.advice).toMatch(/URL/);
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify([wrong.body, gone.body, logs])).not.toContain(PASSWORD);
  });

  it('refuses bad input naming the field', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /url/],
      [{ url: 'ext::sh -c touch% /tmp/pwned' }, /^url: /],
      [{ url: '--upload-pack=touch /tmp/x' }, /^url: /],
      [{ url: 'https://user:pw@example.com/r.git' }, /^url: .*credentials/],
      [{ url: 'file://relative/path.git' }, /^url: /],
      [{ url: `file://${repo}`, branch: '-x' }, /^branch: /],
      [{ url: `file://${repo}`, branch: 'a..b' }, /^branch: /],
      [{ url: `file://${repo}`, path: '../etc' }, /^path: /],
      [{ url: `file://${repo}`, cluster: 'nope' }, /^cluster: .*known: lab, prod/],
      [{ url: `file://${repo}`, extra: 1 }, /extra|Unrecognized/],
    ];
    for (const [body, message] of cases) {
      const res = await probe(body);
      expect([JSON.stringify(body), res.status]).toEqual([JSON.stringify(body), 400]);
      expect([JSON.stringify(body), res.body.error.message]).toEqual([JSON.stringify(body), expect.stringMatching(message)]);
    }
  });
});
