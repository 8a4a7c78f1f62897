import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBareRepo, pushFiles } from '@internal/fabric-gitops-test';
import { promises as fs } from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import { stringify } from 'yaml';
import { breakFabric } from '../validation/bench/breakFabric';
import { generateFabric } from '../validation/bench/generateFabric';
import { permissionsByUser } from '../__testUtils__/permissions';
import { startPluginBackend } from '../__testUtils__/pluginBackend';

jest.setTimeout(300_000);

const READER = 'user:default/reader';
const OPERATOR = 'user:default/operator';
const permissionsMock = permissionsByUser(
  (user, permission) => user === OPERATOR || (user !== 'user:default/blocked' && permission === 'hedgehog.fabric.read'),
);

// 1,907 VPCs without a VLAN (errors); 42 switches and 80 fabric connections not hydrated (warnings)
const ERRORS = 1907;
const WARNINGS = 42 + 80;
const TOTAL = ERRORS + WARNINGS;

const yaml = (objects: object[]) => objects.map(o => stringify(o)).join('---\n');

/** The findings API over HTTP on a fabric with thousands of findings, synced from a real Git repository. */
describe('findings at scale', () => {
  let root: string;
  let url: string;
  let server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  let stop: () => Promise<void>;
  let firstRun: any;

  const get = (p: string, user = READER) =>
    request(server).get(`/api/hedgehog${p}`).set('Authorization', mockCredentials.user.header(user));

  async function sync(body: object = {}) {
    const res = await request(server)
      .post('/api/hedgehog/fabrics/big/sync')
      .set('Authorization', mockCredentials.user.header(OPERATOR))
      .send(body);
    expect(res.status).toBe(202);
    for (let i = 0; i < 1200; i++) {
      const run = await get(`/runs/${res.body.runId}`);
      if (['succeeded', 'partial', 'failed'].includes(run.body.status)) return run.body;
      await new Promise(r => setTimeout(r, 100));
    }
    throw new Error('the sync did not finish');
  }

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'hedgehog-findings-test-'));
    const repo = await createBareRepo(path.join(root, 'fabric.git'));
    url = `file://${repo}`;
    const fabric = breakFabric(generateFabric({ spines: 2, leaves: 40, serversPerLeaf: 4, vpcs: 2000 }), {
      vpcsWithoutVlan: ERRORS,
      unhydrated: true,
    });
    // files of 500 documents: below the size parsed in a worker thread, whose objects
    // the test runner's sandbox would not take for plain objects
    const files: Record<string, string> = {};
    for (let i = 0; i < fabric.length; i += 500) files[`fabrics/big/raw/part-${i / 500}.yaml`] = yaml(fabric.slice(i, i + 500));
    await pushFiles(url, files);
    const backend = await startPluginBackend(permissionsMock.factory, {
      hedgehog: {
        workingDirectory: path.join(root, 'work'),
        fabrics: [{ name: 'big', git: { url, branch: 'main', path: 'fabrics/big' } }],
      },
    });
    server = backend.server;
    stop = () => backend.stop();
    firstRun = await sync();
  });

  afterAll(async () => {
    await stop?.();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('counts exactly everywhere: the fabric, the run, its stages, the runs list, the findings, the resources', async () => {
    expect(firstRun.status).toBe('partial');
    // every finding of this fabric is on a resource
    expect((await get('/fabrics/big')).body.findings).toEqual({ errors: ERRORS, warnings: WARNINGS, outsideResources: { errors: 0, warnings: 0 } });

    expect(firstRun.findingCount).toBe(TOTAL);
    expect(firstRun.findingTotals).toEqual({ errors: ERRORS, warnings: WARNINGS, new: TOTAL });
    expect(firstRun.error).toBe(`${ERRORS} error(s) found; see the validate stage`);
    const validate = firstRun.stages.find((s: any) => s.name === 'validate');
    expect(validate.counts).toMatchObject({ errors: ERRORS, warnings: WARNINGS });
    // the stage lists the first 200 and says how many there are
    expect(validate.errors).toHaveLength(200);
    expect(validate.errorTotal).toBe(ERRORS);

    const runs = await get('/fabrics/big/runs');
    expect(runs.body.items[0]).toMatchObject({ id: firstRun.id, findingCount: TOTAL, findingTotals: firstRun.findingTotals });
    expect(runs.body.items[0].findings).toBeUndefined();

    const page = await get('/fabrics/big/findings?limit=20');
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ totalItems: TOTAL, offset: 0, totals: { errors: ERRORS, warnings: WARNINGS, new: TOTAL } });
    expect(page.body.items).toHaveLength(20);

    const summary = await get('/fabrics/big/findings/summary?groups=10');
    expect(summary.body.totals).toEqual({ errors: ERRORS, warnings: WARNINGS, new: TOTAL });
    expect(summary.body.byRule).toEqual({
      totalItems: 3,
      items: [
        { key: 'vpc.subnet-vlan', errors: ERRORS, warnings: 0, new: ERRORS },
        { key: 'hydration.link', errors: 0, warnings: 80, new: 80 },
        { key: 'hydration.switch', errors: 0, warnings: 42, new: 42 },
      ],
    });
    // one managed file per resource with a finding; the card shows 10 of them
    expect(summary.body.byFile.totalItems).toBe(TOTAL);
    expect(summary.body.byFile.items).toHaveLength(10);
    const warningsOnly = await get('/fabrics/big/findings/summary?severity=warning');
    expect(warningsOnly.body.totals).toEqual({ errors: 0, warnings: WARNINGS, new: WARNINGS });

    // the resources add up to the same totals: every finding here is on a resource
    const withErrors = await get('/fabrics/big/resources?findings=errors&limit=1');
    expect(withErrors.body.totalItems).toBe(ERRORS);
    expect((await get('/fabrics/big/resources?findings=warnings&limit=1')).body.totalItems).toBe(WARNINGS);
    const unhydrated = await get('/fabrics/big/resources?rule=hydration.switch&limit=50');
    expect(unhydrated.body.totalItems).toBe(42);
    expect(unhydrated.body.items.every((r: any) => r.kind === 'Switch' && r.warnings === 1)).toBe(true);
  });

  it('pages through every finding, and exports all of them as CSV and JSON', async () => {
    const seen = new Set<string>();
    const files = new Set<string>();
    for (let offset = 0; offset < TOTAL; offset += 500) {
      const page = await get(`/fabrics/big/findings?offset=${offset}&limit=500`);
      expect(page.body.totalItems).toBe(TOTAL);
      for (const f of page.body.items) {
        seen.add(`${f.file}|${f.path}|${f.message}`);
        files.add(f.file);
      }
    }
    expect(seen.size).toBe(TOTAL);
    for (let v = 0; v < ERRORS; v++) expect(files.has(`managed/vpcs/vpc-${v}.yaml`)).toBe(true);

    const csv = await get('/fabrics/big/findings/export?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="big-findings.csv"');
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('file,document,path,rule,severity,message,new,resource,left_out,blocks_apply');
    expect(lines).toHaveLength(TOTAL + 1);
    // documents are numbered from 1 in the text
    expect(lines.find(l => l.startsWith('managed/vpcs/vpc-0.yaml,'))).toMatch(/^managed\/vpcs\/vpc-0\.yaml,1,spec\.subnets\.default(\.vlan)?,vpc\.subnet-vlan,error,.+,true,VPC\/vpc-0,0,true$/);

    const json = await get('/fabrics/big/findings/export?format=json');
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const exported = JSON.parse(json.text);
    expect(exported.fabric).toBe('big');
    expect(exported.totals).toEqual({ errors: ERRORS, warnings: WARNINGS, new: TOTAL });
    expect(exported.findings).toHaveLength(TOTAL);
    // the 0-based index, as the API gives it elsewhere
    expect(exported.findings.find((f: any) => f.file === 'managed/vpcs/vpc-0.yaml')).toMatchObject({ document: 0, rule: 'vpc.subnet-vlan', resource: { kind: 'VPC', name: 'vpc-0' } });
    const onlyWarnings = await get('/fabrics/big/findings/export?format=json&severity=warning');
    expect(JSON.parse(onlyWarnings.text).findings).toHaveLength(WARNINGS);
  });

  it('marks new only the finding the last commit introduced; the run pages through its findings to it', async () => {
    await pushFiles(url, {
      'fabrics/big/raw/extra.yaml': yaml([
        { apiVersion: 'vpc.githedgehog.com/v1beta1', kind: 'VPC', metadata: { name: 'vpc-extra' }, spec: { subnets: { default: { subnet: '10.200.0.0/24' } } } },
      ]),
    }, { message: 'user: one more VPC, without a VLAN' });

    // a dry run validates without importing: its record keeps the first 1,000, its totals count all
    const dry = await sync({ dryRun: true });
    const dryFindings = await get(`/runs/${dry.id}/findings?offset=950&limit=100`);
    expect(dryFindings.body).toMatchObject({ totalItems: 1000, complete: false, totals: { errors: ERRORS + 1, warnings: WARNINGS, new: 0 } });
    expect(dryFindings.body.items).toHaveLength(50);

    const second = await sync();
    expect(second.findingTotals).toEqual({ errors: ERRORS + 1, warnings: WARNINGS, new: 1 });
    const fresh = await get('/fabrics/big/findings?new=true');
    expect(fresh.body.totalItems).toBe(1);
    expect(fresh.body.items[0]).toMatchObject({ file: 'managed/vpcs/vpc-extra.yaml', rule: 'vpc.subnet-vlan', severity: 'error', new: true });
    expect((await get('/fabrics/big/findings/summary')).body.totals.new).toBe(1);

    // the run's own list: every finding, the one just introduced first
    const runPage = await get(`/runs/${second.id}/findings?limit=50`);
    expect(runPage.body).toMatchObject({ totalItems: TOTAL + 1, complete: true, totals: { errors: ERRORS + 1, warnings: WARNINGS, new: 1 } });
    expect(runPage.body.items[0]).toMatchObject({ file: 'managed/vpcs/vpc-extra.yaml', new: true });
    expect(runPage.body.items.slice(1).every((f: any) => !f.new)).toBe(true);
    const validate = second.stages.find((s: any) => s.name === 'validate');
    expect([validate.errors.length, validate.errorTotal]).toEqual([200, ERRORS + 1]);

    // the first run still lists what it found, to the last one
    const last = await get(`/runs/${firstRun.id}/findings?offset=${TOTAL - 29}&limit=50`);
    expect(last.body).toMatchObject({ totalItems: TOTAL, complete: true });
    expect(last.body.items).toHaveLength(29);
  });

  it('answers 400 for bad queries and 404 for an unknown run', async () => {
    for (const q of ['severity=fatal', 'limit=501', 'new=yes', 'offset=-1', `rule=${'x'.repeat(65)}`]) {
      const res = await get(`/fabrics/big/findings?${q}`);
      expect([q, res.status]).toEqual([q, 400]);
      expect(res.body.error.message).toMatch(/^Invalid query: /);
    }
    expect((await get('/fabrics/big/findings/summary?groups=0')).status).toBe(400);
    expect((await get('/fabrics/big/findings/export?format=xml')).status).toBe(400);
    expect((await get('/fabrics/big/resources?findings=some')).status).toBe(400);
    const missing = await get('/runs/0b2f5c1e-4d6a-4f8b-9c0d-1e2f3a4b5c6d/findings');
    expect([missing.status, missing.body.error.message]).toEqual([404, 'No run with id 0b2f5c1e-4d6a-4f8b-9c0d-1e2f3a4b5c6d']);
    expect((await get(`/runs/${firstRun.id}/findings`, 'user:default/blocked')).status).toBe(403);
  });
});
